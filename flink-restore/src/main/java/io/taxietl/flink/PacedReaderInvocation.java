package io.taxietl.flink;

import java.io.Closeable;
import java.io.IOException;
import java.lang.reflect.Field;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.LongSupplier;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.metrics.FlinkMetricContainerWithoutAccumulator;
import org.apache.beam.runners.flink.metrics.ReaderInvocationUtil;
import org.apache.beam.runners.flink.translation.wrappers.streaming.io.source.FlinkSourceReaderBase;
import org.apache.beam.sdk.io.Source;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.metrics.MetricsEnvironment;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.flink.api.connector.source.SourceReader;

/**
 * Advances the Beam readers of one of Beam's Flink source readers at a pace that suits streaming:
 * their metrics reach Flink at most once per period, and an unbounded reader that had nothing to
 * read is not asked again for a short while.
 *
 * <p>Metrics: Beam 2.62's Flink source reader ({@link ReaderInvocationUtil}) copies the Beam
 * metrics of its step into Flink's metric group after every {@code advance()}, i.e. for every
 * record read, and each copy queries every metric of every step in the task. In the benchmark's
 * profile of the Kafka -> Parquet job that was 15 % of all CPU samples. The reader's metrics are
 * still recorded on every record (the reader runs inside its metrics container as before); only the
 * copy to Flink, which Flink's reporters read every few seconds at most, happens once per period,
 * and whenever a reader has nothing more to read (so a finished bounded read reports its final
 * values).
 *
 * <p>Idle readers: the Flink source reader asks its Beam readers for a record in turn, one record
 * each, on one thread. KafkaIO's reader waits up to a few milliseconds for the next batch of its
 * consumer thread when it has none, so one partition without new records held every other partition
 * of its task to about one record per millisecond (the last 80,000 events of the benchmark's
 * 2,000,000 took 20 s, a third of the run), and each of those empty calls copied the metrics to
 * Flink. An unbounded reader whose {@code advance()} returned false is now skipped (reported as
 * having nothing to read, which the contract of {@link UnboundedSource.UnboundedReader} allows at
 * any time) until {@link #IDLE_BACKOFF_MILLIS} have passed; a bounded reader is always asked, since
 * false means its end. New records of an idle partition wait at most that long more.
 */
public final class PacedReaderInvocation<T, ReaderT extends Source.Reader<T>>
    extends ReaderInvocationUtil<T, ReaderT> {
  /** How often the reader's metrics reach Flink at most. */
  public static final long PERIOD_MILLIS = 1_000;

  /**
   * How long an unbounded reader that had nothing to read is skipped: well under the 50 ms that
   * Beam's Flink source waits when none of its readers has a record.
   */
  public static final long IDLE_BACKOFF_MILLIS = 20;

  private final String stepName;
  private final FlinkMetricContainerWithoutAccumulator container;
  private final boolean enabled;
  private final long periodNanos;
  private final long idleBackoffNanos;
  private final LongSupplier nanoClock;

  /** When each reader last had nothing to read, for the readers that had nothing since. */
  private final Map<Source.Reader<?>, Long> idleSince = new WeakHashMap<>();

  private long lastUpdateNanos;

  PacedReaderInvocation(
      String stepName,
      PipelineOptions options,
      FlinkMetricContainerWithoutAccumulator container,
      long periodMillis,
      long idleBackoffMillis,
      LongSupplier nanoClock) {
    super(stepName, options, container);
    this.stepName = stepName;
    this.container = container;
    this.enabled = !options.as(FlinkPipelineOptions.class).getDisableMetrics();
    this.periodNanos = periodMillis * 1_000_000;
    this.idleBackoffNanos = idleBackoffMillis * 1_000_000;
    this.nanoClock = nanoClock;
    this.lastUpdateNanos = nanoClock.getAsLong();
  }

  /**
   * Puts a paced invocation in place of the per-record one of {@code reader}, if it is one of
   * Beam's Flink source readers; other readers are left alone.
   *
   * @return whether {@code reader} was changed
   */
  static boolean install(SourceReader<?, ?> reader) {
    if (!(reader instanceof FlinkSourceReaderBase)) {
      return false;
    }
    try {
      Field util = FlinkSourceReaderBase.class.getDeclaredField("invocationUtil");
      util.setAccessible(true);
      Object original = util.get(reader);
      String stepName = (String) field(ReaderInvocationUtil.class, "stepName").get(original);
      FlinkMetricContainerWithoutAccumulator container =
          (FlinkMetricContainerWithoutAccumulator)
              field(ReaderInvocationUtil.class, "container").get(original);
      Field options = FlinkSourceReaderBase.class.getDeclaredField("pipelineOptions");
      options.setAccessible(true);
      util.set(
          reader,
          new PacedReaderInvocation<>(
              stepName,
              (PipelineOptions) options.get(reader),
              container,
              PERIOD_MILLIS,
              IDLE_BACKOFF_MILLIS,
              System::nanoTime));
      return true;
    } catch (NoSuchFieldException | IllegalAccessException e) {
      throw new IllegalStateException(
          "cannot pace the reads of Beam's Flink source reader: its fields changed"
              + " in this Beam version ("
              + e.getMessage()
              + ")",
          e);
    }
  }

  private static Field field(Class<?> type, String name) throws NoSuchFieldException {
    Field field = type.getDeclaredField(name);
    field.setAccessible(true);
    return field;
  }

  @Override
  public boolean invokeAdvance(ReaderT reader) throws IOException {
    // The map is empty while every reader has records: no clock read, no lookup per record.
    if (!idleSince.isEmpty() && stillIdle(reader)) {
      return false;
    }
    boolean advanced = enabled ? advanceAndCopyMetrics(reader) : reader.advance();
    if (reader instanceof UnboundedSource.UnboundedReader) {
      if (!advanced) {
        idleSince.put(reader, nanoClock.getAsLong());
      } else if (!idleSince.isEmpty()) {
        idleSince.remove(reader);
      }
    }
    return advanced;
  }

  private boolean stillIdle(ReaderT reader) {
    Long since = idleSince.get(reader);
    return since != null && nanoClock.getAsLong() - since < idleBackoffNanos;
  }

  private boolean advanceAndCopyMetrics(ReaderT reader) throws IOException {
    try (Closeable ignored =
        MetricsEnvironment.scopedMetricsContainer(container.getMetricsContainer(stepName))) {
      boolean advanced = reader.advance();
      long now = nanoClock.getAsLong();
      if (!advanced || now - lastUpdateNanos >= periodNanos) {
        container.updateMetrics(stepName, Collections.emptyList());
        lastUpdateNanos = now;
      }
      return advanced;
    }
  }
}
