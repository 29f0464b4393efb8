package io.taxietl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.taxietl.testing.Await;
import io.taxietl.testing.LocalKafka;
import io.taxietl.testing.ScriptedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka broker goes away for 30 s under a running job and comes back on the same port with the
 * same data. The job (the pipeline JAR on embedded Flink) reads a topic and writes Parquet, the
 * dead-letter files, and Kafka topics for the trips and the dead letters; the broker stops while it
 * is reading and writing the second of three parts. Nothing is lost: every valid event once in
 * Parquet, every bad one once in the dead letters, every trip and dead letter in the Kafka topics
 * (once each with {@code --kafkaExactlyOnce}; at least once without, duplicates counted), and the
 * job runs on.
 */
class KafkaOutageIT {
  @RegisterExtension static final LocalKafka KAFKA = new LocalKafka();

  private static final Path PIPELINE_JAR =
      Path.of(System.getProperty("pipeline.jar", "target/streaming-etl.jar"));
  private static final Duration OUTAGE = Duration.ofSeconds(30);
  private static final Duration DEADLINE = Duration.ofMinutes(5);

  @TempDir Path work;

  @Test
  void aBrokerAway30SecondsLosesNothingAtLeastOnce() throws Exception {
    outage("at-least-once", false, 3_000);
  }

  @Test
  void aBrokerAway30SecondsLosesAndDuplicatesNothingWithKafkaExactlyOnce() throws Exception {
    // The exactly-once sink commits a transaction per bundle: fewer trips keep the test short.
    outage("exactly-once", true, 600);
  }

  private void outage(String name, boolean exactlyOnce, int trips) throws Exception {
    String inputTopic = name + "-in";
    String tripTopic = name + "-trips";
    String deadLetterTopic = name + "-dead-letters";
    KAFKA.createTopic(inputTopic, 2);
    KAFKA.createTopic(tripTopic, 2);
    KAFKA.createTopic(deadLetterTopic, 1);
    OutageInput input = OutageInput.of(name, trips);
    OutageInput.Expected first = input.expected(1);
    OutageInput.Expected all = input.expected(3);
    Path out = work.resolve("out");
    int webUiPort = ScriptedServer.freePort();
    List<String> args =
        new ArrayList<>(
            List.of(
                "--source=KAFKA",
                "--inputKafkaBootstrapServers=" + KAFKA.bootstrapServers(),
                "--inputKafkaTopic=" + inputTopic,
                "--kafkaConsumerGroup=" + name,
                "--kafkaStartingPosition=EARLIEST",
                "--outputPath=" + out.resolve("trips"),
                "--deadLetterPath=" + out.resolve("dead-letters"),
                "--outputKafkaBootstrapServers=" + KAFKA.bootstrapServers(),
                "--outputKafkaTopic=" + tripTopic,
                "--deadLetterKafkaTopic=" + deadLetterTopic,
                "--windowSizeSeconds=5",
                "--checkpointingInterval=2000",
                "--flinkWebUiPort=" + webUiPort));
    if (exactlyOnce) {
      args.addAll(List.of("--kafkaExactlyOnce=true", "--kafkaExactlyOnceSinkGroup=" + name));
    }
    EmbeddedFlinkRest rest = new EmbeddedFlinkRest(webUiPort);
    long started = System.nanoTime();
    Path log = work.resolve(name + ".log");
    try (JarRun.Background run =
        JarRun.start(PIPELINE_JAR, List.of("-Xmx1g"), args, Map.of(), log)) {
      try {
        KafkaTestInput.produce(KAFKA, inputTopic, input.part(0));
        await(run, out, first, "the first part");
        KafkaTestInput.produce(KAFKA, inputTopic, input.part(1));
        long stopped = OutageInput.outage(KAFKA, OUTAGE);
        double away = (System.nanoTime() - stopped) / 1e9;
        KafkaTestInput.produce(KAFKA, inputTopic, input.part(2));
        await(run, out, all, "everything");
        Await.until(
            () ->
                tripIdsIn(tripTopic).size() >= all.tripIds().size()
                    && payloadsIn(deadLetterTopic).size() >= all.rejections().size(),
            DEADLINE,
            "every trip and dead letter committed to the Kafka topics");
        double recovered = (System.nanoTime() - stopped) / 1e9;
        Await.until(() -> rest.state().equals("RUNNING"), DEADLINE, "the job running");
        long restarts = rest.restarts();

        Map<Long, Integer> parquet =
            TripOutput.countByTripId(TripOutput.rows(out.resolve("trips")));
        assertThat(parquet.keySet()).as("trips in Parquet").isEqualTo(all.tripIds());
        assertThat(parquet.values()).as("copies of each trip in Parquet").containsOnly(1);
        Map<String, Integer> deadLetterFiles = new HashMap<>();
        TripOutput.deadLetters(out.resolve("dead-letters"))
            .forEach(d -> deadLetterFiles.merge(d.get("payload").asText(), 1, Integer::sum));
        assertThat(deadLetterFiles.keySet()).isEqualTo(all.rejections());
        assertThat(deadLetterFiles.values()).containsOnly(1);

        Map<Long, Integer> tripsInTopic = tripIdsIn(tripTopic);
        assertThat(tripsInTopic.keySet()).as("trips in the Kafka topic").isEqualTo(all.tripIds());
        Map<String, Integer> deadLettersInTopic = payloadsIn(deadLetterTopic);
        assertThat(deadLettersInTopic.keySet())
            .as("dead letters in the Kafka topic")
            .isEqualTo(all.rejections());
        long duplicates =
            tripsInTopic.values().stream().mapToLong(copies -> copies - 1).sum()
                + deadLettersInTopic.values().stream().mapToLong(copies -> copies - 1).sum();
        if (exactlyOnce) {
          assertThat(duplicates).as("records written twice to the Kafka topics").isZero();
        }
        System.out.printf(
            "KafkaOutageIT %s: %,d events (%,d trips, %d bad) in 3 parts; broker away %.1f s during"
                + " the second; everything written %.1f s after it stopped; %d restart(s); Parquet"
                + " %,d rows once each, %d dead letters; Kafka topics %,d trips, %d dead letters, %d"
                + " duplicates; %.1f s in all%n",
            name,
            input.events(),
            all.tripIds().size(),
            all.rejections().size(),
            away,
            recovered,
            restarts,
            parquet.size(),
            deadLetterFiles.size(),
            tripsInTopic.size(),
            deadLettersInTopic.size(),
            duplicates,
            (System.nanoTime() - started) / 1e9);
      } catch (AssertionError | RuntimeException e) {
        Files.copy(
            log,
            Path.of("target/KafkaOutageIT-" + name + ".log"),
            StandardCopyOption.REPLACE_EXISTING);
        throw e;
      }
    }
  }

