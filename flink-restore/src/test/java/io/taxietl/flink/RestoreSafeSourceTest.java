package io.taxietl.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import org.apache.beam.runners.core.construction.SerializablePipelineOptions;
import org.apache.beam.runners.flink.translation.wrappers.streaming.io.source.FlinkSource;
import org.apache.beam.runners.flink.translation.wrappers.streaming.io.source.FlinkSourceSplit;
import org.apache.beam.sdk.io.CountingSource;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.metrics.groups.SplitEnumeratorMetricGroup;
import org.junit.jupiter.api.Test;

/**
 * The enumerator of Beam's Flink source, as Flink's source coordinator drives it: started on a
 * first run, and restored from its own checkpoint (serialized and read back) after a restore.
 * Beam's own enumerator splits the source again when restored; wrapped, it does not.
 */
class RestoreSafeSourceTest {
  private static final int PARALLELISM = 2;
  private static final int SPLITS = 4;

  /**
   * Beam's Flink source over an unbounded counting source that splits into {@link #SPLITS} parts.
   */
  private static FlinkSource<Long, ?> beamSource() {
    return beamSource(SPLITS);
  }

  private static FlinkSource<Long, ?> beamSource(int splits) {
    return FlinkSource.unbounded(
        "ReadEvents/ReadRecords",
        CountingSource.unbounded(),
        new SerializablePipelineOptions(PipelineOptionsFactory.create()),
        splits);
  }

  @Test
  void aFirstStartAssignsEverySplitOnceAndCheckpointsThatItDid() throws Exception {
    RestoreSafeSource<?, FlinkSourceSplit<Long>, ?> source = wrap(beamSource());
    Coordinator<FlinkSourceSplit<Long>> coordinator = new Coordinator<>();
    SplitEnumerator<FlinkSourceSplit<Long>, ?> enumerator = source.createEnumerator(coordinator);
    coordinator.registerReaders(enumerator);
    enumerator.start();

    assertThat(coordinator.assignedSplitIds()).containsExactlyInAnyOrder("0", "1", "2", "3");
    assertThat(coordinator.noMoreSplits).containsExactlyInAnyOrder(0, 1);
    assertThat(checkpoint(source, enumerator).initialAssignmentDone()).isTrue();
  }

  @Test
  void withFewerSplitsThanReadersAReaderThatRegisteredBeforeTheSplitIsToldNoneWillCome()
      throws Exception {
    RestoreSafeSource<?, FlinkSourceSplit<Long>, ?> source = wrap(beamSource(1));
    Coordinator<FlinkSourceSplit<Long>> coordinator = new Coordinator<>();
    coordinator.holdAsyncCalls = true;
    SplitEnumerator<FlinkSourceSplit<Long>, ?> enumerator = source.createEnumerator(coordinator);
    enumerator.start();
    coordinator.registerReaders(enumerator);
    assertThat(coordinator.noMoreSplits).as("before the split is made").isEmpty();

    coordinator.runHeldCalls();

    assertThat(coordinator.assigned).containsOnlyKeys(0);
    assertThat(coordinator.noMoreSplits)
        .as("a reader left waiting would hold back the job's watermark")
        .containsExactlyInAnyOrder(0, 1);
  }

  @Test
  void beamsOwnEnumeratorLeavesAReaderWithoutASplitWaitingWhichIsWhatTheWrapperPrevents()
      throws Exception {
    @SuppressWarnings("unchecked")
    FlinkSource<Long, Object> source = (FlinkSource<Long, Object>) beamSource(1);
    Coordinator<FlinkSourceSplit<Long>> coordinator = new Coordinator<>();
    coordinator.holdAsyncCalls = true;
    SplitEnumerator<FlinkSourceSplit<Long>, ?> enumerator = source.createEnumerator(coordinator);
    enumerator.start();
    coordinator.registerReaders(enumerator);

    coordinator.runHeldCalls();

    assertThat(coordinator.noMoreSplits)
        .as("Beam 2.62 tells only the reader it gave the split to")
        .containsExactly(0);
  }

