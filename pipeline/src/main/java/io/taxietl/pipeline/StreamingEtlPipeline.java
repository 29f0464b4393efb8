package io.taxietl.pipeline;

import io.taxietl.avro.FailedEvent;
import io.taxietl.avro.RawEvent;
import io.taxietl.avro.TripEvent;
import io.taxietl.options.ParquetCompression;
import io.taxietl.options.StreamingEtlOptions;
import io.taxietl.pipeline.validation.OptionsValidator;
import io.taxietl.transforms.deadletter.FailedEventJson;
import io.taxietl.transforms.deadletter.WriteDeadLetters;
import io.taxietl.transforms.enrich.AddZoneNames;
import io.taxietl.transforms.enrich.ZoneLookup;
import io.taxietl.transforms.event.TripEventJson;
import io.taxietl.transforms.io.elasticsearch.IndexToElasticsearch;
import io.taxietl.transforms.io.file.PartitionTemplate;
import io.taxietl.transforms.io.file.WriteParquetByEventTime;
import io.taxietl.transforms.io.kafka.WriteToKafka;
import io.taxietl.transforms.metrics.EtlMetrics;
import io.taxietl.transforms.parse.ParseTripEvents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.ZoneId;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * The pipeline, as the architecture diagram draws it: source -> parse and validate -> zone names ->
 * sinks (Parquet by event time, a Kafka topic, Elasticsearch), with every rejected event to the
 * dead letters (files, a Kafka topic).
 *
 * <p>Step names are stable: on Flink they become operator ids, and renaming one breaks restoring a
 * savepoint.
 */
public final class StreamingEtlPipeline {
  private StreamingEtlPipeline() {}

  /**
   * Creates the whole job for {@code options}, reading from the source they name: the one entry
   * point that every launcher (the command line, the managed-Flink launcher) runs. Options must be
   * valid (see {@link OptionsValidator}).
   */
  public static Pipeline create(StreamingEtlOptions options) {
    setUpFileSystems(options);
    Pipeline pipeline = Pipeline.create(options);
    build(pipeline, options, EventSources.fromOptions(options));
    return pipeline;
  }

  /**
   * Makes Beam's file systems in this JVM use {@code options}, the {@code s3://} file system with
   * the pipeline's S3 settings among them: call before validating the options or listing their
   * paths. {@link #create} calls it too.
   */
  public static void setUpFileSystems(StreamingEtlOptions options) {
    S3ClientSettings.apply(options);
    FileSystems.setDefaultPipelineOptions(options);
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
    PCollection<TripEvent> trips =
        parsed.get(ParseTripEvents.TRIPS).apply("AddZoneNames", AddZoneNames.from(zones(options)));
    PCollection<FailedEvent> deadLetters = parsed.get(ParseTripEvents.DEAD_LETTERS);

    if (isSet(options.getOutputPath())) {
      trips.apply(
          "WriteParquetByEventTime",
          WriteParquetByEventTime.to(
                  options.getOutputPath(),
                  PartitionTemplate.parse(options.getPartitionTemplate(), zone))
              .withWindowSizeSeconds(options.getWindowSizeSeconds())
              .withNumShards(options.getNumShards())
              .withCompression(codec(options.getParquetCompression())));
    }
    if (isSet(options.getOutputKafkaTopic())) {
      trips.apply(
          "WriteTripsToKafka",
          kafkaSink(
              WriteToKafka.<TripEvent>to(
                  options.getOutputKafkaBootstrapServers(),
                  options.getOutputKafkaTopic(),
                  trip -> Long.toString(trip.getTripId()),
                  TripEventJson::toJson,
                  EtlMetrics.KAFKA_TRIPS_PRODUCED),
              options,
              "trips"));
    }

    if (ElasticsearchSink.enabled(options)) {
      PCollectionTuple indexed =
          trips.apply("IndexToElasticsearch", ElasticsearchSink.fromOptions(options));
      deadLetters =
          PCollectionList.of(deadLetters)
              .and(indexed.get(IndexToElasticsearch.DEAD_LETTERS))
              .apply("CollectDeadLetters", Flatten.pCollections());
    }

    if (isSet(options.getDeadLetterPath())) {
      deadLetters.apply(
          "WriteDeadLetters",
          WriteDeadLetters.to(options.getDeadLetterPath())
              .withWindowSizeSeconds(options.getWindowSizeSeconds()));
    }
    if (isSet(options.getDeadLetterKafkaTopic())) {
      deadLetters.apply(
          "WriteDeadLettersToKafka",
          kafkaSink(
              WriteToKafka.<FailedEvent>to(
                  deadLetterBootstrapServers(options),
                  options.getDeadLetterKafkaTopic(),
                  failed -> failed.getTripId() == null ? null : Long.toString(failed.getTripId()),
                  FailedEventJson::toJson,
                  EtlMetrics.KAFKA_DEAD_LETTERS_PRODUCED),
              options,
              "dead-letters"));
    }
  }

  /**
   * The servers of the dead-letter topic: its own, else the Kafka output's, else the Kafka input's.
   */
  public static String deadLetterBootstrapServers(StreamingEtlOptions options) {
    if (isSet(options.getDeadLetterKafkaBootstrapServers())) {
      return options.getDeadLetterKafkaBootstrapServers();
    }
    return isSet(options.getOutputKafkaBootstrapServers())
        ? options.getOutputKafkaBootstrapServers()
        : options.getInputKafkaBootstrapServers();
  }

  private static <T> WriteToKafka<T> kafkaSink(
      WriteToKafka<T> sink, StreamingEtlOptions options, String sinkName) {
    WriteToKafka<T> configured =
        sink.withProducerProperties(
            KeyValueOptions.parse("kafkaProducerProperties", options.getKafkaProducerProperties()));
    return options.getKafkaExactlyOnce()
        ? configured.withExactlyOnce(
            options.getKafkaExactlyOnceShards(),
            options.getKafkaExactlyOnceSinkGroup() + "-" + sinkName)
        : configured;
  }

  /**
   * The zone lookup of {@code --zoneLookupPath}, or the bundled one; read once, here, while the job
   * is built, and shipped with the step that uses it.
   */
  private static ZoneLookup zones(StreamingEtlOptions options) {
    String path = options.getZoneLookupPath();
    if (!isSet(path)) {
      return ZoneLookup.bundled();
    }
    try {
      return ZoneLookup.read(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read --zoneLookupPath=" + path, e);
    }
  }

  public static boolean isSet(String value) {
    return value != null && !value.isBlank();
  }

  private static CompressionCodecName codec(ParquetCompression compression) {
    switch (compression) {
      case SNAPPY:
        return CompressionCodecName.SNAPPY;
      case GZIP:
        return CompressionCodecName.GZIP;
      case ZSTD:
        return CompressionCodecName.ZSTD;
      case UNCOMPRESSED:
        return CompressionCodecName.UNCOMPRESSED;
      default:
        throw new IllegalArgumentException("unknown compression " + compression);
    }
  }
}
