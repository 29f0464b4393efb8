package io.taxietl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A Kafka password written in clear into the client settings (as on the managed service, whose
 * application properties have no config providers) is in nothing a runner shows: not in the
 * serialised options, not in their display data, not in the display data of any step (Beam's
 * KafkaIO shows its client configuration there).
 */
class KafkaSecretsDisplayDataTest {
  private static final String PASSWORD = "pa55-in-clear-9b1f";
  private static final String JAAS =
      "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required"
          + " username=\"etl\" password=\""
          + PASSWORD
          + "\";";

  @Test
  void aPasswordInClearIsInNoDisplayDataNorInTheSerialisedOptions() throws Exception {
    List<String> security =
        List.of(
            "security.protocol=SASL_SSL",
            "sasl.mechanism=SCRAM-SHA-512",
            "ssl.truststore.password=" + PASSWORD,
            JAAS);
    String shown =
        PipelineDisplayData.of(
            List.of(
                "--source=KAFKA",
                "--inputKafkaBootstrapServers=127.0.0.1:9",
                "--inputKafkaTopic=trips",
                "--kafkaConsumerProperties=" + String.join(",", security),
                "--kafkaProducerProperties=" + String.join(",", security),
                "--outputKafkaBootstrapServers=127.0.0.1:9",
                "--outputKafkaTopic=trips-clean",
                "--deadLetterKafkaTopic=dead-letters",
                "--outputPath=/tmp/unused-trips",
                "--deadLetterPath=/tmp/unused-dead-letters"));

    assertThat(shown)
        .contains("ReadRecords")
        .contains("ProduceRecords")
        .contains("SASL_SSL")
        .contains("SCRAM-SHA-512")
        .doesNotContain(PASSWORD)
        .doesNotContain("ScramLoginModule");
  }
}
