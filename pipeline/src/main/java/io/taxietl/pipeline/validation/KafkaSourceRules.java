package io.taxietl.pipeline.validation;

import static io.taxietl.pipeline.StreamingEtlPipeline.isSet;

import io.taxietl.options.KafkaSourceOptions;
import io.taxietl.pipeline.KeyValueOptions;
import io.taxietl.transforms.io.kafka.KafkaStartingPosition;
import io.taxietl.transforms.io.kafka.ReadKafkaEvents;

/** The rules of {@link KafkaSourceOptions} for {@code --source=KAFKA}. */
final class KafkaSourceRules {
  private KafkaSourceRules() {}

  static void check(KafkaSourceOptions options, Problems problems) {
    if (!isSet(options.getInputKafkaBootstrapServers())) {
      problems.add("--inputKafkaBootstrapServers is required with --source=KAFKA");
    }
    String topics = options.getInputKafkaTopic();
    if (!isSet(topics) || KeyValueOptions.splitList(topics).isEmpty()) {
      problems.add("--inputKafkaTopic is required with --source=KAFKA");
    }
    if (!isSet(options.getKafkaConsumerGroup())) {
      problems.add("--kafkaConsumerGroup must not be empty");
    }
    problems.parses(
        "kafkaStartingPosition", options.getKafkaStartingPosition(), KafkaStartingPosition::parse);
    KafkaClientPropertiesRule.check(
        "kafkaConsumerProperties",
        options.getKafkaConsumerProperties(),
        ReadKafkaEvents.OWNED_CONSUMER_PROPERTIES,
        problems);
  }
}
