package io.taxietl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.taxietl.options.StreamingEtlOptions;
import io.taxietl.testing.LocalKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * MSK IAM settings against a real broker that has no IAM support (the local Kafka's listener is
 * plain TCP): the job does not start, and says why within the connection check's deadline, instead
 * of KafkaIO's 60 s metadata timeouts and restarts (4 min 22 s and a message about metadata on the
 * development machine before the check existed).
 */
class MskIamConnectionIT {
  @RegisterExtension static final LocalKafka KAFKA = new LocalKafka();

  private static final Path JAR =
      Path.of(System.getProperty("pipeline.jar", "target/streaming-etl.jar"));

  /** Placeholder credentials for the default chain; the broker is never asked to check them. */
  private static final List<String> CREDENTIALS =
      List.of(
          "-Daws.accessKeyId=AKIAIOSFODNN7EXAMPLE",
          "-Daws.secretAccessKey=placeholder",
          "-Daws.region=eu-west-1");

  @TempDir Path work;

  @BeforeAll
  static void topics() {
    KAFKA.createTopic("trips", 2);
    KAFKA.createTopic("trips-clean", 1);
  }

  @Test
  void theJarStopsBeforeTheJobStartsAndNamesTheListenerMistake() {
    JarRun run =
        JarRun.run(
            JAR,
            CREDENTIALS,
            List.of(
                "--source=KAFKA",
                "--inputKafkaBootstrapServers=" + KAFKA.bootstrapServers(),
                "--inputKafkaTopic=trips",
                "--kafkaConsumerProperties=" + String.join(",", MskIamAuthTest.IAM_PROPERTIES),
                "--outputPath=" + work.resolve("trips"),
                "--deadLetterPath=" + work.resolve("dead-letters")),
            Map.of(),
            work.resolve("run.log"),
            Duration.ofMinutes(2));
    System.out.printf(
        "IAM settings against a listener without TLS: exit %d after %.1f s (JVM start included)%n",
        run.exitCode(), run.seconds());

    assertThat(run.exitCode()).as(run.tail()).isEqualTo(StreamingEtlMain.EXIT_FAILED);
    assertThat(run.output())
        .contains("The job cannot start:")
        .contains(
            "--inputKafkaBootstrapServers="
                + KAFKA.bootstrapServers()
                + ": "
                + KAFKA.bootstrapServers()
                + " closed the connection during the TLS handshake: it is not a TLS listener,"
                + " but --kafkaConsumerProperties sets security.protocol=SASL_SSL,"
                + " sasl.mechanism=AWS_MSK_IAM")
        .contains("port 9098 with IAM authentication")
        .doesNotContain("Running on")
        .doesNotContain("placeholder");
    assertThat(work.resolve("trips")).doesNotExist();
  }

  @Test
  void iamWithoutTlsIsRefusedByTheBrokersSaslHandshakeAtOnce() {
    List<String> settings = new ArrayList<>(MskIamAuthTest.IAM_PROPERTIES);
    settings.set(0, "security.protocol=SASL_PLAINTEXT");
    long start = System.nanoTime();
    List<String> problems =
        KafkaConnectionCheck.problems(
            options(
                "--source=KAFKA",
                "--inputKafkaBootstrapServers=" + KAFKA.bootstrapServers(),
                "--inputKafkaTopic=trips",
                "--kafkaConsumerProperties=" + String.join(",", settings)));
    System.out.printf(
        "IAM over SASL_PLAINTEXT: refused after %.1f s%n", (System.nanoTime() - start) / 1e9);

    assertThat(problems)
        .singleElement()
        .asString()
        .startsWith(
            "--inputKafkaBootstrapServers="
                + KAFKA.bootstrapServers()
                + ": the brokers refused the client (security.protocol=SASL_PLAINTEXT,"
                + " sasl.mechanism=AWS_MSK_IAM): ")
        .contains("AWS_MSK_IAM");
  }

  @Test
  void theSinksAreCheckedWithTheProducerSettings() {
    List<String> problems =
        KafkaConnectionCheck.problems(
            options(
                "--source=FILE",
                "--outputKafkaBootstrapServers=" + KAFKA.bootstrapServers(),
                "--outputKafkaTopic=trips-clean",
                "--deadLetterKafkaTopic=no-such-topic",
                "--kafkaProducerProperties=" + String.join(",", MskIamAuthTest.IAM_PROPERTIES)));

    assertThat(problems)
        .hasSize(2)
        .allSatisfy(
            problem ->
                assertThat(problem)
                    .startsWith("--outputKafkaBootstrapServers=" + KAFKA.bootstrapServers() + ": ")
                    .contains("it is not a TLS listener")
                    .contains("--kafkaProducerProperties sets security.protocol=SASL_SSL"));
  }

  @Test
  void plainSettingsPassAndAMissingTopicIsNamed() {
    assertThat(
            KafkaConnectionCheck.problems(
                options(
                    "--source=KAFKA",
                    "--inputKafkaBootstrapServers=" + KAFKA.bootstrapServers(),
                    "--inputKafkaTopic=trips",
                    "--outputKafkaBootstrapServers=" + KAFKA.bootstrapServers(),
                    "--outputKafkaTopic=trips-clean")))
        .isEmpty();
    assertThat(
            KafkaConnectionCheck.problems(
                options(
                    "--source=KAFKA",
                    "--inputKafkaBootstrapServers=" + KAFKA.bootstrapServers(),
                    "--inputKafkaTopic=trips,trips-missing")))
        .containsExactly(
            "--inputKafkaBootstrapServers="
                + KAFKA.bootstrapServers()
                + ": topic 'trips-missing' does not exist");
  }

  /** Options parsed as Beam parses them, without the main's defaults or validation. */
  static StreamingEtlOptions options(String... args) {
    PipelineOptionsFactory.register(StreamingEtlOptions.class);
    return PipelineOptionsFactory.fromArgs(args).as(StreamingEtlOptions.class);
  }
}
