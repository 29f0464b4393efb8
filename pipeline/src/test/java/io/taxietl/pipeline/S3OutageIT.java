package io.taxietl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.taxietl.testing.Await;
import io.taxietl.testing.LocalKafka;
import io.taxietl.testing.LocalS3;
import io.taxietl.testing.ScriptedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * S3 goes away for 30 s under a running job and comes back on the same port with the same objects.
 * The job (the pipeline JAR on embedded Flink) reads a Kafka topic and writes its Parquet files and
 * dead letters to S3 (S3Mock); S3 stops while the second of three parts is in the job's windows.
 * The job recovers by itself: every valid event ends up once in the committed Parquet on S3, every
 * bad one once in the dead letters, and the job runs on.
 */
class S3OutageIT {
  @RegisterExtension static final LocalKafka KAFKA = new LocalKafka();
  @RegisterExtension static final LocalS3 S3 = new LocalS3();

  private static final Path PIPELINE_JAR =
      Path.of(System.getProperty("pipeline.jar", "target/streaming-etl.jar"));
  private static final String BUCKET = "lake";
  private static final Duration OUTAGE = Duration.ofSeconds(30);
  private static final Duration DEADLINE = Duration.ofMinutes(5);
  private static final int TRIPS = 3_000;

  private static final String PREFIX = "outage/";

  @TempDir Path work;
  private final Set<String> downloaded = new HashSet<>();

  @BeforeAll
  static void createBucket() {
    S3.createBucket(BUCKET);
  }

  @Test
  void parquetAndDeadLettersOnS3AreCompleteAfterS3WasAway30Seconds() throws Exception {
    String topic = "s3-outage-in";
    KAFKA.createTopic(topic, 2);
    OutageInput input = OutageInput.of("s3-outage-", TRIPS);
    OutageInput.Expected first = input.expected(1);
    OutageInput.Expected all = input.expected(3);
    int webUiPort = ScriptedServer.freePort();
    List<String> args =
        List.of(
            "--source=KAFKA",
            "--inputKafkaBootstrapServers=" + KAFKA.bootstrapServers(),
            "--inputKafkaTopic=" + topic,
            "--kafkaConsumerGroup=s3-outage",
            "--kafkaStartingPosition=EARLIEST",
            "--outputPath=s3://" + BUCKET + "/outage/trips",
            "--deadLetterPath=s3://" + BUCKET + "/outage/dead-letters",
            "--s3Endpoint=" + S3.endpoint(),
            "--s3PathStyleAccess=true",
            "--partitionTemplate=year={pickup_year:%04d}/month={pickup_month:%02d}",
            "--windowSizeSeconds=5",
            "--checkpointingInterval=2000",
            "--flinkWebUiPort=" + webUiPort);
    Map<String, String> credentials =
        Map.of("AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local");
    EmbeddedFlinkRest rest = new EmbeddedFlinkRest(webUiPort);
    Path log = work.resolve("s3-outage.log");
    long started = System.nanoTime();
    try (JarRun.Background run =
        JarRun.start(PIPELINE_JAR, List.of("-Xmx1g"), args, credentials, log)) {
      try {
        KafkaTestInput.produce(KAFKA, topic, input.part(0));
        await(run, first.tripIds().size(), first.rejections().size());
        KafkaTestInput.produce(KAFKA, topic, input.part(1));
        long stopped = OutageInput.outage(S3, OUTAGE);
        double away = (System.nanoTime() - stopped) / 1e9;
        KafkaTestInput.produce(KAFKA, topic, input.part(2));
        await(run, all.tripIds().size(), all.rejections().size());
        double recovered = (System.nanoTime() - stopped) / 1e9;
        Await.until(() -> rest.state().equals("RUNNING"), DEADLINE, "the job running");
        long restarts = rest.restarts();

        Path copy = mirror();
        Map<Long, Integer> rows =
            TripOutput.countTripIds(TripOutput.tripIds(copy.resolve("trips")));
        assertThat(rows.keySet()).as("trips in the Parquet on S3").isEqualTo(all.tripIds());
        assertThat(rows.values()).as("copies of each trip").containsOnly(1);
        TripOutput.assertOnlyParquetFiles(copy.resolve("trips"));
        Map<String, Integer> deadLetters = new HashMap<>();
        for (JsonNode d : TripOutput.deadLetters(copy.resolve("dead-letters"))) {
          deadLetters.merge(d.get("payload").asText(), 1, Integer::sum);
        }
        assertThat(deadLetters.keySet()).as("dead letters on S3").isEqualTo(all.rejections());
        assertThat(deadLetters.values()).as("copies of each dead letter").containsOnly(1);
        System.out.printf(
            "S3OutageIT: %,d events (%,d trips, %d bad) in 3 parts; S3 away %.1f s during the"
                + " second; everything on S3 %.1f s after it stopped; %d restart(s); %,d rows and"
                + " %d dead letters, once each; %.1f s in all%n",
            input.events(),
            all.tripIds().size(),
            all.rejections().size(),
            away,
            recovered,
            restarts,
            rows.size(),
            deadLetters.size(),
            (System.nanoTime() - started) / 1e9);
      } catch (AssertionError | RuntimeException e) {
        Files.copy(log, Path.of("target/S3OutageIT.log"), StandardCopyOption.REPLACE_EXISTING);
        throw e;
      }
    }
  }

  /** Waits until S3 holds at least {@code rows} trips and {@code deadLetters} dead letters. */
  private void await(JarRun.Background run, int rows, int deadLetters) {
    Await.until(
        () -> {
          if (!run.isAlive()) {
            throw new AssertionError("the job ended; its log:\n" + run.tail());
          }
          Path copy = mirror();
          return TripOutput.tripIds(copy.resolve("trips")).size() >= rows
              && TripOutput.deadLetters(copy.resolve("dead-letters")).size() >= deadLetters;
        },
        DEADLINE,
        rows + " rows and " + deadLetters + " dead letters on S3");
  }

  /**
   * A local copy of what the job published on S3, fetched incrementally: published objects are
   * final, so each is downloaded once.
   */
  private Path mirror() {
    Path copy = work.resolve("mirror");
    for (String key : S3.listKeys(BUCKET, PREFIX)) {
      // The staging folders (.trips-staging, .dead-letters-staging) are the job's work area.
      if (!key.startsWith(PREFIX + ".") && !downloaded.contains(key)) {
        S3.downloadObject(BUCKET, key, copy.resolve(key.substring(PREFIX.length())));
        downloaded.add(key);
      }
    }
    return copy;
  }
}
