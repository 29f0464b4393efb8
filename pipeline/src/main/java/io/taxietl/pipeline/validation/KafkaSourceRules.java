package io.taxietl.pipeline.validation;

import static io.taxietl.pipeline.StreamingEtlPipeline.isSet;

import io.taxietl.options.KafkaSourceOptions;
import io.taxietl.pipeline.KeyValueOptions;
import io.taxietl.transforms.io.kafka.KafkaStartingPosition;
import java.util.List;

/** The rules of {@link KafkaSourceOptions} for {@code --source=KAFKA}. */
final class KafkaSourceRules {
  /** Consumer properties that the Kafka source sets itself. */
  private static final List<String> OWNED_CONSUMER_PROPERTIES =
      List.of(
          "group.id",
          "isolation.level",
          "enable.auto.commit",
          "key.deserializer",
          "value.deserializer",
          "bootstrap.servers");

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
        OWNED_CONSUMER_PROPERTIES,
        problems);
  }
}
