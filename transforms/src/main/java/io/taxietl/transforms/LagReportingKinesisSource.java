package io.taxietl.transforms;

import io.taxietl.transforms.io.kinesis.KinesisShardLag;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.io.aws2.common.ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.common.ClientConfiguration;
import org.apache.beam.sdk.io.aws2.kinesis.KinesisIO;
import org.apache.beam.sdk.io.aws2.kinesis.KinesisRecord;
import org.apache.beam.sdk.io.aws2.options.AwsOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * KinesisIO's source, unchanged, with readers that also report how far they are behind each shard's
 * tip ({@link KinesisShardLag}). Splits, checkpoints and records are KinesisIO's own: every call is
 * passed on.
 *
 * <p>Why a wrapper: the lag has to be reported by the reader, which the runner asks to advance even
 * when no record arrives, so the gauges fall to 0 on an idle stream; a step after the source only
 * runs when records arrive.
 *
 * <p>The wrapper also answers for a reader that was created but not started yet, which KinesisIO's
 * reader cannot (it throws a {@code NullPointerException}): Beam 2.62's Flink runner creates a
 * reader for each split it is given and starts it only when it first reads from it, but may take a
 * checkpoint in between, as it does right after a restore. Such a reader's checkpoint mark is the
 * one it was created from ({@link ReaderMark} holds none for a reader that starts at the stream's
 * initial position), and its watermark the lowest.
 */
