package io.taxietl.transforms.io.file;

import io.taxietl.avro.TripEvent;
import io.taxietl.transforms.metrics.CountFn;
import io.taxietl.transforms.metrics.EtlMetrics;
import java.util.Objects;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.joda.time.Duration;

/**
 * Writes trips as Parquet files in folders computed from each trip's own time and place.
 *
 * <pre>{@code
 * trips.apply(
 *     "WriteParquetByEventTime",
 *     WriteParquetByEventTime.to(
 *             "s3://my-bucket/trips",
 *             PartitionTemplate.parse("year={pickup_year:%04d}/month={pickup_month:%02d}", zone))
 *         .withWindowSizeSeconds(60)
 *         .withNumShards(1)
 *         .withCompression(CompressionCodecName.SNAPPY));
 * }</pre>
 *
 * <p>Input: {@link TripEvent}s timestamped by arrival. They are grouped into fixed windows of
 * arrival time ({@link #withWindowSizeSeconds}); each window writes, for every partition folder it
 * saw, {@link #withNumShards} files, and commits them (temporary files renamed into place) when the
 * window closes. Each worker first collects the trips of a bundle into one batch per window and
 * partition folder, and the runner groups and buffers batches, not single trips: the per-element
 * cost of the grouping (state access, timers, watermark holds) is paid once per batch. Partitions
 * come from the {@link PartitionTemplate} over the payload, never from the window, so an event with
 * a pickup years in the past is written to its own old partition, not dropped as late. Files are
 * written in a staging folder outside the output folder and moved into place only when the
 * checkpoint covering their window completes ({@link PublishCommittedFiles}), so the output folder
 * holds only final files and, under failures and replays, each row exactly once.
 *
 * <p>Output: the published files, as (partition folder, file name) pairs. Metrics: {@code
 * parquet_rows_written}, {@code parquet_files_written}, {@code parquet_files_committed}
 * (published), {@code parquet_partitions_written} (distinct folders written by this run).
 */
