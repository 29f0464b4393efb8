package io.taxietl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.taxietl.testing.Await;
import io.taxietl.testing.LocalElasticsearch;
import io.taxietl.testing.LocalKafka;
import io.taxietl.testing.ScriptedServer;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline JAR from a (plain) Kafka topic into a real Elasticsearch that serves https with a
 * self-signed certificate and requires basic auth ({@code scripts/elasticsearch.sh start
 * --secure}), the password from the environment ({@code --elasticsearchPassword=${env:NAME}}), the
 * trust store's password on the command line: every trip indexed once, every bad event a dead
 * letter. While the job runs (a Kafka source keeps it running until the test stops it), no secret
 * (the password, the trust store's password) appears in anything it shows: every page of Flink's
 * REST API about the job, the Prometheus scrape; nor, after it, in its console, the display data of
 * its steps or the server's logs ({@link SecretScan}). A wrong password or a missing trust store
 * stops the job before it reads anything, naming the options.
 */
class SecureElasticsearchIT {
  @RegisterExtension
  static final LocalElasticsearch ES =
      new LocalElasticsearch(LocalElasticsearch.Flavor.ELASTICSEARCH, true);

  @RegisterExtension static final LocalKafka KAFKA = new LocalKafka();

  private static final Path PIPELINE_JAR =
      Path.of(System.getProperty("pipeline.jar", "target/streaming-etl.jar"));
  private static final Duration DEADLINE = Duration.ofMinutes(5);
  private static final String PASSWORD_VARIABLE = "TAXIETL_ES_PASSWORD";
  private static final String PASSWORD_REFERENCE = "${env:" + PASSWORD_VARIABLE + "}";

  /** The server's trust store under a random password, so the scans can look for that too. */
  private static TrustStoreCopy trustStore;

  @TempDir Path work;

  @BeforeAll
  static void copyTheTrustStore(@TempDir Path dir) throws Exception {
    trustStore = TrustStoreCopy.of(ES.trustStore(), LocalElasticsearch.TRUST_STORE_PASSWORD, dir);
    SecretScan.assertTakenFromTheEnvironment("TAXIETL_ELASTICSEARCH_PASSWORD", ES.password());
  }

  /** Every test's run has been scanned; the server's own logs are, once all have run. */
  @AfterAll
  static void theServersLogsCarryNoSecret() {
    SecretScan scan =
        secrets()
            .files(
                ES.dataDir(),
                file ->
                    file.startsWith(ES.dataDir().resolve("logs"))
                        || file.getFileName().toString().endsWith(".log"));
    assertThat(scan.sources()).as("the server's log files").isGreaterThanOrEqualTo(2);
    scan.assertNoSecret();
  }

  /** The secrets of this server and its clients. */
  private static SecretScan secrets() {
    return new SecretScan()
        .secret("Elasticsearch password", ES.password())
        .secret("trust store password", trustStore.password());
  }

  @Test
  void tlsAndBasicAuthEndToEndWithNoSecretInWhatTheRunShows() throws Exception {
    String topic = "secure-es-in";
    KAFKA.createTopic(topic, 1);
    List<TestEvents.Event> events =
        TestEvents.mix(RunnerTestInput.sample().subList(0, 1_500), TestEvents.badTextEvents("es"));
    Map<Long, String> reasonsByOffset = new TreeMap<>();
    Set<Long> tripIds = new HashSet<>();
    Properties producer = new Properties();
    producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    KafkaTestInput.produceInOrder(producer, topic, events, reasonsByOffset, tripIds);
    assertThat(tripIds).hasSizeGreaterThan(1_400);

    Path trips = work.resolve("out/trips");
    Path deadLetters = work.resolve("out/dead-letters");
    int webUiPort = ScriptedServer.freePort();
    int prometheusPort = ScriptedServer.freePort();
    List<String> args =
        esArgs(
            PASSWORD_REFERENCE,
            true,
            "--source=KAFKA",
            trips,
            deadLetters,
            "--inputKafkaBootstrapServers=" + KAFKA.bootstrapServers(),
            "--inputKafkaTopic=" + topic,
            "--kafkaConsumerGroup=secure-es",
            "--kafkaStartingPosition=EARLIEST",
            "--windowSizeSeconds=5",
            "--checkpointingInterval=2000",
            "--flinkWebUiPort=" + webUiPort,
            "--metricsPrometheusPort=" + prometheusPort);
    Path log = work.resolve("SecureElasticsearchIT-run.log");
    SecretScan scan = secrets();
    long start = System.nanoTime();
    double scanSeconds;
    double publishedSeconds;
    double indexedSeconds;
    try (JarRun.Background run =
        JarRun.start(
            PIPELINE_JAR, List.of("-Xmx1g"), args, Map.of(PASSWORD_VARIABLE, ES.password()), log)) {
      KafkaTestInput.awaitPublished(
          run, trips, deadLetters, tripIds.size(), reasonsByOffset.size(), DEADLINE, log);
      publishedSeconds = (System.nanoTime() - start) / 1e9;
      Await.until(
          () -> !run.isAlive() || indexed() >= tripIds.size(),
          DEADLINE,
          "all " + tripIds.size() + " trips indexed");
      assertThat(run.isAlive()).as("the job runs; its log:%n%s", run.tail()).isTrue();
      long scanStart = System.nanoTime();
      indexedSeconds = (scanStart - start) / 1e9;
      scan.runningJob(webUiPort, prometheusPort, events.size(), DEADLINE);
      scanSeconds = (System.nanoTime() - scanStart) / 1e9;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    String console = Files.readString(log, StandardCharsets.UTF_8);
    scan.text("the job's console", console);
    // The test's JVM has no such variable: the password itself, the harder case.
    List<String> inline = new ArrayList<>(args);
    inline.replaceAll(arg -> arg.replace(PASSWORD_REFERENCE, ES.password()));
    String displayData = PipelineDisplayData.of(inline);
    scan.text("display data", displayData);

    List<TripOutput.Row> rows = TripOutput.rows(trips);
    assertThat(rows).hasSize(tripIds.size());
    assertThat(TripOutput.countByTripId(rows).keySet()).isEqualTo(tripIds);
    assertThat(KafkaTestInput.reasonsByOffset(TripOutput.deadLetters(deadLetters)))
        .isEqualTo(reasonsByOffset);
    assertThat(indexed()).isEqualTo(tripIds.size());
    // What was scanned is what the run showed: the job, its endpoint and trust store, its counts.
    assertThat(displayData).contains(ES.url()).contains(trustStore.path().toString());
    assertThat(console).contains("Running on");
    scan.assertNoSecret();
    System.out.printf(
        "SecureElasticsearchIT: %d events (%d bad) from Kafka over https + basic auth -> %d rows,"
            + " %d documents, in %.1f s (files published after %.1f s, documents indexed after"
            + " %.1f s, REST and Prometheus read in %.1f s); %,d characters in"
            + " %d sources (console, REST pages, Prometheus, display data) scanned, no secret%n",
        events.size(),
        reasonsByOffset.size(),
        rows.size(),
        indexed(),
        seconds,
        publishedSeconds,
        indexedSeconds,
        scanSeconds,
        scan.characters(),
        scan.sources());
  }

  private static long indexed() {
    return ES.countsPerIndex("secure-").values().stream().mapToLong(Long::longValue).sum();
  }

  @Test
  void aWrongPasswordStopsTheJobBeforeItStartsNamingTheOptions() {
    String wrong = "wrong-" + Long.toHexString(System.nanoTime());
    RunnerTestInput input =
        RunnerTestInput.write(work, "ten.jsonl.gz", RunnerTestInput.sample().subList(0, 10));
    Path trips = work.resolve("out/trips");
    JarRun run =
        JarRun.run(
            PIPELINE_JAR,
            List.of(),
            esArgs(
                wrong,
                true,
                "--inputPath=" + input.file(),
                trips,
                work.resolve("out/dead-letters")),
            Map.of(),
            work.resolve("wrong.log"),
            Duration.ofMinutes(2));
    System.out.printf(
        "SecureElasticsearchIT: a wrong password: exit %d after %.1f s (JVM start included)%n",
        run.exitCode(), run.seconds());

    assertThat(run.exitCode()).as(run.tail()).isEqualTo(StreamingEtlMain.EXIT_FAILED);
    assertThat(run.output())
        .contains("The job cannot start:")
        .contains(
            "--outputElasticsearchEndpoint="
                + ES.url()
                + ": the server refused --elasticsearchUsername="
                + ES.username()
                + " and its password (HTTP 401)")
        .doesNotContain(wrong)
        .doesNotContain("Running on");
    secrets().text("the job's console", run.output()).assertNoSecret();
    assertThat(trips).doesNotExist();
  }

  @Test
  void noTrustStoreIsNamedWithTheTrustStoreOptions() {
    List<String> problems =
        ElasticsearchConnectionCheck.problems(
            MskIamConnectionIT.options(
                esArgs(ES.password(), false, "--source=FILE", work, work).toArray(String[]::new)));

    assertThat(problems)
        .singleElement()
        .asString()
        .startsWith("--outputElasticsearchEndpoint=" + ES.url() + ": the TLS handshake failed (")
        .contains("--elasticsearchTrustStorePath");
    secrets().text("the problem", problems.get(0)).assertNoSecret();
  }

  @Test
  void aWrongTrustStorePasswordIsNamedWithoutAnyPassword() {
    String wrong = "wrong" + Long.toHexString(System.nanoTime());
    List<String> args = esArgs(ES.password(), true, "--source=FILE", work, work);
    args.replaceAll(
        arg ->
            arg.startsWith("--elasticsearchTrustStorePassword=")
                ? "--elasticsearchTrustStorePassword=" + wrong
                : arg);
    List<String> problems =
        ElasticsearchConnectionCheck.problems(
            MskIamConnectionIT.options(args.toArray(String[]::new)));
    System.out.printf("SecureElasticsearchIT: a wrong trust store password: %s%n", problems);

    assertThat(problems)
        .singleElement()
        .asString()
        .isEqualTo(
            "--elasticsearchTrustStorePath="
                + trustStore.path()
                + ": cannot read it as a trust store with --elasticsearchTrustStorePassword"
                + " (IOException)");
    secrets()
        .secret("wrong trust store password", wrong)
        .text("the problem", problems.get(0))
        .assertNoSecret();
  }

  private static List<String> esArgs(
      String password,
      boolean withTrustStore,
      String input,
      Path trips,
      Path deadLetters,
      String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                input,
                "--outputPath=" + trips,
                "--deadLetterPath=" + deadLetters,
                "--outputElasticsearchEndpoint=" + ES.url(),
                "--elasticsearchIndex=secure-{type}",
                "--elasticsearchUsername=" + ES.username(),
                "--elasticsearchPassword=" + password));
    if (withTrustStore) {
      args.add("--elasticsearchTrustStorePath=" + trustStore.path());
      args.add("--elasticsearchTrustStorePassword=" + trustStore.password());
    }
    args.addAll(List.of(more));
    return args;
  }
}
