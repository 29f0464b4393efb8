package io.taxietl.pipeline.local;

import io.taxietl.transforms.metrics.EtlMetrics;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** What a finished run did, read from the runner's metrics. */
public final class RunSummary {
  private final Map<String, Long> counters;
  private final double elapsedSeconds;

  RunSummary(Map<String, Long> counters, double elapsedSeconds) {
    this.counters = counters;
    this.elapsedSeconds = elapsedSeconds;
  }

  /** Every pipeline counter by name, summed over steps. */
  public Map<String, Long> counters() {
    return counters;
  }

  public double elapsedSeconds() {
    return elapsedSeconds;
  }

  /** Sums each pipeline counter over all steps; committed values where the runner has them. */
  public static RunSummary from(MetricResults metrics, double elapsedSeconds) {
    MetricQueryResults results =
        metrics.queryMetrics(
            MetricsFilter.builder()
                .addNameFilter(MetricNameFilter.inNamespace(EtlMetrics.NAMESPACE))
                .build());
    Map<String, Long> counters = new TreeMap<>();
    for (MetricResult<Long> counter : results.getCounters()) {
      counters.merge(counter.getName().getName(), value(counter), Long::sum);
    }
    return new RunSummary(Map.copyOf(counters), elapsedSeconds);
  }

  private static long value(MetricResult<Long> counter) {
    try {
      Long committed = counter.getCommitted();
      return committed == null ? counter.getAttempted() : committed;
    } catch (UnsupportedOperationException e) {
      // Runners such as Flink report attempted values only.
      return counter.getAttempted();
    }
  }

  public long counter(String name) {
    return counters.getOrDefault(name, 0L);
  }

  /** Dead letters per {@code stage.REASON}, for reasons that occurred. */
  public Map<String, Long> deadLettersByReason() {
    Map<String, Long> byReason = new TreeMap<>();
    counters.forEach(
        (name, value) -> {
          if (name.startsWith(EtlMetrics.DEAD_LETTERS_BY_REASON_PREFIX) && value > 0) {
            byReason.put(name.substring(EtlMetrics.DEAD_LETTERS_BY_REASON_PREFIX.length()), value);
          }
        });
    return byReason;
  }

  public double eventsPerSecond() {
    return elapsedSeconds > 0 ? counter(EtlMetrics.EVENTS_READ) / elapsedSeconds : 0;
  }

  public void print(PrintStream out) {
    out.println("Summary");
    line(out, "events read", counter(EtlMetrics.EVENTS_READ));
    line(out, "trips written", counter(EtlMetrics.PARQUET_ROWS_WRITTEN));
    line(out, "dead letters", counter(EtlMetrics.DEAD_LETTERS));
    deadLettersByReason().forEach((reason, count) -> line(out, "  " + reason, count));
    line(out, "watermarks skipped", counter(EtlMetrics.WATERMARK_EVENTS_SKIPPED));
    line(out, "parquet files", counter(EtlMetrics.PARQUET_FILES_WRITTEN));
    line(out, "partitions written", counter(EtlMetrics.PARQUET_PARTITIONS_WRITTEN));
    line(out, "dead-letter files", counter(EtlMetrics.DEAD_LETTER_FILES_WRITTEN));
    if (counters.containsKey(EtlMetrics.ELASTICSEARCH_DOCUMENTS_INDEXED)
        || counters.containsKey(EtlMetrics.ELASTICSEARCH_DOCUMENTS_REJECTED)) {
      line(out, "documents indexed", counter(EtlMetrics.ELASTICSEARCH_DOCUMENTS_INDEXED));
      line(out, "document retries", counter(EtlMetrics.ELASTICSEARCH_DOCUMENTS_RETRIED));
      line(out, "documents rejected", counter(EtlMetrics.ELASTICSEARCH_DOCUMENTS_REJECTED));
    }
    out.printf(Locale.ROOT, "  %-22s %,.1f%n", "elapsed seconds", elapsedSeconds);
    out.printf(Locale.ROOT, "  %-22s %,.0f%n", "events per second", eventsPerSecond());
  }

  private static void line(PrintStream out, String label, long value) {
    out.printf(Locale.ROOT, "  %-22s %,d%n", label, value);
  }
}
