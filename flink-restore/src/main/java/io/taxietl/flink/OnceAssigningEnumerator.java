package io.taxietl.flink;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.metrics.groups.SplitEnumeratorMetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The enumerator of a {@link RestoreSafeSource}: the wrapped enumerator, started only if its
 * initial assignment has not completed in an earlier run of the job.
 *
 * <p>The initial assignment counts as completed once {@code start()} has returned and every
 * asynchronous call it made ({@link SplitEnumeratorContext#callAsync(Callable, BiConsumer)}: Beam's
 * enumerator splits the source in one) has run its handler without an error. Everything runs in the
 * coordinator's thread, as Flink calls enumerators and handlers there.
 *
 * <p>When it completes, every registered reader that got no split is told that none will come. Beam
 * 2.62's enumerator forgets them: it tells only readers that register after the split, so with
 * fewer splits than readers (a Kafka topic with fewer partitions, a Kinesis stream with fewer
 * shards than the parallelism) a reader that registered first waits for a split forever, and its
 * watermark holds back every window of the job.
 */
final class OnceAssigningEnumerator<SplitT extends SourceSplit, PendingT>
    implements SplitEnumerator<SplitT, EnumeratorCheckpoint<PendingT>> {
  private static final Logger LOG = LoggerFactory.getLogger(OnceAssigningEnumerator.class);

  private final SplitEnumerator<SplitT, PendingT> enumerator;
  private final TrackingContext<SplitT> context;
  private final boolean restoredAfterAssignment;

  OnceAssigningEnumerator(
      SplitEnumerator<SplitT, PendingT> enumerator,
      TrackingContext<SplitT> context,
      boolean restoredAfterAssignment) {
    this.enumerator = enumerator;
    this.context = context;
    this.restoredAfterAssignment = restoredAfterAssignment;
  }

  @Override
  public void start() {
    if (restoredAfterAssignment) {
      LOG.info(
          "Restored after the initial split assignment: the readers continue from their restored splits and no"
              + " split is made again");
      return;
    }
    context.startCalled();
    enumerator.start();
    context.startReturned();
  }

  @Override
  public void handleSplitRequest(int subtaskId, String requesterHostname) {
    enumerator.handleSplitRequest(subtaskId, requesterHostname);
  }

  @Override
  public void addSplitsBack(List<SplitT> splits, int subtaskId) {
    enumerator.addSplitsBack(splits, subtaskId);
  }

  @Override
  public void addReader(int subtaskId) {
    context.readerRegistering(subtaskId);
    enumerator.addReader(subtaskId);
    boolean answered = context.readerRegistered();
    if (restoredAfterAssignment && !answered) {
      // The wrapped enumerator was not started, so it does not know that splitting is over; a
      // reader
      // left waiting would keep the job's watermark back.
      context.signalNoMoreSplits(subtaskId);
    }
  }

  @Override
  public EnumeratorCheckpoint<PendingT> snapshotState(long checkpointId) throws Exception {
    return new EnumeratorCheckpoint<>(
        restoredAfterAssignment || context.initialAssignmentDone(),
        enumerator.snapshotState(checkpointId));
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) throws Exception {
    enumerator.notifyCheckpointComplete(checkpointId);
  }

  @Override
  public void notifyCheckpointAborted(long checkpointId) throws Exception {
    enumerator.notifyCheckpointAborted(checkpointId);
  }

  @Override
  public void handleSourceEvent(int subtaskId, SourceEvent sourceEvent) {
    enumerator.handleSourceEvent(subtaskId, sourceEvent);
  }

  @Override
  public void close() throws IOException {
    enumerator.close();
  }

  /**
   * The coordinator's context as the wrapped enumerator sees it: everything is passed through; it
   * notes when the asynchronous work started by {@code start()} is done and whether a registering
   * reader was given splits or told that none will come.
   */
  static final class TrackingContext<SplitT extends SourceSplit>
      implements SplitEnumeratorContext<SplitT> {
    private final SplitEnumeratorContext<SplitT> context;
    private boolean inStart;
    private boolean startReturned;
    private int startCallsPending;
    private boolean startCallFailed;
    private int registeringReader = -1;
    private boolean registeringReaderAnswered;
    private final Set<Integer> answeredReaders = new HashSet<>();

    TrackingContext(SplitEnumeratorContext<SplitT> context) {
      this.context = context;
    }

    void startCalled() {
      inStart = true;
    }

    void startReturned() {
      inStart = false;
      startReturned = true;
      answerWaitingReadersOnceAssigned();
    }

    /** Once the initial assignment is done, tells each reader still without an answer. */
    private void answerWaitingReadersOnceAssigned() {
      if (!initialAssignmentDone()) {
        return;
      }
      for (int reader : new TreeSet<>(context.registeredReaders().keySet())) {
        if (!answeredReaders.contains(reader)) {
          LOG.info("Subtask {} got no split: telling it that none will come", reader);
          signalNoMoreSplits(reader);
        }
      }
    }

    boolean initialAssignmentDone() {
      return startReturned && startCallsPending == 0 && !startCallFailed;
    }

    void readerRegistering(int subtaskId) {
      registeringReader = subtaskId;
      registeringReaderAnswered = false;
    }

    boolean readerRegistered() {
      registeringReader = -1;
      return registeringReaderAnswered;
    }

    private void answered(int subtaskId) {
      answeredReaders.add(subtaskId);
      if (subtaskId == registeringReader) {
        registeringReaderAnswered = true;
      }
    }

    @Override
    public SplitEnumeratorMetricGroup metricGroup() {
      return context.metricGroup();
    }

    @Override
    public void sendEventToSourceReader(int subtaskId, SourceEvent event) {
      context.sendEventToSourceReader(subtaskId, event);
    }

    @Override
    public void sendEventToSourceReader(int subtaskId, int attemptNumber, SourceEvent event) {
      context.sendEventToSourceReader(subtaskId, attemptNumber, event);
    }

    @Override
    public int currentParallelism() {
      return context.currentParallelism();
    }

    @Override
    public Map<Integer, ReaderInfo> registeredReaders() {
      return context.registeredReaders();
    }

    @Override
    public Map<Integer, Map<Integer, ReaderInfo>> registeredReadersOfAttempts() {
      return context.registeredReadersOfAttempts();
    }

    @Override
    public void assignSplits(SplitsAssignment<SplitT> newSplitAssignments) {
      newSplitAssignments.assignment().keySet().forEach(this::answered);
      context.assignSplits(newSplitAssignments);
    }

    @Override
    public void assignSplit(SplitT split, int subtask) {
      answered(subtask);
      context.assignSplit(split, subtask);
    }

    @Override
    public void signalNoMoreSplits(int subtask) {
      answered(subtask);
      context.signalNoMoreSplits(subtask);
    }

    @Override
    public <T> void callAsync(Callable<T> callable, BiConsumer<T, Throwable> handler) {
      if (!inStart) {
        context.callAsync(callable, handler);
        return;
      }
      startCallsPending++;
      context.callAsync(
          callable,
          (result, error) -> {
            if (error != null) {
              startCallFailed = true;
            }
            handler.accept(result, error);
            startCallsPending--;
            answerWaitingReadersOnceAssigned();
          });
    }

    @Override
    public <T> void callAsync(
        Callable<T> callable,
        BiConsumer<T, Throwable> handler,
        long initialDelayMillis,
        long periodMillis) {
      context.callAsync(callable, handler, initialDelayMillis, periodMillis);
    }

    @Override
    public void runInCoordinatorThread(Runnable runnable) {
      context.runInCoordinatorThread(runnable);
    }

    @Override
    public void setIsProcessingBacklog(boolean isProcessingBacklog) {
      context.setIsProcessingBacklog(isProcessingBacklog);
    }
  }
}
