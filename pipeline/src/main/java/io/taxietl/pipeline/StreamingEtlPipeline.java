package io.taxietl.pipeline;

import io.taxietl.avro.RawEvent;
import io.taxietl.options.ParquetCompression;
import io.taxietl.options.StreamingEtlOptions;
import io.taxietl.transforms.ParseTripEvents;
import io.taxietl.transforms.PartitionTemplate;
import io.taxietl.transforms.WriteDeadLetters;
import io.taxietl.transforms.WriteParquetByEventTime;
import java.time.ZoneId;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * The pipeline, as the architecture diagram draws it: source -> parse and validate -> Parquet by
 * event time, with every rejected event to the dead letters.
 *
 * <p>Step names are stable: on Flink they become operator ids, and renaming one breaks restoring a
 * savepoint.
 */
public final class StreamingEtlPipeline {
  private StreamingEtlPipeline() {}

  /**
   * Creates the whole job for {@code options}, reading from the source they name: the one entry point
   * that every launcher (the command line, the managed-Flink launcher) runs. Options must be valid
   * (see {@link OptionsValidator}).
   */
  public static Pipeline create(StreamingEtlOptions options) {
    Pipeline pipeline = Pipeline.create(options);
    build(pipeline, options, EventSources.fromOptions(options));
    return pipeline;
  }

  /** Adds the whole job to {@code pipeline}, reading from {@code source}. Options must be valid. */
  public static void build(
      Pipeline pipeline,
      StreamingEtlOptions options,
      PTransform<PBegin, PCollection<RawEvent>> source) {
    ZoneId zone = ZoneId.of(options.getEventTimeZone());
    PCollectionTuple parsed =
        pipeline
            .apply("ReadEvents", source)
            .apply("ParseTripEvents", ParseTripEvents.withEventTimeZone(zone));

    parsed
        .get(ParseTripEvents.TRIPS)
        .apply(
            "WriteParquetByEventTime",
            WriteParquetByEventTime.to(
                    options.getOutputPath(),
                    PartitionTemplate.parse(options.getPartitionTemplate(), zone))
                .withWindowSizeSeconds(options.getWindowSizeSeconds())
                .withNumShards(options.getNumShards())
                .withCompression(codec(options.getParquetCompression())));

    parsed
        .get(ParseTripEvents.DEAD_LETTERS)
        .apply(
            "WriteDeadLetters",
            WriteDeadLetters.to(options.getDeadLetterPath())
                .withWindowSizeSeconds(options.getWindowSizeSeconds()));
  }

  private static CompressionCodecName codec(ParquetCompression compression) {
    return switch (compression) {
      case SNAPPY -> CompressionCodecName.SNAPPY;
      case GZIP -> CompressionCodecName.GZIP;
      case ZSTD -> CompressionCodecName.ZSTD;
      case UNCOMPRESSED -> CompressionCodecName.UNCOMPRESSED;
    };
  }
}
