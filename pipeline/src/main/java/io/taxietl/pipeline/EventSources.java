package io.taxietl.pipeline;

import io.taxietl.avro.RawEvent;
import io.taxietl.options.StreamingEtlOptions;
import io.taxietl.transforms.io.file.ReadEventFiles;
import io.taxietl.transforms.io.kafka.KafkaStartingPosition;
import io.taxietl.transforms.io.kafka.ReadKafkaEvents;
import io.taxietl.transforms.io.kinesis.KinesisStartingPosition;
import io.taxietl.transforms.io.kinesis.ReadKinesisEvents;
import java.net.URI;
import java.time.Duration;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/** Chooses the source transform that the options ask for. Options must be valid. */
final class EventSources {
  private EventSources() {}

  static PTransform<PBegin, PCollection<RawEvent>> fromOptions(StreamingEtlOptions options) {
    switch (options.getSource()) {
      case FILE:
        return ReadEventFiles.from(options.getInputPath());
      case KAFKA:
        return ReadKafkaEvents.from(
                options.getInputKafkaBootstrapServers(),
                KeyValueOptions.splitList(options.getInputKafkaTopic()),
                options.getKafkaConsumerGroup())
            .withStartingPosition(KafkaStartingPosition.parse(options.getKafkaStartingPosition()))
            .withConsumerProperties(
                KeyValueOptions.parse(
                    "kafkaConsumerProperties", options.getKafkaConsumerProperties()));
      case KINESIS:
        return ReadKinesisEvents.from(options.getInputKinesisStream())
            .withRegion(
                StreamingEtlPipeline.isSet(options.getInputStreamRegion())
                    ? options.getInputStreamRegion().trim()
                    : null)
            .withEndpoint(
                StreamingEtlPipeline.isSet(options.getKinesisEndpoint())
                    ? URI.create(options.getKinesisEndpoint().trim())
                    : null)
            .withStartingPosition(
                KinesisStartingPosition.parse(options.getInputStreamInitialPosition()))
            .withGetRecordsInterval(Duration.ofMillis(options.getGetRecordsIntervalMillis()));
      default:
        throw new IllegalArgumentException("unknown source " + options.getSource());
    }
  }
}
