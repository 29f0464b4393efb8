package io.taxietl.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.runners.core.construction.SerializablePipelineOptions;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.metrics.FlinkMetricContainerWithoutAccumulator;
import org.apache.beam.runners.flink.translation.wrappers.streaming.io.source.FlinkSource;
import org.apache.beam.runners.flink.translation.wrappers.streaming.io.source.FlinkSourceReaderBase;
import org.apache.beam.sdk.io.CountingSource;
import org.apache.beam.sdk.io.Source;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Beam's Flink source readers copy their metrics to Flink once per period and when they run out of
 * data, not after every record; every record is still counted. An unbounded reader with nothing to
 * read is left alone for a while; a bounded one never is.
 */
class PacedReaderInvocationTest {
  private static final String STEP = "ReadEvents/ReadRecords";

  @Test
  void tenThousandRecordsReachFlinkInAFewUpdatesWithTheFinalCountWhenTheReaderRunsDry()
      throws Exception {
    CountingMetricGroup flink = new CountingMetricGroup();
    PacedReaderInvocation<Long, CountingReader> metrics =
        new PacedReaderInvocation<>(
            STEP,
            PipelineOptionsFactory.create(),
            new FlinkMetricContainerWithoutAccumulator(flink),
            60_000,
            PacedReaderInvocation.IDLE_BACKOFF_MILLIS,
            System::nanoTime);
    CountingReader reader = new CountingReader(10_000);

    assertThat(metrics.invokeStart(reader)).isTrue();
    int read = 1;
    while (metrics.invokeAdvance(reader)) {
      read++;
    }

    assertThat(read).isEqualTo(10_000);
    CountingCounter records = flink.counters.get("reader.records");
    assertThat(records).isNotNull();
    assertThat(records.getCount()).isEqualTo(10_000);
    // One copy at start, one when the reader ran dry: none per record.
    assertThat(records.updates).isLessThanOrEqualTo(2);
  }

  @Test
  void withMetricsDisabledTheReaderIsStillAdvancedAndNothingReachesFlink() throws Exception {
    CountingMetricGroup flink = new CountingMetricGroup();
    FlinkPipelineOptions options = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    options.setDisableMetrics(true);
    PacedReaderInvocation<Long, CountingReader> metrics =
        new PacedReaderInvocation<>(
            STEP,
            options,
            new FlinkMetricContainerWithoutAccumulator(flink),
            0,
            PacedReaderInvocation.IDLE_BACKOFF_MILLIS,
            System::nanoTime);
    CountingReader reader = new CountingReader(3);

    metrics.invokeStart(reader);
    while (metrics.invokeAdvance(reader)) {
      // reads to the end
    }

    assertThat(reader.position).isEqualTo(3);
    assertThat(flink.counters).isEmpty();
  }

  @Test
  void theReadersOfBeamsFlinkSourceGetTheThrottledUpdate() throws Exception {
    FlinkSource<Long, ?> beam =
        FlinkSource.unbounded(
            STEP,
            CountingSource.unbounded(),
            new SerializablePipelineOptions(PipelineOptionsFactory.create()),
            2);

    SourceReader<?, ?> reader = RestoreSafeSource.of(beam).createReader(new ReaderContext());

    Field util = FlinkSourceReaderBase.class.getDeclaredField("invocationUtil");
    util.setAccessible(true);
    assertThat(util.get(reader)).isInstanceOf(PacedReaderInvocation.class);
    reader.close();
  }

  @Test
  void anIdleUnboundedReaderIsNotAskedAgainUntilTheBackoffHasPassed() throws Exception {
    AtomicLong clock = new AtomicLong();
    PacedReaderInvocation<Long, QueueReader> paced = paced(clock);
    QueueReader idle = new QueueReader();
    QueueReader busy = new QueueReader();
    for (long i = 0; i < 1_000; i++) {
      busy.records.add(i);
    }

    // The Flink source reader's order: one call per reader in turn, as long as one has records.
    int read = 0;
    for (int turn = 0; turn < 1_000; turn++) {
      paced.invokeAdvance(idle);
      if (paced.invokeAdvance(busy)) {
        read++;
      }
    }

    assertThat(read).isEqualTo(1_000);
    assertThat(idle.advanceCalls).as("asked once, then skipped while the clock stood").isEqualTo(1);

    clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(PacedReaderInvocation.IDLE_BACKOFF_MILLIS) - 1);
    assertThat(paced.invokeAdvance(idle)).isFalse();
    assertThat(idle.advanceCalls).isEqualTo(1);

    idle.records.add(42L);
    clock.addAndGet(1);
    assertThat(paced.invokeAdvance(idle)).as("asked again once the backoff has passed").isTrue();
    assertThat(idle.getCurrent()).isEqualTo(42L);
    assertThat(idle.advanceCalls).isEqualTo(2);

