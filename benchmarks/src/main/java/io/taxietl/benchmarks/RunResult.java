package io.taxietl.benchmarks;

import java.util.Locale;

/**
 * The measurements of one run of one job. {@code load} is the machine's 1-minute load average when
 * the run started; {@code otherCpuSeconds} is the CPU time everything but the job used while it ran
 * (the Kafka broker serving it, this harness, anyone else on a shared machine).
 */
record RunResult(
    JobKind job,
    int run,
    boolean correct,
    String problem,
    long rows,
    long deadLetters,
    long files,
    long tripBytes,
    double seconds,
    double eventsPerSecond,
    double megabytesPerSecond,
    double latencyP50Seconds,
    double latencyP99Seconds,
    double cpuSeconds,
    double jitCpuSeconds,
    double gcCpuSeconds,
    long peakRssBytes,
    String load,
    double otherCpuSeconds) {

  /** Mean size of the committed Parquet files, in KB. */
  double meanFileKilobytes() {
    return files == 0 ? Double.NaN : tripBytes / 1024.0 / files;
  }

  /** Input events per CPU second of the job's JVM. */
  double eventsPerCpuSecond() {
    return eventsPerSecond * seconds / cpuSeconds;
  }

  String tableRow() {
    return String.format(
        Locale.ROOT,
        "| %s | %d | %s | %,d | %,d | %,d | %,.0f | %.1f | %,.0f | %.1f | %.1f | %.1f | %.0f"
            + " | %.0f / %.0f | %,.0f | %,d | %s | %.0f |",
        job.label(),
        run,
        correct ? "yes" : "NO: " + problem,
        rows,
        deadLetters,
        files,
        meanFileKilobytes(),
        seconds,
        eventsPerSecond,
        megabytesPerSecond,
        latencyP50Seconds,
        latencyP99Seconds,
        cpuSeconds,
        jitCpuSeconds,
        gcCpuSeconds,
        eventsPerCpuSecond(),
        peakRssBytes / (1024 * 1024),
        load,
        otherCpuSeconds);
  }

  static String tableHeader() {
    return "| job | run | rows in = rows out | Parquet rows | dead letters | Parquet files | mean file KB"
        + " | seconds | events/s | MB/s | latency p50 s | latency p99 s | CPU s | of which JIT / GC"
        + " | events per CPU s | peak RSS MB | load (1 min) | other CPU s |\n"
        + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|";
  }
}