public final class LagReportingKinesisSource<MarkT extends UnboundedSource.CheckpointMark>
    extends UnboundedSource<KinesisRecord, LagReportingKinesisSource.ReaderMark<MarkT>> {
  private static final long serialVersionUID = 1L;

  private final UnboundedSource<KinesisRecord, MarkT> source;
  private final String stream;
  private final ClientConfiguration client;

  private LagReportingKinesisSource(
      UnboundedSource<KinesisRecord, MarkT> source, String stream, ClientConfiguration client) {
    this.source = source;
    this.stream = stream;
    this.client = client;
  }

  /**
   * KinesisIO's source for {@code read}, wrapped. The source class is not public, so {@code read}
   * is expanded into a scratch pipeline (never run) and its unbounded read taken from there.
   */
  public static LagReportingKinesisSource<?> of(
      KinesisIO.Read read, String stream, ClientConfiguration client, PipelineOptions options) {
    return wrap(kinesisSourceOf(read, options), stream, client);
  }

  private static <M extends UnboundedSource.CheckpointMark> LagReportingKinesisSource<M> wrap(
      UnboundedSource<KinesisRecord, M> source, String stream, ClientConfiguration client) {
    return new LagReportingKinesisSource<>(source, stream, client);
  }

  @SuppressWarnings("unchecked")
  private static UnboundedSource<KinesisRecord, ?> kinesisSourceOf(
      KinesisIO.Read read, PipelineOptions options) {
    ScratchPipeline scratch = new ScratchPipeline(options);
    scratch.apply(read);
    List<UnboundedSource<?, ?>> found = new ArrayList<>();
    scratch.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
            if (node.getTransform() instanceof Read.Unbounded<?>) {
              found.add(((Read.Unbounded<?>) node.getTransform()).getSource());
              return CompositeBehavior.DO_NOT_ENTER_TRANSFORM;
            }
            return CompositeBehavior.ENTER_TRANSFORM;
          }
        });
    if (found.size() != 1) {
      throw new IllegalStateException(
          "KinesisIO.read() expanded to "
              + found.size()
              + " unbounded reads, expected 1: has Beam changed?");
    }
    return (UnboundedSource<KinesisRecord, ?>) found.get(0);
  }

  @Override
  public List<LagReportingKinesisSource<MarkT>> split(int desiredNumSplits, PipelineOptions options)
      throws Exception {
    List<LagReportingKinesisSource<MarkT>> splits = new ArrayList<>();
    for (UnboundedSource<KinesisRecord, MarkT> split : source.split(desiredNumSplits, options)) {
      splits.add(new LagReportingKinesisSource<>(split, stream, client));
    }
    return splits;
  }

  @Override
  public UnboundedReader<KinesisRecord> createReader(
      PipelineOptions options, @Nullable ReaderMark<MarkT> checkpointMark) throws IOException {
    AwsOptions aws = options.as(AwsOptions.class);
    KinesisShardLag lag =
        new KinesisShardLag(
            stream, () -> ClientBuilderFactory.buildClient(aws, KinesisClient.builder(), client));
    MarkT from = checkpointMark == null ? null : checkpointMark.kinesisMark();
    return new Reader<>(this, source.createReader(options, from), from, lag);
  }

  @Override
  public Coder<ReaderMark<MarkT>> getCheckpointMarkCoder() {
    return new ReaderMarkCoder<>(source.getCheckpointMarkCoder());
  }

  @Override
  public boolean requiresDeduping() {
    return source.requiresDeduping();
  }

  @Override
  public Coder<KinesisRecord> getOutputCoder() {
    return source.getOutputCoder();
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    source.populateDisplayData(builder);
  }

  /**
   * KinesisIO's checkpoint mark of a reader, or none for a reader that has not started and was
   * created without one (it starts at the stream's initial position).
   */
  static final class ReaderMark<MarkT extends CheckpointMark> implements CheckpointMark {
    private final @Nullable MarkT kinesisMark;

    ReaderMark(@Nullable MarkT kinesisMark) {
      this.kinesisMark = kinesisMark;
    }

    @Nullable MarkT kinesisMark() {
      return kinesisMark;
    }

    @Override
    public void finalizeCheckpoint() throws IOException {
      if (kinesisMark != null) {
        kinesisMark.finalizeCheckpoint();
      }
    }
  }

  /** Encodes a {@link ReaderMark} as KinesisIO's mark, or its absence. */
  static final class ReaderMarkCoder<MarkT extends CheckpointMark>
      extends CustomCoder<ReaderMark<MarkT>> {
    private static final long serialVersionUID = 1L;
    private final Coder<@Nullable MarkT> kinesisMarkCoder;

    ReaderMarkCoder(Coder<MarkT> kinesisMarkCoder) {
      this.kinesisMarkCoder = NullableCoder.of(kinesisMarkCoder);
    }

    @Override
    public void encode(ReaderMark<MarkT> mark, OutputStream out) throws IOException {
      kinesisMarkCoder.encode(mark.kinesisMark(), out);
    }

    @Override
    public ReaderMark<MarkT> decode(InputStream in) throws IOException {
      return new ReaderMark<>(kinesisMarkCoder.decode(in));
    }
  }

  private static final class Reader<MarkT extends CheckpointMark>
      extends UnboundedReader<KinesisRecord> {
    private final LagReportingKinesisSource<MarkT> source;
    private final UnboundedReader<KinesisRecord> reader;
    private final @Nullable MarkT createdFrom;
    private final KinesisShardLag lag;
    private boolean started;

    Reader(
        LagReportingKinesisSource<MarkT> source,
        UnboundedReader<KinesisRecord> reader,
        @Nullable MarkT createdFrom,
        KinesisShardLag lag) {
      this.source = source;
      this.reader = reader;
      this.createdFrom = createdFrom;
      this.lag = lag;
    }

    @Override
    public boolean start() throws IOException {
      started = true;
      return noted(reader.start());
    }

    @Override
    public boolean advance() throws IOException {
      return noted(reader.advance());
    }

    private boolean noted(boolean available) {
      if (available) {
        KinesisRecord record = reader.getCurrent();
        Instant arrival = record.getApproximateArrivalTimestamp();
        lag.read(
            record.getShardId(),
            record.getSequenceNumber(),
            arrival == null ? System.currentTimeMillis() : arrival.getMillis());
      }
      lag.report();
      return available;
    }

    @Override
    public KinesisRecord getCurrent() throws NoSuchElementException {
      return reader.getCurrent();
    }

    @Override
    public Instant getCurrentTimestamp() throws NoSuchElementException {
      return reader.getCurrentTimestamp();
    }

    @Override
    public byte[] getCurrentRecordId() throws NoSuchElementException {
      return reader.getCurrentRecordId();
    }

    @Override
    public Instant getWatermark() {
      return started ? reader.getWatermark() : BoundedWindow.TIMESTAMP_MIN_VALUE;
    }

    @Override
    @SuppressWarnings(
        "unchecked") // the mark of KinesisIO's reader is the type of KinesisIO's source
    public ReaderMark<MarkT> getCheckpointMark() {
      return new ReaderMark<>(started ? (MarkT) reader.getCheckpointMark() : createdFrom);
    }

    @Override
    public long getSplitBacklogBytes() {
      return started ? reader.getSplitBacklogBytes() : BACKLOG_UNKNOWN;
    }

    @Override
    public long getTotalBacklogBytes() {
      return started ? reader.getTotalBacklogBytes() : BACKLOG_UNKNOWN;
    }

    @Override
    public UnboundedSource<KinesisRecord, ?> getCurrentSource() {
      return source;
    }

    @Override
    public void close() throws IOException {
      try {
        lag.close();
      } finally {
        closeReader();
      }
    }

    private void closeReader() throws IOException {
      try {
        reader.close();
      } catch (NullPointerException e) {
        // KinesisIO 2.62's reader closes its client first and then stops shard readers it only has
        // once
        // started; a reader closed before it started has nothing else to stop.
        if (started) {
          throw e;
        }
      }
    }
  }

  /**
   * A pipeline that is only built, never run: its constructor, unlike {@code Pipeline.create},
   * starts no runner.
   */
  private static final class ScratchPipeline extends Pipeline {
    ScratchPipeline(PipelineOptions options) {
      super(options);
    }
  }
}
