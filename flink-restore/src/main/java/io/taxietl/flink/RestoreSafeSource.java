package io.taxietl.flink;

import java.util.Objects;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A Flink source whose split enumerator hands out the initial splits once per job lineage, not once
 * per start: a job restored from a savepoint or checkpoint taken after the initial assignment gets
 * its splits only from the readers' restored state.
 *
 * <p>Why: Beam 2.62's Flink runner translates every Beam {@code Read} into a {@code FlinkSource}
 * whose enumerator splits the Beam source in {@code start()}, and Flink calls {@code start()} on a
 * restored enumerator too. Each reader then reads its restored splits (from their checkpoint marks)
 * and a fresh copy of every split (from the source's starting position): every Kafka record or
 * Kinesis record after the restore point is read twice, or, with {@code TRIM_HORIZON}/{@code
 * EARLIEST}, the whole stream again (apache/beam#31313, fixed in a later runner that does not
 * resolve with the IOs this project uses). This decorator keeps everything of the wrapped source
 * (readers, split serializer, the enumerator's own logic) and adds one bit to the enumerator's
 * checkpoint: whether the initial assignment has completed. A restored enumerator with that bit set
 * is not started again; a reader that registers with no split waiting for it is told that no more
 * splits will come, as the original enumerator does once it has split.
 *
 * <p>Rescaling: the readers' restored splits are redistributed by Flink over the new parallelism,
 * so every split keeps being read from its checkpoint mark exactly once. A split is never divided
 * after the initial assignment, so to let the source's readers spread over more subtasks after a
 * scale-out, the initial assignment must already have enough splits: the runner makes as many as
 * the job's max parallelism allows (one per Kafka partition or Kinesis shard when {@code
 * maxParallelism} is set).
 *
 * <p>State compatibility: the enumerator checkpoint is this class's format ({@link
 * EnumeratorCheckpoint}); a savepoint of the plain runner does not restore into it.
 */
public final class RestoreSafeSource<T, SplitT extends SourceSplit, PendingT>
    implements Source<T, SplitT, EnumeratorCheckpoint<PendingT>> {
  private static final long serialVersionUID = 1L;

  private final Source<T, SplitT, PendingT> source;

  private RestoreSafeSource(Source<T, SplitT, PendingT> source) {
    this.source = Objects.requireNonNull(source, "source");
  }

  /** Wraps {@code source}, whose enumerator does its initial assignment when started. */
  public static <T, SplitT extends SourceSplit, PendingT> RestoreSafeSource<T, SplitT, PendingT> of(
      Source<T, SplitT, PendingT> source) {
    return new RestoreSafeSource<>(source);
  }

  /** The wrapped source. */
  public Source<T, SplitT, PendingT> wrapped() {
    return source;
  }

  @Override
  public Boundedness getBoundedness() {
    return source.getBoundedness();
  }

  /**
   * The wrapped source's reader, with its metrics handed to Flink once per second instead of after
   * every record, and its idle unbounded readers skipped for a moment instead of asked once per
   * record of the others ({@link PacedReaderInvocation}).
   */
  @Override
  public SourceReader<T, SplitT> createReader(SourceReaderContext readerContext) throws Exception {
    SourceReader<T, SplitT> reader = source.createReader(readerContext);
    PacedReaderInvocation.install(reader);
    return reader;
  }

  @Override
  public SplitEnumerator<SplitT, EnumeratorCheckpoint<PendingT>> createEnumerator(
      SplitEnumeratorContext<SplitT> context) throws Exception {
    OnceAssigningEnumerator.TrackingContext<SplitT> tracking =
        new OnceAssigningEnumerator.TrackingContext<>(context);
    return new OnceAssigningEnumerator<>(source.createEnumerator(tracking), tracking, false);
  }

  @Override
  public SplitEnumerator<SplitT, EnumeratorCheckpoint<PendingT>> restoreEnumerator(
      SplitEnumeratorContext<SplitT> context, EnumeratorCheckpoint<PendingT> checkpoint)
      throws Exception {
    OnceAssigningEnumerator.TrackingContext<SplitT> tracking =
        new OnceAssigningEnumerator.TrackingContext<>(context);
    return new OnceAssigningEnumerator<>(
        source.restoreEnumerator(tracking, checkpoint.pending()),
        tracking,
        checkpoint.initialAssignmentDone());
  }

  @Override
  public SimpleVersionedSerializer<SplitT> getSplitSerializer() {
    return source.getSplitSerializer();
  }

  @Override
  public SimpleVersionedSerializer<EnumeratorCheckpoint<PendingT>>
      getEnumeratorCheckpointSerializer() {
    return new EnumeratorCheckpoint.Serializer<>(source.getEnumeratorCheckpointSerializer());
  }

  @Override
  public String toString() {
    return "RestoreSafeSource(" + source + ")";
  }
}
