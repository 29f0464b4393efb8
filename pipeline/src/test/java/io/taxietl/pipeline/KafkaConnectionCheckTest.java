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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
        problemsOfAClosedPortWith("security.protocol=SASL_PLAINTEXT,sasl.mechanism=PLAIN");
    assertThat(problems)
        .singleElement()
        .asString()
        .startsWith(
            "--inputKafkaBootstrapServers=127.0.0.1:9: Kafka's client does not accept the"
                + " settings of --kafkaConsumerProperties: KafkaException: Failed to construct"
                + " kafka consumer")
        .contains("JAAS");
  }

  /**
   * Kafka's client quotes a token of a JAAS line it cannot parse; with a line that is not what it
   * should be (e.g. a config provider that supplies the bare password) that token is the password.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "PASSWORD",
        "PASSWORD required;",
        "org.apache.kafka.common.security.scram.ScramLoginModule PASSWORD;",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\""
            + " password=\"PASSWORD\"",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\""
            + " password=\"PASSWORD\" ;; PASSWORD"
      })
  void aJaasLineKafkaCannotParseIsNamedWithoutQuotingIt(String jaas) {
    String password = "S3cretPassw0rd" + Long.toHexString(System.nanoTime());
    List<String> problems =
        problemsOfAClosedPortWith(
            "security.protocol=SASL_PLAINTEXT,sasl.mechanism=SCRAM-SHA-512",
            "sasl.jaas.config=" + jaas.replace("PASSWORD", password));

    assertThat(problems)
        .singleElement()
        .asString()
        .startsWith(
            "--inputKafkaBootstrapServers=127.0.0.1:9: sasl.jaas.config in"
                + " --kafkaConsumerProperties is not a JAAS line Kafka's client can use");
    new SecretScan()
        .secret("password", password)
        .text("the problem", problems.get(0))
        .assertNoSecret();
  }

  @Test
  void aJobWithoutKafkaChecksNothing() {
    assertThat(KafkaConnectionCheck.problems(options("--source=FILE"), Duration.ofSeconds(1)))
        .isEmpty();
  }

  /** The problems of a source on 127.0.0.1:9, where nothing listens, with these client settings. */
  private static List<String> problemsOfAClosedPortWith(String... consumerProperties) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--source=KAFKA",
                "--inputKafkaBootstrapServers=127.0.0.1:9",
                "--inputKafkaTopic=trips"));
    for (String properties : consumerProperties) {
      args.add("--kafkaConsumerProperties=" + properties);
    }
    return KafkaConnectionCheck.problems(
        options(args.toArray(String[]::new)), Duration.ofSeconds(2));
  }

  private static StreamingEtlOptions options(String... args) {
    PipelineOptionsFactory.register(StreamingEtlOptions.class);
    return PipelineOptionsFactory.fromArgs(args).as(StreamingEtlOptions.class);
  }
}
