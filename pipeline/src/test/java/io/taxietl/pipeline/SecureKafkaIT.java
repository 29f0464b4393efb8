package io.taxietl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.taxietl.options.StreamingEtlOptions;
import io.taxietl.testing.Await;
import io.taxietl.testing.LocalKafka;
import io.taxietl.testing.ScriptedServer;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline against a real Kafka broker whose only client listener is SASL_SSL with
 * SCRAM-SHA-512 and a certificate made by {@code scripts/kafka.sh start --secure}: the password
 * reaches the job only through Kafka's config providers (the consumer's from the environment, the
 * producers' from a file), never on the command line; every trip and dead letter is written once.
 * No secret (the SCRAM password, the broker's key store password, the trust store's password, which
 * is on the command line) appears in anything the run shows: its console, every page of Flink's
 * REST API about the running job, the Prometheus scrape, the display data of every step, the
 * broker's logs ({@link SecretScan}). A wrong password or an untrusted certificate stops the job
 * before it starts, naming the option and the setting.
 */
class SecureKafkaIT {
  @RegisterExtension static final LocalKafka KAFKA = LocalKafka.secure();

  private static final Path PIPELINE_JAR =
      Path.of(System.getProperty("pipeline.jar", "target/streaming-etl.jar"));
  private static final Duration DEADLINE = Duration.ofMinutes(4);
  private static final String JAAS_VARIABLE = "TAXIETL_KAFKA_JAAS_CONFIG";

  /** The broker's trust store under a random password, so the scans can look for that too. */
  private static TrustStoreCopy trustStore;

  @TempDir Path work;

  @BeforeAll
  static void copyTheTrustStore(@TempDir Path dir) throws Exception {
    trustStore = TrustStoreCopy.of(KAFKA.trustStore(), "changeit", dir);
    SecretScan.assertTakenFromTheEnvironment("TAXIETL_KAFKA_SCRAM_PASSWORD", KAFKA.password());
    SecretScan.assertTakenFromTheEnvironment(
        "TAXIETL_KAFKA_KEYSTORE_PASSWORD", KAFKA.keyStorePassword());
  }

  /** Every test's run has been scanned; the broker's own logs are, once all have run. */
  @AfterAll
  static void theBrokersLogsCarryNoSecret() {
    Path data = KAFKA.dataDir().resolve("data");
    SecretScan scan =
        secrets().files(KAFKA.dataDir(), file -> !file.startsWith(data) && isLog(file));
    assertThat(scan.sources()).as("the broker's log files").isGreaterThanOrEqualTo(2);
    scan.assertNoSecret();
  }

  private static boolean isLog(Path file) {
    return file.getFileName().toString().endsWith(".log");
  }

  /** The secrets of this broker and its clients. */
  private static SecretScan secrets() {
    return new SecretScan()
        .secret("SCRAM password", KAFKA.password())
        .secret("broker's key store password", KAFKA.keyStorePassword())
        .secret("trust store password", trustStore.password());
  }

