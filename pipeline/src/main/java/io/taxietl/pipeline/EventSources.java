package io.taxietl.pipeline;

import io.taxietl.avro.RawEvent;
import io.taxietl.options.StreamingEtlOptions;
import io.taxietl.transforms.KafkaStartingPosition;
import io.taxietl.transforms.ReadEventFiles;
import io.taxietl.transforms.ReadKafkaEvents;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/** Chooses the source transform that the options ask for. Options must be valid. */
final class EventSources {
  private EventSources() {}

  static PTransform<PBegin, PCollection<RawEvent>> fromOptions(StreamingEtlOptions options) {
    return switch (options.getSource()) {
      case FILE -> ReadEventFiles.from(options.getInputPath());
      case KAFKA ->
          ReadKafkaEvents.from(
                  options.getInputKafkaBootstrapServers(),
                  KeyValueOptions.splitList(options.getInputKafkaTopic()),
                  options.getKafkaConsumerGroup())
              .withStartingPosition(KafkaStartingPosition.parse(options.getKafkaStartingPosition()))
              .withConsumerProperties(
                  KeyValueOptions.parse("kafkaConsumerProperties", options.getKafkaConsumerProperties()));
      case KINESIS ->
          throw new IllegalArgumentException(
              "--source=" + options.getSource() + " is not available in this build yet");
    };
  }
}