  @Test
  void aRestoredEnumeratorDoesNotSplitAgainAndTellsEachReaderThatNoSplitWillCome()
      throws Exception {
    RestoreSafeSource<?, FlinkSourceSplit<Long>, ?> source = wrap(beamSource());
    EnumeratorCheckpoint<?> before = firstRunUntilCheckpoint(source);

    Coordinator<FlinkSourceSplit<Long>> afterRestore = new Coordinator<>();
    SplitEnumerator<FlinkSourceSplit<Long>, ?> restored = restore(source, afterRestore, before);
    afterRestore.registerReaders(restored);
    restored.start();

    assertThat(afterRestore.assignedSplitIds()).as("splits assigned after the restore").isEmpty();
    assertThat(afterRestore.noMoreSplits).containsExactlyInAnyOrder(0, 1);
    assertThat(checkpoint(source, restored).initialAssignmentDone())
        .as("a second restore from the restored job's checkpoint does not split either")
        .isTrue();
  }

  @Test
  void beamsOwnEnumeratorSplitsAgainWhenRestoredWhichIsWhatTheWrapperPrevents() throws Exception {
    FlinkSource<Long, ?> plain = beamSource();
    @SuppressWarnings("unchecked")
    FlinkSource<Long, Object> source = (FlinkSource<Long, Object>) plain;
    Coordinator<FlinkSourceSplit<Long>> first = new Coordinator<>();
    SplitEnumerator<FlinkSourceSplit<Long>, Map<Integer, List<FlinkSourceSplit<Long>>>> enumerator =
        source.createEnumerator(first);
    first.registerReaders(enumerator);
    enumerator.start();
    Map<Integer, List<FlinkSourceSplit<Long>>> state = enumerator.snapshotState(1);

    Coordinator<FlinkSourceSplit<Long>> afterRestore = new Coordinator<>();
    SplitEnumerator<FlinkSourceSplit<Long>, Map<Integer, List<FlinkSourceSplit<Long>>>> restored =
        source.restoreEnumerator(afterRestore, state);
    afterRestore.registerReaders(restored);
    restored.start();

    assertThat(afterRestore.assignedSplitIds())
        .as(
            "Beam 2.62's enumerator hands out every split again; readers also have theirs from the snapshot")
        .containsExactlyInAnyOrder("0", "1", "2", "3");
  }

  @Test
  void aCheckpointTakenBeforeTheInitialSplitCompletedLetsTheRestoredEnumeratorSplit()
      throws Exception {
    RestoreSafeSource<?, FlinkSourceSplit<Long>, ?> source = wrap(beamSource());
    Coordinator<FlinkSourceSplit<Long>> first = new Coordinator<>();
    first.holdAsyncCalls = true;
    SplitEnumerator<FlinkSourceSplit<Long>, ?> enumerator = source.createEnumerator(first);
    first.registerReaders(enumerator);
    enumerator.start();
    EnumeratorCheckpoint<?> early = checkpoint(source, enumerator);
    assertThat(early.initialAssignmentDone()).isFalse();

    Coordinator<FlinkSourceSplit<Long>> afterRestore = new Coordinator<>();
    SplitEnumerator<FlinkSourceSplit<Long>, ?> restored = restore(source, afterRestore, early);
    afterRestore.registerReaders(restored);
    restored.start();

    assertThat(afterRestore.assignedSplitIds()).containsExactlyInAnyOrder("0", "1", "2", "3");
  }