  @Test
  void saslSslWithScramEndToEndAndNoSecretInWhatTheRunShows() throws Exception {
    String topic = "secure-in";
    String tripTopic = "secure-trips";
    String deadLetterTopic = "secure-dead-letters";
    Map<Long, String> reasonsByOffset = new TreeMap<>();
    Set<Long> tripIds = new HashSet<>();
    List<TestEvents.Event> events =
        produce(topic, tripTopic, deadLetterTopic, 2_000, reasonsByOffset, tripIds);
    assertThat(tripIds).hasSizeGreaterThan(1_900);
    assertThat(reasonsByOffset).isNotEmpty();

    Path trips = work.resolve("out/trips");
    Path deadLetters = work.resolve("out/dead-letters");
    int webUiPort = ScriptedServer.freePort();
    int prometheusPort = ScriptedServer.freePort();
    List<String> args =
        List.of(
            "--source=KAFKA",
            "--inputKafkaBootstrapServers=" + KAFKA.bootstrapServers(),
            "--inputKafkaTopic=" + topic,
            "--kafkaConsumerGroup=secure",
            "--kafkaStartingPosition=EARLIEST",
            "--kafkaConsumerProperties=" + String.join(",", consumerSettings()),
            "--kafkaProducerProperties=" + String.join(",", producerSettings()),
            "--outputPath=" + trips,
            "--deadLetterPath=" + deadLetters,
            "--outputKafkaTopic=" + tripTopic,
            "--outputKafkaBootstrapServers=" + KAFKA.bootstrapServers(),
            "--deadLetterKafkaTopic=" + deadLetterTopic,
            "--windowSizeSeconds=5",
            "--checkpointingInterval=2000",
            "--flinkWebUiPort=" + webUiPort,
            "--metricsPrometheusPort=" + prometheusPort);
    assertThat(String.join(" ", args)).doesNotContain(KAFKA.password());

    Path log = work.resolve("SecureKafkaIT-run.log");
    SecretScan scan = secrets();
    long start = System.nanoTime();
    double scanSeconds;
    try (JarRun.Background run =
        JarRun.start(PIPELINE_JAR, List.of("-Xmx1g"), args, Map.of(JAAS_VARIABLE, jaas()), log)) {
      KafkaTestInput.awaitPublished(
          run, trips, deadLetters, tripIds.size(), reasonsByOffset.size(), DEADLINE, log);
      long scanStart = System.nanoTime();
      scan.runningJob(webUiPort, prometheusPort, events.size(), DEADLINE);
      scanSeconds = (System.nanoTime() - scanStart) / 1e9;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    String console = Files.readString(log, StandardCharsets.UTF_8);
    scan.text("the job's console", console);
    String displayData = PipelineDisplayData.of(args);
    scan.text("display data", displayData);

    List<TripOutput.Row> rows = TripOutput.rows(trips);
    assertThat(rows).hasSize(tripIds.size());
    assertThat(TripOutput.countByTripId(rows).keySet()).isEqualTo(tripIds);
    List<JsonNode> fileDeadLetters = TripOutput.deadLetters(deadLetters);
    assertThat(KafkaTestInput.reasonsByOffset(fileDeadLetters)).isEqualTo(reasonsByOffset);
    List<JsonNode> topicDeadLetters = new ArrayList<>();
    for (var record : KAFKA.readAll(deadLetterTopic, IsolationLevel.READ_COMMITTED, DEADLINE)) {
      topicDeadLetters.add(TripOutput.JSON.readTree(record.value()));
    }
    assertThat(KafkaTestInput.reasonsByOffset(topicDeadLetters)).isEqualTo(reasonsByOffset);
    List<Long> tripsInTopic = new ArrayList<>();
    for (var record : KAFKA.readAll(tripTopic, IsolationLevel.READ_COMMITTED, DEADLINE)) {
      tripsInTopic.add(TripOutput.JSON.readTree(record.value()).get("trip_id").asLong());
    }
    assertThat(new HashSet<>(tripsInTopic)).isEqualTo(tripIds);

    // What was scanned is what the run showed: the job, its Kafka settings, its counts.
    assertThat(displayData).contains("SASL_SSL").contains(trustStore.path().toString());
    assertThat(console).contains("Running on");
    scan.assertNoSecret();
    System.out.printf(
        "SecureKafkaIT: %d records (%d bad) over SASL_SSL/SCRAM-SHA-512 -> %d rows, %d dead letters"
            + " (files and topic), %d trips in the topic, in %.1f s (REST and Prometheus read in"
            + " %.1f s); %,d characters in %d sources (console, REST pages, Prometheus, display"
            + " data) scanned, no secret%n",
        events.size(),
        reasonsByOffset.size(),
        rows.size(),
        fileDeadLetters.size(),
        tripsInTopic.size(),
        seconds,
        scanSeconds,
        scan.characters(),
        scan.sources());
  }

  @Test
  void theExactlyOnceSinksWorkOverSaslSsl() throws Exception {
    String topic = "secure-eos-in";
    String tripTopic = "secure-eos-trips";
    String deadLetterTopic = "secure-eos-dead-letters";
    Map<Long, String> reasonsByOffset = new TreeMap<>();
    Set<Long> tripIds = new HashSet<>();
    produce(topic, tripTopic, deadLetterTopic, 300, reasonsByOffset, tripIds);

    Path log = work.resolve("SecureKafkaIT-eos-run.log");
    long start = System.nanoTime();
    try (JarRun.Background run =
        JarRun.start(
            PIPELINE_JAR,
            List.of("-Xmx1g"),
            List.of(
                "--source=KAFKA",
                "--inputKafkaBootstrapServers=" + KAFKA.bootstrapServers(),
                "--inputKafkaTopic=" + topic,
                "--kafkaConsumerGroup=secure-eos",
                "--kafkaStartingPosition=EARLIEST",
                "--kafkaConsumerProperties=" + String.join(",", consumerSettings()),
                "--kafkaProducerProperties=" + String.join(",", producerSettings()),
                "--outputPath=" + work.resolve("eos/trips"),
                "--deadLetterPath=" + work.resolve("eos/dead-letters"),
                "--outputKafkaTopic=" + tripTopic,
                "--outputKafkaBootstrapServers=" + KAFKA.bootstrapServers(),
                "--deadLetterKafkaTopic=" + deadLetterTopic,
                "--kafkaExactlyOnce=true",
                "--kafkaExactlyOnceSinkGroup=secure-eos-sink",
                "--windowSizeSeconds=5",
                "--checkpointingInterval=2000"),
            Map.of(JAAS_VARIABLE, jaas()),
            log)) {
      try {
        Await.until(
            () ->
                !run.isAlive()
                    || (committedTripIds(tripTopic).equals(tripIds)
                        && KAFKA.readAll(deadLetterTopic).size() >= reasonsByOffset.size()),
            DEADLINE,
            "every trip and dead letter committed to the topics");
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "; the job's log:\n" + run.tail(), e);
      }
      assertThat(run.isAlive()).as("the job runs; its log:%n%s", run.tail()).isTrue();
    }
    assertThat(committedTripIds(tripTopic)).isEqualTo(tripIds);
    assertThat(KAFKA.readAll(tripTopic)).hasSize(tripIds.size());
    List<JsonNode> topicDeadLetters = new ArrayList<>();
    for (var record : KAFKA.readAll(deadLetterTopic)) {
      topicDeadLetters.add(TripOutput.JSON.readTree(record.value()));
    }
    assertThat(KafkaTestInput.reasonsByOffset(topicDeadLetters)).isEqualTo(reasonsByOffset);
    secrets()
        .text("the job's console", Files.readString(log, StandardCharsets.UTF_8))
        .assertNoSecret();
    System.out.printf(
        "SecureKafkaIT: --kafkaExactlyOnce=true over SASL_SSL: %d trips and %d dead letters"
            + " committed once each in %.1f s%n",
        tripIds.size(), reasonsByOffset.size(), (System.nanoTime() - start) / 1e9);
  }

