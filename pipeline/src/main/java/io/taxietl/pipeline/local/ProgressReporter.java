package io.taxietl.pipeline.local;

import io.taxietl.transforms.metrics.EtlMetrics;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Prints a progress line every few seconds during a local run (embedded Flink or the DirectRunner),
 * from the tallies that the pipeline's steps keep in this JVM: events per second, the share of dead
 * letters, and the lags (averages over the last period; the Kafka consumer lag and the Kinesis lag
 * of the worst shard as last measured).
 */
public final class ProgressReporter implements AutoCloseable {
  private final PrintStream out;
  private final long startNanos = System.nanoTime();
  private final ScheduledExecutorService timer;
  private final Period period = new Period();

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

  public static ProgressReporter start(PrintStream out, long periodSeconds) {
    EtlMetrics.resetLocalTallies();
    return new ProgressReporter(out, periodSeconds);
  }

  private void report() {
    long now = System.nanoTime();
    double seconds = (now - startNanos) / 1e9;
    Period.Values values = period.next(now);
    out.printf(
        Locale.ROOT,
        "progress %5.0fs: %,d events read (%,.0f/s), %,d trips parsed, %,d dead letters (%s of the last period), "
            + "%,d watermarks skipped, %,d parquet files written%n",
        seconds,
        values.events(),
        values.eventsPerSecond(),
        EtlMetrics.localTally(EtlMetrics.TRIPS_PARSED),
        EtlMetrics.localTally(EtlMetrics.DEAD_LETTERS),
        values.deadLetterShare(),
        EtlMetrics.localTally(EtlMetrics.WATERMARK_EVENTS_SKIPPED),
        EtlMetrics.localTally(EtlMetrics.PARQUET_FILES_WRITTEN));
    StringBuilder lag = new StringBuilder();
    if (EtlMetrics.hasLocalGauge(EtlMetrics.KAFKA_CONSUMER_LAG_PREFIX)) {
      lag.append(
          String.format(
              Locale.ROOT,
              "Kafka consumer lag %,d records",
              EtlMetrics.localGaugeSum(EtlMetrics.KAFKA_CONSUMER_LAG_PREFIX)));
    }
    if (EtlMetrics.hasLocalGauge(EtlMetrics.KINESIS_MILLIS_BEHIND_LATEST_PREFIX)) {
      lag.append(lag.length() > 0 ? ", " : "")
          .append("Kinesis behind latest ")
          .append(
              formatDuration(
                  EtlMetrics.localGaugeMax(EtlMetrics.KINESIS_MILLIS_BEHIND_LATEST_PREFIX)));
    }
    appendLag(lag, "arrival lag", values.arrivalLagMillis());
    appendLag(lag, "event-time lag", values.eventTimeLagMillis());
    if (lag.length() > 0) {
      out.printf(Locale.ROOT, "progress %5.0fs: %s%n", seconds, lag);
    }
    long indexed = EtlMetrics.localTally(EtlMetrics.ELASTICSEARCH_DOCUMENTS_INDEXED);
    long retried = EtlMetrics.localTally(EtlMetrics.ELASTICSEARCH_DOCUMENTS_RETRIED);
    if (indexed > 0 || retried > 0) {
      out.printf(
          Locale.ROOT,
          "progress %5.0fs: %,d documents indexed, %,d document retries, %,d documents rejected%n",
          seconds,
          indexed,
          retried,
          EtlMetrics.localTally(EtlMetrics.ELASTICSEARCH_DOCUMENTS_REJECTED));
    }
  }

  private static void appendLag(StringBuilder line, String label, double millis) {
    if (Double.isNaN(millis)) {
      return;
    }
    if (line.length() > 0) {
      line.append(", ");
    }
    line.append(label).append(" avg ").append(formatDuration(millis));
  }

  /** A lag for people: milliseconds, seconds, minutes, hours or days. */
  static String formatDuration(double millis) {
    double abs = Math.abs(millis);
    if (abs < 1_000) {
      return String.format(Locale.ROOT, "%.0f ms", millis);
    }
    if (abs < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", millis / 1_000);
    }
    if (abs < 3_600_000) {
      return String.format(Locale.ROOT, "%.1f min", millis / 60_000);
    }
    if (abs < 86_400_000) {
      return String.format(Locale.ROOT, "%.1f h", millis / 3_600_000);
    }
    return String.format(Locale.ROOT, "%,.0f days", millis / 86_400_000);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  /** Differences of the local tallies between two reports. */
  static final class Period {
    private long lastNanos = System.nanoTime();
    private long lastEvents;
    private long lastDeadLetters;
    private long lastArrivalSum;
    private long lastArrivalCount;
    private long lastEventTimeSum;
    private long lastEventTimeCount;

    /** The numbers of one progress line. */
    static final class Values {
      private final long events;
      private final double eventsPerSecond;
      private final long periodEvents;
      private final long periodDeadLetters;
      private final double arrivalLagMillis;
      private final double eventTimeLagMillis;

      Values(
          long events,
          double eventsPerSecond,
          long periodEvents,
          long periodDeadLetters,
          double arrivalLagMillis,
          double eventTimeLagMillis) {
        this.events = events;
        this.eventsPerSecond = eventsPerSecond;
        this.periodEvents = periodEvents;
        this.periodDeadLetters = periodDeadLetters;
        this.arrivalLagMillis = arrivalLagMillis;
        this.eventTimeLagMillis = eventTimeLagMillis;
      }

      long events() {
        return events;
      }

      double eventsPerSecond() {
        return eventsPerSecond;
      }

      double arrivalLagMillis() {
        return arrivalLagMillis;
      }

      double eventTimeLagMillis() {
        return eventTimeLagMillis;
      }

      String deadLetterShare() {
        return periodEvents == 0
            ? "n/a"
            : String.format(Locale.ROOT, "%.1f%%", 100.0 * periodDeadLetters / periodEvents);
      }
    }

    Values next(long nowNanos) {
      long events = EtlMetrics.localTally(EtlMetrics.EVENTS_READ);
      long deadLetters = EtlMetrics.localTally(EtlMetrics.DEAD_LETTERS);
      long arrivalSum = EtlMetrics.localSum(EtlMetrics.ARRIVAL_LAG_MILLIS);
      long arrivalCount = EtlMetrics.localCount(EtlMetrics.ARRIVAL_LAG_MILLIS);
      long eventTimeSum = EtlMetrics.localSum(EtlMetrics.EVENT_TIME_LAG_MILLIS);
      long eventTimeCount = EtlMetrics.localCount(EtlMetrics.EVENT_TIME_LAG_MILLIS);
      double seconds = Math.max(1e-9, (nowNanos - lastNanos) / 1e9);
      Values values =
          new Values(
              events,
              (events - lastEvents) / seconds,
              events - lastEvents,
              deadLetters - lastDeadLetters,
              average(arrivalSum - lastArrivalSum, arrivalCount - lastArrivalCount),
              average(eventTimeSum - lastEventTimeSum, eventTimeCount - lastEventTimeCount));
      lastNanos = nowNanos;
      lastEvents = events;
      lastDeadLetters = deadLetters;
      lastArrivalSum = arrivalSum;
      lastArrivalCount = arrivalCount;
      lastEventTimeSum = eventTimeSum;
      lastEventTimeCount = eventTimeCount;
      return values;
    }

    private static double average(long sum, long count) {
      return count == 0 ? Double.NaN : (double) sum / count;
    }
  }
}