  @Test
  void aCheckpointInAnotherFormatIsRefusedWithAMessage() {
    RestoreSafeSource<?, FlinkSourceSplit<Long>, ?> source = wrap(beamSource());
    assertThatThrownBy(
            () ->
                source
                    .getEnumeratorCheckpointSerializer()
                    .deserialize(
                        EnumeratorCheckpoint.Serializer.VERSION,
                        new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("plain Flink runner");
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static RestoreSafeSource<?, FlinkSourceSplit<Long>, ?> wrap(FlinkSource<Long, ?> source) {
    return RestoreSafeSource.of((FlinkSource) source);
  }

  private static EnumeratorCheckpoint<?> firstRunUntilCheckpoint(
      RestoreSafeSource<?, FlinkSourceSplit<Long>, ?> source) throws Exception {
    Coordinator<FlinkSourceSplit<Long>> first = new Coordinator<>();
    SplitEnumerator<FlinkSourceSplit<Long>, ?> enumerator = source.createEnumerator(first);
    first.registerReaders(enumerator);
    enumerator.start();
    return checkpoint(source, enumerator);
  }

  /** Snapshots the enumerator and reads the bytes back, as a savepoint and its restore do. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static EnumeratorCheckpoint<?> checkpoint(
      RestoreSafeSource source, SplitEnumerator enumerator) throws Exception {
    Object state = enumerator.snapshotState(7);
    byte[] bytes = source.getEnumeratorCheckpointSerializer().serialize(state);
    return (EnumeratorCheckpoint<?>)
        source
            .getEnumeratorCheckpointSerializer()
            .deserialize(source.getEnumeratorCheckpointSerializer().getVersion(), bytes);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static SplitEnumerator<FlinkSourceSplit<Long>, ?> restore(
      RestoreSafeSource source,
      Coordinator<FlinkSourceSplit<Long>> coordinator,
      EnumeratorCheckpoint<?> checkpoint)
      throws Exception {
    return source.restoreEnumerator(coordinator, checkpoint);
  }

  /**
   * The coordinator's side as the enumerator sees it: {@link #PARALLELISM} registered readers,
   * assignments and "no more splits" recorded; asynchronous calls run at once, or are held back.
   */
  private static final class Coordinator<
          SplitT extends org.apache.flink.api.connector.source.SourceSplit>
      implements SplitEnumeratorContext<SplitT> {
    final Map<Integer, List<SplitT>> assigned = new HashMap<>();
    final Set<Integer> noMoreSplits = new HashSet<>();
    final Map<Integer, ReaderInfo> readers = new HashMap<>();
    private final List<Runnable> heldCalls = new ArrayList<>();
    boolean holdAsyncCalls;

    /** Runs the asynchronous calls held back so far, as the coordinator would later. */
    void runHeldCalls() {
      List<Runnable> calls = new ArrayList<>(heldCalls);
      heldCalls.clear();
      calls.forEach(Runnable::run);
    }

    void registerReaders(SplitEnumerator<SplitT, ?> enumerator) {
      for (int subtask = 0; subtask < PARALLELISM; subtask++) {
        readers.put(subtask, new ReaderInfo(subtask, "localhost"));
        enumerator.addReader(subtask);
      }
    }

    List<String> assignedSplitIds() {
      List<String> ids = new ArrayList<>();
      assigned.values().forEach(splits -> splits.forEach(split -> ids.add(split.splitId())));
      return ids;
    }

    @Override
    public SplitEnumeratorMetricGroup metricGroup() {
      throw new UnsupportedOperationException("no metrics in this test");
    }

    @Override
    public void sendEventToSourceReader(int subtaskId, SourceEvent event) {
      throw new UnsupportedOperationException("Beam's enumerator sends no events");
    }

    @Override
    public int currentParallelism() {
      return PARALLELISM;
    }

    @Override
    public Map<Integer, ReaderInfo> registeredReaders() {
      return readers;
    }

    @Override
    public void assignSplits(SplitsAssignment<SplitT> assignment) {
      assignment
          .assignment()
          .forEach(
              (subtask, splits) ->
                  assigned.computeIfAbsent(subtask, s -> new ArrayList<>()).addAll(splits));
    }

    @Override
    public void signalNoMoreSplits(int subtask) {
      noMoreSplits.add(subtask);
    }

    @Override
    public <T> void callAsync(Callable<T> callable, BiConsumer<T, Throwable> handler) {
      Runnable call =
          () -> {
            T result;
            try {
              result = callable.call();
            } catch (Exception e) {
              handler.accept(null, e);
              return;
            }
            handler.accept(result, null);
          };
      if (holdAsyncCalls) {
        heldCalls.add(call);
      } else {
        call.run();
      }
    }

    @Override
    public <T> void callAsync(
        Callable<T> callable, BiConsumer<T, Throwable> handler, long delay, long period) {
      throw new UnsupportedOperationException("Beam's enumerator calls nothing periodically");
    }

    @Override
    public void runInCoordinatorThread(Runnable runnable) {
      runnable.run();
    }
  }
}