  private static Set<Long> committedTripIds(String topic) {
    Set<Long> ids = new HashSet<>();
    for (var record : KAFKA.readAll(topic)) {
      try {
        ids.add(TripOutput.JSON.readTree(record.value()).get("trip_id").asLong());
      } catch (IOException e) {
        throw new AssertionError("a trip record is not JSON", e);
      }
    }
    return ids;
  }

  @Test
  void aWrongPasswordStopsTheJobBeforeItStartsNamingTheOption() throws IOException {
    String wrong = "not-the-password-" + Long.toHexString(System.nanoTime());
    KAFKA.createTopic("secure-wrong", 1);
    JarRun run =
        JarRun.run(
            PIPELINE_JAR,
            List.of(),
            List.of(
                "--source=KAFKA",
                "--inputKafkaBootstrapServers=" + KAFKA.bootstrapServers(),
                "--inputKafkaTopic=secure-wrong",
                "--kafkaConsumerProperties=" + String.join(",", consumerSettings()),
                "--outputPath=" + work.resolve("trips"),
                "--deadLetterPath=" + work.resolve("dead-letters")),
            Map.of(JAAS_VARIABLE, jaas().replace(KAFKA.password(), wrong)),
            work.resolve("wrong.log"),
            Duration.ofMinutes(2));
    System.out.printf(
        "SecureKafkaIT: a wrong SCRAM password: exit %d after %.1f s (JVM start included)%n",
        run.exitCode(), run.seconds());

    assertThat(run.exitCode()).as(run.tail()).isEqualTo(StreamingEtlMain.EXIT_FAILED);
    assertThat(run.output())
        .contains("The job cannot start:")
        .contains(
            "--inputKafkaBootstrapServers="
                + KAFKA.bootstrapServers()
                + ": the brokers refused the user name or password of sasl.jaas.config in"
                + " --kafkaConsumerProperties (security.protocol=SASL_SSL,"
                + " sasl.mechanism=SCRAM-SHA-512)")
        .doesNotContain(wrong)
        .doesNotContain("Running on");
    secrets().text("the job's console", run.output()).assertNoSecret();
    assertThat(work.resolve("trips")).doesNotExist();
  }

