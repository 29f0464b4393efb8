package io.taxietl.pipeline;

import io.taxietl.avro.FailedEvent;
import io.taxietl.avro.RawEvent;
import io.taxietl.options.ParquetCompression;
import io.taxietl.options.StreamingEtlOptions;
import io.taxietl.transforms.IndexToElasticsearch;
import io.taxietl.transforms.ParseTripEvents;
import io.taxietl.transforms.PartitionTemplate;
import io.taxietl.transforms.WriteDeadLetters;
import io.taxietl.transforms.WriteParquetByEventTime;
import java.time.ZoneId;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * The pipeline, as the architecture diagram draws it: source -> parse and validate -> Parquet by
 * event time (and, with {@code --outputElasticsearchEndpoint}, Elasticsearch), with every rejected
 * event to the dead letters.
 *
 * <p>Step names are stable: on Flink they become operator ids, and renaming one breaks restoring a
 * savepoint.
 */
public final class StreamingEtlPipeline {
  private StreamingEtlPipeline() {}

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

    PCollection<FailedEvent> deadLetters = parsed.get(ParseTripEvents.DEAD_LETTERS);
    if (ElasticsearchSink.enabled(options)) {
      PCollectionTuple indexed =
          parsed
              .get(ParseTripEvents.TRIPS)
              .apply("IndexToElasticsearch", ElasticsearchSink.fromOptions(options));
      deadLetters =
          PCollectionList.of(deadLetters)
              .and(indexed.get(IndexToElasticsearch.DEAD_LETTERS))
              .apply("CollectDeadLetters", Flatten.pCollections());
    }

    deadLetters
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