    idle.records.add(43L);
    assertThat(paced.invokeAdvance(idle)).as("a reader with records is asked every time").isTrue();
    assertThat(idle.getCurrent()).isEqualTo(43L);
  }

  @Test
  void aBoundedReaderIsAskedEveryTimeBecauseFalseMeansItsEnd() throws Exception {
    AtomicLong clock = new AtomicLong();
    PacedReaderInvocation<Long, CountingReader> paced = paced(clock);
    CountingReader reader = new CountingReader(0);

    assertThat(paced.invokeAdvance(reader)).isFalse();
    reader.end = 1;

    assertThat(paced.invokeAdvance(reader)).isTrue();
  }

  private static <ReaderT extends Source.Reader<Long>> PacedReaderInvocation<Long, ReaderT> paced(
      AtomicLong clock) {
    return new PacedReaderInvocation<>(
        STEP,
        PipelineOptionsFactory.create(),
        new FlinkMetricContainerWithoutAccumulator(new CountingMetricGroup()),
        PacedReaderInvocation.PERIOD_MILLIS,
        PacedReaderInvocation.IDLE_BACKOFF_MILLIS,
        clock::get);
  }

  /** An unbounded reader of the records put in its queue, counting how often it is asked. */
  private static final class QueueReader extends UnboundedSource.UnboundedReader<Long> {
    final Deque<Long> records = new ArrayDeque<>();
    int advanceCalls;
    private Long current;

    @Override
    public boolean start() {
      return advance();
    }

    @Override
    public boolean advance() {
      advanceCalls++;
      current = records.poll();
      return current != null;
    }

    @Override
    public Long getCurrent() {
      if (current == null) {
        throw new NoSuchElementException();
      }
      return current;
    }

    @Override
    public Instant getCurrentTimestamp() {
      return BoundedWindow.TIMESTAMP_MIN_VALUE;
    }

    @Override
    public Instant getWatermark() {
      return BoundedWindow.TIMESTAMP_MIN_VALUE;
    }

    @Override
    public UnboundedSource.CheckpointMark getCheckpointMark() {
      return UnboundedSource.CheckpointMark.NOOP_CHECKPOINT_MARK;
    }

    @Override
    public UnboundedSource<Long, ?> getCurrentSource() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}
  }

  /** A reader of 0, 1, 2, ... that counts every record in a Beam counter, as KafkaIO's does. */
  private static final class CountingReader extends Source.Reader<Long> {
    private long end;
    private long position;

    CountingReader(long end) {
      this.end = end;
    }

    @Override
    public boolean start() {
      return advance();
    }

    @Override
    public boolean advance() {
      if (position >= end) {
        return false;
      }
      position++;
      Metrics.counter("reader", "records").inc();
      return true;
    }

    @Override
    public Long getCurrent() throws NoSuchElementException {
      return position - 1;
    }

    @Override
    public Instant getCurrentTimestamp() {
      return BoundedWindow.TIMESTAMP_MIN_VALUE;
    }

    @Override
    public void close() {}

    @Override
    public Source<Long> getCurrentSource() {
      throw new UnsupportedOperationException();
    }
  }

  /** Flink counters that remember how often the Beam metrics were copied into them. */
  private static final class CountingMetricGroup extends UnregisteredMetricsGroup {
    final Map<String, CountingCounter> counters = new HashMap<>();

    @Override
    public Counter counter(String name) {
      return counters.computeIfAbsent(name, n -> new CountingCounter());
    }
  }

  private static final class CountingCounter implements Counter {
    private long count;
    int updates;

    @Override
    public void inc() {
      inc(1);
    }

    @Override
    public void inc(long n) {
      count += n;
      updates++;
    }

    @Override
    public void dec() {
      dec(1);
    }

    @Override
    public void dec(long n) {
      count -= n;
    }

    @Override
    public long getCount() {
      return count;
    }
  }

  private static final class ReaderContext implements SourceReaderContext {
    @Override
    public SourceReaderMetricGroup metricGroup() {
      return UnregisteredMetricsGroup.createSourceReaderMetricGroup();
    }

    @Override
    public Configuration getConfiguration() {
      return new Configuration();
    }

    @Override
    public String getLocalHostName() {
      return "localhost";
    }

    @Override
    public int getIndexOfSubtask() {
      return 0;
    }

    @Override
    public void sendSplitRequest() {}

    @Override
    public void sendSourceEventToCoordinator(SourceEvent sourceEvent) {}

    @Override
    public UserCodeClassLoader getUserCodeClassLoader() {
      return SimpleUserCodeClassLoader.create(getClass().getClassLoader());
    }
  }
}