  @Test
  void anUntrustedCertificateIsNamedWithTheTrustStoreSetting() {
    List<String> settings = new ArrayList<>(producerSettings());
    settings.removeIf(s -> s.startsWith("ssl.truststore."));
    StreamingEtlOptions options =
        MskIamConnectionIT.options(
            "--source=KAFKA",
            "--inputKafkaBootstrapServers=" + KAFKA.bootstrapServers(),
            "--inputKafkaTopic=secure-in",
            "--kafkaConsumerProperties="
                + String.join(",", settings).replace("${env:" + JAAS_VARIABLE + "}", fileJaas()));
    long start = System.nanoTime();
    List<String> problems = KafkaConnectionCheck.problems(options);
    System.out.printf(
        "SecureKafkaIT: an untrusted certificate: refused after %.1f s%n",
        (System.nanoTime() - start) / 1e9);

    assertThat(problems)
        .singleElement()
        .asString()
        .startsWith(
            "--inputKafkaBootstrapServers="
                + KAFKA.bootstrapServers()
                + ": the TLS handshake with the brokers failed (security.protocol=SASL_SSL,"
                + " sasl.mechanism=SCRAM-SHA-512): ")
        .contains("ssl.truststore.location")
        .contains("--kafkaConsumerProperties");
    secrets().text("the problem", problems.get(0)).assertNoSecret();
  }

  @Test
  void aWrongTrustStorePasswordIsNamedWithoutAnyPassword() {
    String wrong = "wrong" + Long.toHexString(System.nanoTime());
    List<String> settings = new ArrayList<>(producerSettings());
    settings.replaceAll(
        s -> s.startsWith("ssl.truststore.password=") ? "ssl.truststore.password=" + wrong : s);
    List<String> problems =
        KafkaConnectionCheck.problems(
            MskIamConnectionIT.options(
                "--source=KAFKA",
                "--inputKafkaBootstrapServers=" + KAFKA.bootstrapServers(),
                "--inputKafkaTopic=secure-in",
                "--kafkaConsumerProperties=" + String.join(",", settings)));
    System.out.printf("SecureKafkaIT: a wrong trust store password: %s%n", problems);

    assertThat(problems)
        .singleElement()
        .asString()
        .startsWith("--inputKafkaBootstrapServers=" + KAFKA.bootstrapServers() + ": ")
        .contains("--kafkaConsumerProperties");
    secrets()
        .secret("wrong trust store password", wrong)
        .text("the problem", problems.get(0))
        .assertNoSecret();
  }

  /**
   * Creates the three topics and produces the first {@code trips} events of the sample with a bad
   * event of every kind and a watermark mixed in, over SASL_SSL with the script's client settings;
   * notes each bad event's offset and reason and each trip id.
   */
  private static List<TestEvents.Event> produce(
      String topic,
      String tripTopic,
      String deadLetterTopic,
      int trips,
      Map<Long, String> reasonsByOffset,
      Set<Long> tripIds)
      throws Exception {
    KAFKA.createTopic(topic, 1);
    KAFKA.createTopic(tripTopic, 1);
    KAFKA.createTopic(deadLetterTopic, 1);
    List<TestEvents.Event> events =
        TestEvents.mix(RunnerTestInput.sample().subList(0, trips), TestEvents.badTextEvents(topic));
    Properties producer = clientSettings();
    producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    KafkaTestInput.produceInOrder(producer, topic, events, reasonsByOffset, tripIds);
    return events;
  }

  /** The test's own producer: every setting of the script's client file, password included. */
  private static Properties clientSettings() throws IOException {
    Properties settings = new Properties();
    try (Reader in = Files.newBufferedReader(KAFKA.clientPropertiesFile())) {
      settings.load(in);
    }
    return settings;
  }

  /** The job's consumer settings: the JAAS line (with the password) from the environment. */
  private static List<String> consumerSettings() {
    List<String> settings = new ArrayList<>(tlsAndScram());
    settings.add("config.providers=env");
    settings.add(
        "config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider");
    settings.add("sasl.jaas.config=${env:" + JAAS_VARIABLE + "}");
    return settings;
  }

  /** The job's producer settings: the JAAS line from the broker's client file. */
  private static List<String> producerSettings() {
    List<String> settings = new ArrayList<>(tlsAndScram());
    settings.add("config.providers=file");
    settings.add(
        "config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider");
    settings.add("sasl.jaas.config=" + fileJaas());
    return settings;
  }

  private static String fileJaas() {
    return "${file:" + KAFKA.clientPropertiesFile() + ":sasl.jaas.config}";
  }

  private static List<String> tlsAndScram() {
    return List.of(
        "security.protocol=SASL_SSL",
        "sasl.mechanism=SCRAM-SHA-512",
        "ssl.truststore.location=" + trustStore.path(),
        "ssl.truststore.type=PKCS12",
        "ssl.truststore.password=" + trustStore.password());
  }

  private static String jaas() throws IOException {
    return clientSettings().getProperty("sasl.jaas.config");
  }
}
