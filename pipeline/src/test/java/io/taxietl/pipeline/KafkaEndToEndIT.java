package io.taxietl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.taxietl.testing.Await;
import io.taxietl.testing.LocalKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka in, Parquet and dead letters out, on embedded Flink against a real KRaft broker: 6,400 real
 * trips replayed into a 4-partition topic with bad events of every kind and 1,000 random binary
 * payloads mixed in.
 */
class KafkaEndToEndIT {
  @RegisterExtension static final LocalKafka KAFKA = new LocalKafka();
  private static final Duration DEADLINE = Duration.ofMinutes(4);

  @TempDir Path work;

  @Test
  void tripsBecomeParquetAndEveryBadEventADeadLetterInFilesAndTopic() throws Exception {
    String input = "trips-in";
    String deadLetterTopic = "trips-dead-letters";
    String group = "e2e-group";
    KAFKA.createTopic(input, 4);
    KAFKA.createTopic(deadLetterTopic, 1);

    List<TestEvents.Event> text =
        TestEvents.mix(TestEvents.realTrips(work), TestEvents.badTextEvents("e2e"));
    List<TestEvents.Event> poison = TestEvents.poison(1000, 42);
    KafkaTestInput.replay(KAFKA, input, text, work);
    KafkaTestInput.produce(KAFKA, input, poison);

    Map<Long, TestEvents.Event> expectedTrips = new HashMap<>();
    Map<String, String> expectedRejections = new HashMap<>();
    for (TestEvents.Event event : text) {
      if (event.text().contains("\"watermark\"")) {
        continue;
      }
      if (event.expectedReason() == null) {
        expectedTrips.put(TripOutput.JSON.readTree(event.payload()).get("trip_id").asLong(), event);
      } else {
        expectedRejections.put(event.text(), event.expectedReason());
      }
    }
    poison.forEach(
        p ->
            expectedRejections.put(
                Base64.getEncoder().encodeToString(p.payload()), p.expectedReason()));
    assertThat(expectedTrips).hasSizeGreaterThan(6_000);

    Path trips = work.resolve("out/trips");
    Path deadLetters = work.resolve("out/dead-letters");
    try (PipelineRun run =
        PipelineRun.start(
            List.of(
                "--source=KAFKA",
                "--inputKafkaBootstrapServers=" + KAFKA.bootstrapServers(),
                "--inputKafkaTopic=" + input,
                "--kafkaConsumerGroup=" + group,
                "--kafkaStartingPosition=EARLIEST",
                "--outputPath=" + trips,
                "--deadLetterPath=" + deadLetters,
                "--deadLetterKafkaTopic=" + deadLetterTopic,
                "--deadLetterKafkaBootstrapServers=" + KAFKA.bootstrapServers(),
                "--windowSizeSeconds=5",
                "--checkpointingInterval=2000"),
            UnaryOperator.identity())) {
      Await.until(
          () ->
              TripOutput.rows(trips).size() >= expectedTrips.size()
                  && TripOutput.deadLetters(deadLetters).size() >= expectedRejections.size(),
          DEADLINE,
          "all trips and dead letters published (state " + run.state() + ")");
      Map<TopicPartition, Long> end = KAFKA.endOffsets(input, IsolationLevel.READ_COMMITTED);
      Await.until(
          () -> KAFKA.committedOffsets(group).equals(end),
          DEADLINE,
          "the consumer group's committed offsets reach the end of the topic " + end);
    }

    List<TripOutput.Row> rows = TripOutput.rows(trips);
    assertThat(rows).hasSize(expectedTrips.size());
    assertThat(TripOutput.countByTripId(rows).keySet()).isEqualTo(expectedTrips.keySet());
    TripOutput.assertRowsInTheirOwnPartitions(rows);
    assertThat(rows).anySatisfy(row -> assertThat(row.year()).isEqualTo("2008"));
    TripOutput.assertOnlyParquetFiles(trips);

    List<JsonNode> fileDeadLetters = TripOutput.deadLetters(deadLetters);
    assertThat(byPayload(fileDeadLetters)).isEqualTo(expectedRejections);
    assertThat(fileDeadLetters)
        .allSatisfy(
            d -> {
              assertThat(d.get("source").asText()).isEqualTo("kafka");
              assertThat(d.get("topic").asText()).isEqualTo(input);
              assertThat(d.get("partition").asInt()).isBetween(0, 3);
              assertThat(d.get("offset").asLong()).isNotNegative();
            });
    Set<String> coordinates =
        fileDeadLetters.stream()
            .map(d -> d.get("partition") + "/" + d.get("offset"))
            .collect(Collectors.toSet());
    assertThat(coordinates).hasSize(fileDeadLetters.size());

    List<ConsumerRecord<byte[], byte[]>> topicDeadLetters =
        KAFKA.readAll(deadLetterTopic, IsolationLevel.READ_COMMITTED, Duration.ofSeconds(60));
    List<JsonNode> parsed = topicDeadLetters.stream().map(r -> parse(r.value())).toList();
    assertThat(byPayload(parsed)).isEqualTo(expectedRejections);
  }

  /** Dead letters as original payload (text, or base64 of the bytes) -> reason. */
  private static Map<String, String> byPayload(List<JsonNode> deadLetters) {
    Map<String, String> byPayload = new HashMap<>();
    for (JsonNode d : deadLetters) {
      String payload =
          d.has("payload") ? d.get("payload").asText() : d.get("payload_base64").asText();
      assertThat(byPayload.put(payload, d.get("reason").asText()))
          .as("dead letter twice: %s", d)
          .isNull();
    }
    return byPayload;
  }

  private static JsonNode parse(byte[] json) {
    try {
      return TripOutput.JSON.readTree(new String(json, StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new AssertionError("dead-letter record is not JSON", e);
    }
  }
}
