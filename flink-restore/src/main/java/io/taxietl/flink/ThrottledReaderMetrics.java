package io.taxietl.flink;

import java.io.Closeable;
import java.io.IOException;
import java.lang.reflect.Field;
import java.util.Collections;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.metrics.FlinkMetricContainerWithoutAccumulator;
import org.apache.beam.runners.flink.metrics.ReaderInvocationUtil;
import org.apache.beam.runners.flink.translation.wrappers.streaming.io.source.FlinkSourceReaderBase;
import org.apache.beam.sdk.io.Source;
import org.apache.beam.sdk.metrics.MetricsEnvironment;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.flink.api.connector.source.SourceReader;

/**
 * Hands the metrics of a Beam source's reader to Flink at most once per period instead of after
 * every record.
 *
 * <p>Why: Beam 2.62's Flink source reader ({@link ReaderInvocationUtil}) copies the Beam metrics of
 * its step into Flink's metric group after every {@code advance()}, i.e. for every record read, and
 * each copy queries every metric of every step in the task. In the benchmark's profile of the Kafka
 * -> Parquet job that was 15 % of all CPU samples. The reader's metrics are still recorded on every
 * record (the reader runs inside its metrics container as before); only the copy to Flink, which
 * Flink's reporters read every few seconds at most, happens once per period, and whenever the
 * reader has nothing more to read (so a finished bounded read reports its final values).
 */
public final class ThrottledReaderMetrics<T, ReaderT extends Source.Reader<T>>
    extends ReaderInvocationUtil<T, ReaderT> {
  /** How often the reader's metrics reach Flink at most. */
  public static final long PERIOD_MILLIS = 1_000;

  private final String stepName;
  private final FlinkMetricContainerWithoutAccumulator container;
  private final boolean enabled;
  private final long periodNanos;
  private long lastUpdateNanos;

  ThrottledReaderMetrics(
      String stepName,
      PipelineOptions options,
      FlinkMetricContainerWithoutAccumulator container,
      long periodMillis) {
    super(stepName, options, container);
    this.stepName = stepName;
    this.container = container;
    this.enabled = !options.as(FlinkPipelineOptions.class).getDisableMetrics();
    this.periodNanos = periodMillis * 1_000_000;
    this.lastUpdateNanos = System.nanoTime();
  }

  /**
   * Puts a throttled copy in place of the per-record metrics update of {@code reader}, if it is one
   * of Beam's Flink source readers; other readers are left alone.
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
          new ThrottledReaderMetrics<>(
              stepName, (PipelineOptions) options.get(reader), container, PERIOD_MILLIS));
      return true;
    } catch (NoSuchFieldException | IllegalAccessException e) {
      throw new IllegalStateException(
          "cannot throttle the metrics updates of Beam's Flink source reader: its fields changed"
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
    if (!enabled) {
      return reader.advance();
    }
    try (Closeable ignored =
        MetricsEnvironment.scopedMetricsContainer(container.getMetricsContainer(stepName))) {
      boolean advanced = reader.advance();
      long now = System.nanoTime();
      if (!advanced || now - lastUpdateNanos >= periodNanos) {
        container.updateMetrics(stepName, Collections.emptyList());
        lastUpdateNanos = now;
      }
      return advanced;
    }
  }
}
