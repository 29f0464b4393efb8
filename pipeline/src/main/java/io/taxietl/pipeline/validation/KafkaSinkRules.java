package io.taxietl.pipeline.validation;

import static io.taxietl.pipeline.StreamingEtlPipeline.isSet;

import io.taxietl.options.SourceType;
import io.taxietl.options.StreamingEtlOptions;
import io.taxietl.pipeline.StreamingEtlPipeline;
import io.taxietl.transforms.io.kafka.WriteToKafka;

/**
 * The rules of {@link io.taxietl.options.KafkaSinkOptions} and the dead-letter topic of {@link
 * io.taxietl.options.DeadLetterOptions}: a topic needs servers, servers need a topic, exactly-once
 * needs a Kafka sink, a sink group and an unbounded source.
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
    if (options.getKafkaExactlyOnce() && options.getSource() == SourceType.FILE) {
      // At the end of a bounded input Beam 2.62's Flink runner hands the exactly-once sink the
      // batches it still holds after the final watermark, and its stateful step drops them as late.
      problems.add(
          "--kafkaExactlyOnce=true needs --source=KAFKA or KINESIS: with --source=FILE the input ends "
              + "and the records after the last completed checkpoint would never reach Kafka; use the "
              + "default at-least-once Kafka sink for files");
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
