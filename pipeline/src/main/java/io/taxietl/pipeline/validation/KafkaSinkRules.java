package io.taxietl.pipeline.validation;

import static io.taxietl.pipeline.StreamingEtlPipeline.isSet;

import io.taxietl.options.StreamingEtlOptions;
import io.taxietl.pipeline.StreamingEtlPipeline;
import io.taxietl.transforms.io.kafka.WriteToKafka;

/**
 * The rules of {@link io.taxietl.options.KafkaSinkOptions} and the dead-letter topic of {@link
 * io.taxietl.options.DeadLetterOptions}: a topic needs servers, servers need a topic, exactly-once
 * needs a Kafka sink and a sink group.
 */
final class KafkaSinkRules {
  private KafkaSinkRules() {}

  static void check(StreamingEtlOptions options, Problems problems) {
    boolean tripsToKafka = isSet(options.getOutputKafkaTopic());
    boolean deadLettersToKafka = isSet(options.getDeadLetterKafkaTopic());
    if (tripsToKafka && !isSet(options.getOutputKafkaBootstrapServers())) {
      problems.add(
          "--outputKafkaTopic="
              + options.getOutputKafkaTopic()
              + " needs --outputKafkaBootstrapServers");
    }
    if (!tripsToKafka && isSet(options.getOutputKafkaBootstrapServers())) {
      problems.add(
          "--outputKafkaBootstrapServers="
              + options.getOutputKafkaBootstrapServers()
              + " is set but --outputKafkaTopic is not");
    }
    if (deadLettersToKafka && !isSet(StreamingEtlPipeline.deadLetterBootstrapServers(options))) {
      problems.add(
          "--deadLetterKafkaTopic="
              + options.getDeadLetterKafkaTopic()
              + " needs --deadLetterKafkaBootstrapServers (or --outputKafkaBootstrapServers)");
    }
    if (options.getKafkaExactlyOnce() && !tripsToKafka && !deadLettersToKafka) {
      problems.add(
          "--kafkaExactlyOnce=true but nothing is written to Kafka: set --outputKafkaTopic or "
              + "--deadLetterKafkaTopic");
    }
    if (options.getKafkaExactlyOnceShards() < 1) {
      problems.add(
          "--kafkaExactlyOnceShards="
              + options.getKafkaExactlyOnceShards()
              + " must be at least 1");
    }
    if (options.getKafkaExactlyOnce() && !isSet(options.getKafkaExactlyOnceSinkGroup())) {
      problems.add("--kafkaExactlyOnceSinkGroup must not be empty with --kafkaExactlyOnce=true");
    }
    KafkaClientPropertiesRule.check(
        "kafkaProducerProperties",
        options.getKafkaProducerProperties(),
        WriteToKafka.OWNED_PRODUCER_PROPERTIES,
        problems);
  }
}