  /** The trip ids committed to {@code topic}, with how often each is there. */
  private static Map<Long, Integer> tripIdsIn(String topic) throws Exception {
    Map<Long, Integer> ids = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record :
        KAFKA.readAll(topic, IsolationLevel.READ_COMMITTED, Duration.ofSeconds(30))) {
      ids.merge(TripOutput.JSON.readTree(record.value()).get("trip_id").asLong(), 1, Integer::sum);
    }
    return ids;
  }

  /** The payloads of the dead letters committed to {@code topic}, with how often each is there. */
  private static Map<String, Integer> payloadsIn(String topic) throws Exception {
    Map<String, Integer> payloads = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record :
        KAFKA.readAll(topic, IsolationLevel.READ_COMMITTED, Duration.ofSeconds(30))) {
      payloads.merge(
          TripOutput.JSON.readTree(record.value()).get("payload").asText(), 1, Integer::sum);
    }
    return payloads;
  }

  private static void await(
      JarRun.Background run, Path out, OutageInput.Expected expected, String what) {
    Await.until(
        () -> {
          if (!run.isAlive()) {
            throw new AssertionError("the job ended; its log:\n" + run.tail());
          }
          return TripOutput.rows(out.resolve("trips")).size() >= expected.tripIds().size()
              && TripOutput.deadLetters(out.resolve("dead-letters")).size()
                  >= expected.rejections().size();
        },
        DEADLINE,
        what
            + " published: "
            + expected.tripIds().size()
            + " rows, "
            + expected.rejections().size()
            + " dead letters");
  }
}