public final class WriteParquetByEventTime
    extends PTransform<PCollection<TripEvent>, PCollection<KV<String, String>>> {
  private static final String FILE_PREFIX = "trips";
  private static final String FILE_SUFFIX = ".parquet";

  /**
   * The most trips in one batch. Any size gives the same files; larger batches mean fewer state
   * operations per trip but larger single records between the runner's workers.
   */
  static final int MAX_BATCH = 1_000;

  private final String outputPath;
  private final String stagingPath;
  private final PartitionTemplate partitionTemplate;
  private final int windowSizeSeconds;
  private final int numShards;
  private final CompressionCodecName compression;

  private WriteParquetByEventTime(
      String outputPath,
      String stagingPath,
      PartitionTemplate partitionTemplate,
      int windowSizeSeconds,
      int numShards,
      CompressionCodecName compression) {
    this.outputPath = outputPath;
    this.stagingPath = stagingPath;
    this.partitionTemplate = partitionTemplate;
    this.windowSizeSeconds = windowSizeSeconds;
    this.numShards = numShards;
    this.compression = compression;
  }

  /**
   * Writes below {@code outputPath} (a local folder or any Beam file system URI, e.g. s3://...).
   */
  public static WriteParquetByEventTime to(String outputPath, PartitionTemplate partitionTemplate) {
    if (outputPath == null || outputPath.isBlank()) {
      throw new IllegalArgumentException("outputPath can not be null or blank");
    }
    return new WriteParquetByEventTime(
        outputPath,
        StagingFolders.siblingOf(outputPath),
        Objects.requireNonNull(partitionTemplate, "partitionTemplate"),
        60,
        1,
        CompressionCodecName.SNAPPY);
  }

  public WriteParquetByEventTime withWindowSizeSeconds(int seconds) {
    if (seconds < 1) {
      throw new IllegalArgumentException("windowSizeSeconds must be at least 1, was " + seconds);
    }
    return new WriteParquetByEventTime(
        outputPath, stagingPath, partitionTemplate, seconds, numShards, compression);
  }

  public WriteParquetByEventTime withNumShards(int shards) {
    if (shards < 1) {
      throw new IllegalArgumentException("numShards must be at least 1, was " + shards);
    }
    return new WriteParquetByEventTime(
        outputPath, stagingPath, partitionTemplate, windowSizeSeconds, shards, compression);
  }

  public WriteParquetByEventTime withCompression(CompressionCodecName codec) {
    return new WriteParquetByEventTime(
        outputPath,
        stagingPath,
        partitionTemplate,
        windowSizeSeconds,
        numShards,
        Objects.requireNonNull(codec, "codec"));
  }

  /**
   * Stages files below {@code path} until their window's inputs are durable (see {@link
   * PublishCommittedFiles}). Default: a hidden sibling of the output folder ({@link
   * StagingFolders#siblingOf}). It must not be below the output folder.
   */
  public WriteParquetByEventTime withStagingPath(String path) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("stagingPath can not be null or blank");
    }
    return new WriteParquetByEventTime(
        outputPath, path, partitionTemplate, windowSizeSeconds, numShards, compression);
  }

  @Override
  public PCollection<KV<String, String>> expand(PCollection<TripEvent> trips) {
    WriteFilesResult<String> written =
        trips
            .apply("CountRows", ParDo.of(new CountFn<TripEvent>(EtlMetrics.PARQUET_ROWS_WRITTEN)))
            .setCoder(trips.getCoder())
            .apply(
                "WindowByArrivalTime",
                Window.<TripEvent>into(
                    FixedWindows.of(Duration.standardSeconds(windowSizeSeconds))))
            .apply("BatchByPartition", ParDo.of(new BatchTripsFn(partitionTemplate, MAX_BATCH)))
            .setCoder(TripBatchCoder.of(partitionTemplate))
            .apply(
                "WriteFiles",
                FileIO.<String, TripBatch>writeDynamic()
                    .by((SerializableFunction<TripBatch, String>) TripBatch::partition)
                    .withDestinationCoder(StringUtf8Coder.of())
                    .via(new TripBatchSink(TripParquetSink.withCompression(compression)))
                    .to(stagingPath)
                    .withNaming(
                        partition -> new WindowedFileNaming(partition, FILE_PREFIX, FILE_SUFFIX))
                    .withNumShards(numShards));
    PCollection<KV<String, String>> staged =
        written
            .getPerDestinationOutputFilenames()
            .apply(
                "CountFiles",
                ParDo.of(new CountFn<KV<String, String>>(EtlMetrics.PARQUET_FILES_WRITTEN)))
            .setCoder(written.getPerDestinationOutputFilenames().getCoder());
    staged
        .apply("IntoOneWindow", Window.into(new GlobalWindows()))
        .apply(
            "KeyByPartition",
            MapElements.into(
                    TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.booleans()))
                .via(file -> KV.of(file.getKey(), true)))
        .apply("CountNewPartitions", ParDo.of(new CountFirstPerKeyFn()));
    PCollection<KV<String, String>> files =
        staged.apply(
            "PublishFiles",
            PublishCommittedFiles.<String>from(
                stagingPath, outputPath, EtlMetrics.PARQUET_FILES_COMMITTED));
    return files;
  }

  /** Counts each partition folder the first time this run commits a file into it. */
  static final class CountFirstPerKeyFn extends DoFn<KV<String, Boolean>, Void> {
    @StateId("seen")
    private final StateSpec<ValueState<Boolean>> seenSpec = StateSpecs.value();

    private transient EtlMetrics.EtlCounter partitions;

    @Setup
    public void setup() {
      partitions = EtlMetrics.counter(EtlMetrics.PARQUET_PARTITIONS_WRITTEN);
    }

    @ProcessElement
    public void processElement(@StateId("seen") ValueState<Boolean> seen) {
      if (seen.read() == null) {
        seen.write(true);
        partitions.inc();
      }
    }
  }
}
