package io.taxietl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.taxietl.options.StreamingEtlOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/**
 * The connection check's bound: a listener that accepts connections and never answers (no TLS
 * handshake, no Kafka response) is reported when the deadline is spent, not waited on for ever.
 */
class KafkaConnectionCheckTest {

  @Test
  void aListenerThatNeverAnswersIsReportedAtTheDeadline() throws Exception {
    List<Socket> accepted = new ArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor =
          new Thread(
              () -> {
                while (!silent.isClosed()) {
                  try {
                    accepted.add(silent.accept());
                  } catch (IOException e) {
                    return;
                  }
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      String servers = "127.0.0.1:" + silent.getLocalPort();

      List<String> problems =
          KafkaConnectionCheck.problems(
              options(
                  "--source=KAFKA",
                  "--inputKafkaBootstrapServers=" + servers,
                  "--inputKafkaTopic=trips",
                  "--kafkaConsumerProperties=security.protocol=SSL"),
              Duration.ofSeconds(2));

      assertThat(problems)
          .singleElement()
          .asString()
          .startsWith(
              "--inputKafkaBootstrapServers="
                  + servers
                  + ": no answer to a metadata request for topic 'trips' within ")
          .contains("with security.protocol=SSL");
      assertThat(accepted).as("connections the check opened").isNotEmpty();
    } finally {
      for (Socket socket : accepted) {
        socket.close();
      }
    }
  }

  @Test
  void settingsKafkasClientRefusesAreNamedAsSuch() {
    List<String> problems =
        KafkaConnectionCheck.problems(
            options(
                "--source=KAFKA",
                "--inputKafkaBootstrapServers=127.0.0.1:9",
                "--inputKafkaTopic=trips",
                "--kafkaConsumerProperties=security.protocol=SASL_PLAINTEXT,sasl.mechanism=PLAIN"),
            Duration.ofSeconds(2));
    assertThat(problems)
        .singleElement()
        .asString()
        .startsWith(
            "--inputKafkaBootstrapServers=127.0.0.1:9: Kafka's client does not accept the"
                + " settings of --kafkaConsumerProperties: KafkaException: Failed to construct"
                + " kafka consumer")
        .contains("JAAS");
  }

  @Test
  void aJobWithoutKafkaChecksNothing() {
    assertThat(KafkaConnectionCheck.problems(options("--source=FILE"), Duration.ofSeconds(1)))
        .isEmpty();
  }

  private static StreamingEtlOptions options(String... args) {
    PipelineOptionsFactory.register(StreamingEtlOptions.class);
    return PipelineOptionsFactory.fromArgs(args).as(StreamingEtlOptions.class);
  }
}
