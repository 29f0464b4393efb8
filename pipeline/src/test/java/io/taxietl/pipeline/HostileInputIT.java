package io.taxietl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.taxietl.testing.LocalKafka;
import io.taxietl.transforms.deadletter.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input between real events, through the pipeline JAR in a JVM with a 1 GB heap, as a user
 * runs it: a file (with a line of 50 MB) and a Kafka topic (with a record of 5 MB). Every hostile
 * event is one dead letter with its reason, the valid events around them are all written, and the
 * job neither overflows its stack nor runs out of memory.
 */
class HostileInputIT {
  @RegisterExtension static final LocalKafka KAFKA = new LocalKafka();

  private static final Path PIPELINE_JAR =
      Path.of(System.getProperty("pipeline.jar", "target/streaming-etl.jar"));
  private static final List<String> ONE_GIGABYTE_HEAP = List.of("-Xmx1g");
  private static final int VALID_EVENTS = 3_000;
  private static final int LARGE_TRIP_BYTES = 400 * 1024;
  private static final Duration DEADLINE = Duration.ofMinutes(4);

  @TempDir Path work;

  @Test
  void aFileWithHostileLinesAndALineOf50MegabytesLosesNoValidEvent() throws Exception {
    List<TestEvents.Event> hostile = new ArrayList<>(HostileEvents.payloads(900_000_001L, 3));
    hostile.add(HostileEvents.largeTrip(990_000_001L, LARGE_TRIP_BYTES));
    hostile.add(HostileEvents.hugeLine(50 * 1024 * 1024));
    RunnerTestInput input =
        RunnerTestInput.write(
            work,
            "hostile.jsonl.gz",
            TestEvents.mix(RunnerTestInput.sample().subList(0, VALID_EVENTS), hostile));
    Path trips = work.resolve("out/trips");
    Path deadLetters = work.resolve("out/dead-letters");

    JarRun run =
        JarRun.run(
            PIPELINE_JAR,
            ONE_GIGABYTE_HEAP,
            List.of(
                "--inputPath=" + input.file(),
                "--outputPath=" + trips,
                "--deadLetterPath=" + deadLetters),
            Map.of(),
            work.resolve("file-run.log"),
            DEADLINE);

    assertThat(run.exitCode()).as("exit code; its log:%n%s", run.tail()).isZero();
    assertThat(run.output()).doesNotContain("StackOverflowError", "OutOfMemoryError");
    RunOutput.of("hostile file", trips, deadLetters).assertIsTheOutputOf(input);
    assertThat(TripOutput.tripIds(trips)).contains(990_000_001L);
    assertCutTooLarge(TripOutput.deadLetters(deadLetters), 2);
    assertThat(run.output())
        .containsPattern("dead letters +" + String.format("%,d", input.rejectionsByLine().size()));
    System.out.printf(
        "HostileInputIT file: %d lines (%d hostile, of them a 50 MB and a 3 MB one) -> %d rows, %d"
            + " dead letters in %.1f s with -Xmx1g%n",
        VALID_EVENTS + hostile.size(),
        input.rejectionsByLine().size(),
        input.tripIds().size(),
        input.rejectionsByLine().size(),
        run.seconds());
  }

