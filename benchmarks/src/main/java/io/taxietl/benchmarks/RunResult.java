package io.taxietl.benchmarks;

import java.util.Locale;

/** The measurements of one run of one job. */
record RunResult(
    JobKind job,
    int run,
    boolean correct,
    String problem,
    long rows,
    long deadLetters,
    long files,
    double seconds,
    double eventsPerSecond,
    double megabytesPerSecond,
    double latencyP50Seconds,
    double latencyP99Seconds,
    double cpuSeconds,
    long peakRssBytes,
    String load) {

  String tableRow() {
    return String.format(
        Locale.ROOT,
        "| %s | %d | %s | %,d | %,d | %,d | %.1f | %,.0f | %.1f | %.1f | %.1f | %.0f | %,d | %s |",
        job.label(),
        run,
        correct ? "yes" : "NO: " + problem,
        rows,
        deadLetters,
        files,
        seconds,
        eventsPerSecond,
        megabytesPerSecond,
        latencyP50Seconds,
        latencyP99Seconds,
        cpuSeconds,
        peakRssBytes / (1024 * 1024),
        load);
  }

  static String tableHeader() {
    return "| job | run | rows in = rows out | Parquet rows | dead letters | Parquet files | seconds | events/s | MB/s"
        + " | latency p50 s | latency p99 s | CPU s | peak RSS MB | load (1 min) |\n"
        + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|";
  }
}
