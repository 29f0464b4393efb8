package io.taxietl.pipeline;

import io.taxietl.transforms.EtlMetrics;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Prints a progress line every few seconds during a local run (embedded Flink or the DirectRunner),
 * from the tallies that the pipeline's steps keep in this JVM.
 */
final class ProgressReporter implements AutoCloseable {
  private final PrintStream out;
  private final long startNanos = System.nanoTime();
  private final ScheduledExecutorService timer;
  private long lastEvents;
  private long lastNanos = startNanos;

  private ProgressReporter(PrintStream out, long periodSeconds) {
    this.out = out;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "progress-reporter");
              thread.setDaemon(true);
              return thread;
            });
    timer.scheduleAtFixedRate(this::report, periodSeconds, periodSeconds, TimeUnit.SECONDS);
  }

  static ProgressReporter start(PrintStream out, long periodSeconds) {
    EtlMetrics.resetLocalTallies();
    return new ProgressReporter(out, periodSeconds);
  }

  private void report() {
    long now = System.nanoTime();
    long events = EtlMetrics.localTally(EtlMetrics.EVENTS_READ);
    double rate = (events - lastEvents) / ((now - lastNanos) / 1e9);
    lastEvents = events;
    lastNanos = now;
    out.printf(
        Locale.ROOT,
        "progress %5.0fs: %,d events read (%,.0f/s), %,d trips parsed, %,d dead letters, "
            + "%,d watermarks skipped, %,d parquet files written%n",
        (now - startNanos) / 1e9,
        events,
        rate,
        EtlMetrics.localTally(EtlMetrics.TRIPS_PARSED),
        EtlMetrics.localTally(EtlMetrics.DEAD_LETTERS),
        EtlMetrics.localTally(EtlMetrics.WATERMARK_EVENTS_SKIPPED),
        EtlMetrics.localTally(EtlMetrics.PARQUET_FILES_WRITTEN));
    long indexed = EtlMetrics.localTally(EtlMetrics.ELASTICSEARCH_DOCUMENTS_INDEXED);
    long retried = EtlMetrics.localTally(EtlMetrics.ELASTICSEARCH_DOCUMENTS_RETRIED);
    if (indexed > 0 || retried > 0) {
      out.printf(
          Locale.ROOT,
          "progress %5.0fs: %,d documents indexed, %,d document retries, %,d documents rejected%n",
          (now - startNanos) / 1e9,
          indexed,
          retried,
          EtlMetrics.localTally(EtlMetrics.ELASTICSEARCH_DOCUMENTS_REJECTED));
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