  @Test
  void aKafkaTopicWithHostileRecordsAndARecordOf5MegabytesLosesNoValidEvent() throws Exception {
    String topic = "hostile-in";
    String deadLetterTopic = "hostile-dead-letters";
    String tripTopic = "hostile-trips";
    try (var admin = KAFKA.admin()) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(topic, 1, (short) 1)
                      .configs(Map.of("max.message.bytes", Integer.toString(8 << 20)))))
          .all()
          .get();
    }
    KAFKA.createTopic(deadLetterTopic, 1);
    KAFKA.createTopic(tripTopic, 1);
    List<TestEvents.Event> hostile = new ArrayList<>(HostileEvents.payloads(910_000_001L, 5));
    hostile.add(HostileEvents.largeTrip(991_000_001L, LARGE_TRIP_BYTES));
    List<TestEvents.Event> events =
        TestEvents.mix(RunnerTestInput.sample().subList(0, VALID_EVENTS), hostile);
    Map<Long, String> reasonsByOffset = new TreeMap<>();
    Set<Long> tripIds = new HashSet<>();
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(8 << 20));
    KafkaTestInput.produceInOrder(config, topic, events, reasonsByOffset, tripIds);

    Path trips = work.resolve("out/trips");
    Path deadLetters = work.resolve("out/dead-letters");
    long start = System.nanoTime();
    try (JarRun.Background run =
        JarRun.start(
            PIPELINE_JAR,
            ONE_GIGABYTE_HEAP,
            List.of(
                "--source=KAFKA",
                "--inputKafkaBootstrapServers=" + KAFKA.bootstrapServers(),
                "--inputKafkaTopic=" + topic,
                "--kafkaConsumerGroup=hostile",
                "--kafkaStartingPosition=EARLIEST",
                "--outputPath=" + trips,
                "--deadLetterPath=" + deadLetters,
                "--outputKafkaTopic=" + tripTopic,
                "--outputKafkaBootstrapServers=" + KAFKA.bootstrapServers(),
                "--deadLetterKafkaTopic=" + deadLetterTopic,
                "--windowSizeSeconds=5",
                "--checkpointingInterval=2000"),
            Map.of(),
            work.resolve("HostileInputIT-kafka-run.log"))) {
      KafkaTestInput.awaitPublished(
          run,
          trips,
          deadLetters,
          tripIds.size(),
          reasonsByOffset.size(),
          DEADLINE,
          work.resolve("HostileInputIT-kafka-run.log"));
      assertThat(run.tail()).doesNotContain("StackOverflowError", "OutOfMemoryError");
    }
    double seconds = (System.nanoTime() - start) / 1e9;

    List<TripOutput.Row> rows = TripOutput.rows(trips);
    assertThat(rows).hasSize(tripIds.size());
    assertThat(TripOutput.countByTripId(rows).keySet()).isEqualTo(tripIds);
    List<JsonNode> fileDeadLetters = TripOutput.deadLetters(deadLetters);
    assertThat(KafkaTestInput.reasonsByOffset(fileDeadLetters)).isEqualTo(reasonsByOffset);
    assertCutTooLarge(fileDeadLetters, 1);
    List<JsonNode> topicDeadLetters = new ArrayList<>();
    for (var record : KAFKA.readAll(deadLetterTopic, IsolationLevel.READ_COMMITTED, DEADLINE)) {
      topicDeadLetters.add(TripOutput.JSON.readTree(record.value()));
    }
    assertThat(KafkaTestInput.reasonsByOffset(topicDeadLetters)).isEqualTo(reasonsByOffset);
    Set<Long> tripsInTopic = new HashSet<>();
    for (var record : KAFKA.readAll(tripTopic, IsolationLevel.READ_COMMITTED, DEADLINE)) {
      tripsInTopic.add(TripOutput.JSON.readTree(record.value()).get("trip_id").asLong());
    }
    assertThat(tripsInTopic).isEqualTo(tripIds).contains(991_000_001L);
    System.out.printf(
        "HostileInputIT kafka: %d records (%d hostile, of them a 5 MB one) -> %d rows, %d dead"
            + " letters (files and topic) in %.1f s with -Xmx1g%n",
        events.size(), reasonsByOffset.size(), rows.size(), fileDeadLetters.size(), seconds);
  }

  /** The TOO_LARGE dead letters keep the first bytes of the payload and say so. */
  private static void assertCutTooLarge(List<JsonNode> deadLetters, int expected) {
    List<JsonNode> tooLarge =
        deadLetters.stream().filter(d -> d.get("reason").asText().equals("TOO_LARGE")).toList();
    assertThat(tooLarge)
        .hasSize(expected)
        .allSatisfy(
            d -> {
              assertThat(d.get("stage").asText()).isEqualTo("parse");
              assertThat(d.get("payload").asText().getBytes(StandardCharsets.UTF_8))
                  .hasSize(DeadLetters.MAX_PAYLOAD_BYTES);
              assertThat(d.get("error_message").asText())
                  .isEqualTo(
                      "event larger than 524,288 bytes, the most one event may have (the dead"
                          + " letter keeps the first 131,072 bytes of the payload)");
            });
  }
}
