package io.taxietl.benchmarks;

import java.util.Locale;

/**
 * The measurements of one run of one job. {@code startupSeconds}: from starting the job's JVM to
 * its first event read; {@code seconds}: from the first event read to the last file committed (the
 * end-to-end time the rates are over); {@code totalSeconds}: from starting the JVM to the last file
 * committed. {@code load} is the machine's 1-minute load average when the run started; {@code
 * otherCpuSeconds} is the CPU time everything but the job used while it ran (the Kafka broker
 * serving it, this harness, anyone else on a shared machine).
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
    double startupSeconds,
    double seconds,
    double totalSeconds,
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

  /** Input events per CPU second of the job's JVM (start-up included). */
  double eventsPerCpuSecond() {
    return eventsPerSecond * seconds / cpuSeconds;
  }

  /** Input events per second from starting the job's JVM to the last file committed. */
  double eventsPerSecondWithStartup() {
    return eventsPerSecond * seconds / totalSeconds;
  }

  String tableRow() {
    return String.format(
        Locale.ROOT,
        "| %s | %d | %s | %,d | %,d | %,d | %,.0f | %.1f | %.1f | %,.0f | %.1f | %,.0f | %.1f"
            + " | %.1f | %.1f | %.0f | %.0f / %.0f | %,.0f | %,d | %s | %.0f |",
        job.label(),
        run,
        correct ? "yes" : "NO: " + problem,
        rows,
        deadLetters,
        files,
        meanFileKilobytes(),
        startupSeconds,
        seconds,
        eventsPerSecond,
        totalSeconds,
        eventsPerSecondWithStartup(),
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
        + " | start-up s | seconds | events/s | seconds with start-up | events/s with start-up | MB/s"
        + " | latency p50 s | latency p99 s | CPU s | of which JIT / GC | events per CPU s"
        + " | peak RSS MB | load (1 min) | other CPU s |\n"
        + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|";
  }
}
