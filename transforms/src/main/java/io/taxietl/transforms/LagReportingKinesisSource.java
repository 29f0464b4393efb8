package io.taxietl.transforms;

import io.taxietl.transforms.io.kinesis.KinesisShardLag;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
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
import org.checkerframework.checker.nullness.qual.Nullable;
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
 * one it was created from ({@link KinesisReaderMark} holds none for a reader that starts at the
 * stream's initial position), and its watermark the lowest.
 */
public final class LagReportingKinesisSource<MarkT extends UnboundedSource.CheckpointMark>
    extends UnboundedSource<KinesisRecord, KinesisReaderMark<MarkT>> {
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
      PipelineOptions options, @Nullable KinesisReaderMark<MarkT> checkpointMark)
      throws IOException {
    AwsOptions aws = options.as(AwsOptions.class);
    KinesisShardLag lag =
        new KinesisShardLag(
            stream, () -> ClientBuilderFactory.buildClient(aws, KinesisClient.builder(), client));
    MarkT from = checkpointMark == null ? null : checkpointMark.kinesisMark();
    return new LagReportingKinesisReader<>(this, source.createReader(options, from), from, lag);
  }

  @Override
  public Coder<KinesisReaderMark<MarkT>> getCheckpointMarkCoder() {
    return new KinesisReaderMark.Coder<>(source.getCheckpointMarkCoder());
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
   * A pipeline that is only built, never run: its constructor, unlike {@code Pipeline.create},
   * starts no runner.
   */
  private static final class ScratchPipeline extends Pipeline {
    ScratchPipeline(PipelineOptions options) {
      super(options);
    }
  }
}
