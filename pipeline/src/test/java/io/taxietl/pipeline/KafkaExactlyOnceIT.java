package io.taxietl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.taxietl.testing.Await;
import io.taxietl.testing.LocalKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job fails mid-stream (an injected failure after a checkpoint has completed) and Flink
 * recovers from its last checkpoint. Afterwards the Kafka output, read with {@code read_committed},
 * holds every valid trip exactly once, and so does the Parquet output: nothing lost, nothing
 * duplicated.
 */
class KafkaExactlyOnceIT {
  @RegisterExtension static final LocalKafka KAFKA = new LocalKafka();
  private static final Duration DEADLINE = Duration.ofMinutes(8);
  private static final int EOS_TRIPS = 600;

  /**
   * Events of the second half the job reads (after the first half's rows are published) before
   * failing.
   */
  private static final int FAIL_AFTER = 120;

  @TempDir Path work;

  @AfterEach
  void disarm() {
    FailOnce.reset();
  }

  @Test
  void aFailureMidStreamLosesAndDuplicatesNothingInKafkaAndParquet() throws Exception {
    String input = "eos-in";
    String output = "eos-out";
    String group = "eos-group";
    KAFKA.createTopic(input, 4);
    KAFKA.createTopic(output, 4);

    // KafkaIO's exactly-once sink commits many small Kafka transactions, each taking tens to
    // hundreds of
    // milliseconds on this broker: 600 trips keep the test short while the run still spans many 2 s
    // checkpoints and the failure lands between two of them.
    List<TestEvents.Event> events =
        TestEvents.mix(
            TestEvents.realTrips(work).subList(0, EOS_TRIPS), TestEvents.badTextEvents("eos"));
    List<TestEvents.Event> firstHalf = events.subList(0, events.size() / 2);
    List<TestEvents.Event> secondHalf = events.subList(events.size() / 2, events.size());
    Map<Long, Integer> expectedTrips = new HashMap<>();
    for (TestEvents.Event event : events) {
      if (event.expectedReason() == null && !event.text().contains("\"watermark\"")) {
        expectedTrips.put(TripOutput.JSON.readTree(event.payload()).get("trip_id").asLong(), 0);
      }
    }
    int expectedDeadLetters = (int) events.stream().filter(e -> e.expectedReason() != null).count();
    int firstHalfTrips =
        (int)
            firstHalf.stream()
                .filter(e -> e.expectedReason() == null && !e.text().contains("\"watermark\""))
                .count();

    Path trips = work.resolve("out/trips");
    Path deadLetters = work.resolve("out/dead-letters");
    KafkaTestInput.replay(KAFKA, input, firstHalf, work);
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
                "--outputKafkaBootstrapServers=" + KAFKA.bootstrapServers(),
                "--outputKafkaTopic=" + output,
                "--kafkaExactlyOnce=true",
                "--kafkaExactlyOnceShards=1",
                "--windowSizeSeconds=3",
                "--checkpointingInterval=2000"),
            source -> new FailOnce(source, FAIL_AFTER))) {
      Await.until(
          () -> TripOutput.rows(trips).size() >= firstHalfTrips,
          DEADLINE,
          "the first half's trips published (state " + run.state() + ")");

      FailOnce.ARMED.set(true);
      KafkaTestInput.replay(KAFKA, input, secondHalf, work);
      Await.until(FailOnce.FAILED::get, DEADLINE, "the injected failure");

      try {
        Await.until(
            () ->
                TripOutput.rows(trips).size() >= expectedTrips.size()
                    && TripOutput.deadLetters(deadLetters).size() >= expectedDeadLetters
                    && committedTripIds(output).size() >= expectedTrips.size(),
            DEADLINE,
            "every trip and dead letter written after the recovery");
      } catch (AssertionError e) {
        throw new AssertionError(
            String.format(
                "%s; job %s; %,d of %,d rows (%,d distinct trips), %d of %d dead letters, %,d distinct trips "
                    + "committed to the output topic; missing: %s",
                e.getMessage(),
                run.state(),
                TripOutput.rows(trips).size(),
                expectedTrips.size(),
                TripOutput.countByTripId(TripOutput.rows(trips)).size(),
                TripOutput.deadLetters(deadLetters).size(),
                expectedDeadLetters,
                committedTripIds(output).size(),
                missing(expectedTrips.keySet(), trips, output)),
            e);
      }
    }

    List<TripOutput.Row> rows = TripOutput.rows(trips);
    Map<Long, Integer> parquetCounts = TripOutput.countByTripId(rows);
    assertThat(parquetCounts.keySet()).as("trips in Parquet").isEqualTo(expectedTrips.keySet());
    assertThat(parquetCounts.values()).as("copies of each trip in Parquet").containsOnly(1);
    assertThat(rows).hasSize(expectedTrips.size());
    assertThat(TripOutput.deadLetters(deadLetters)).hasSize(expectedDeadLetters);

    List<ConsumerRecord<byte[], byte[]>> committed =
        KAFKA.readAll(output, IsolationLevel.READ_COMMITTED, Duration.ofSeconds(60));
    Map<Long, Integer> kafkaCounts = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : committed) {
      JsonNode trip = TripOutput.JSON.readTree(new String(record.value(), StandardCharsets.UTF_8));
      long tripId = trip.get("trip_id").asLong();
      assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(Long.toString(tripId));
      kafkaCounts.merge(tripId, 1, Integer::sum);
    }
    assertThat(kafkaCounts.keySet())
        .as("trips in the output topic")
        .isEqualTo(expectedTrips.keySet());
    Set<Long> duplicated =
        kafkaCounts.entrySet().stream()
            .filter(e -> e.getValue() > 1)
            .map(Map.Entry::getKey)
            .collect(Collectors.toSet());
    assertThat(duplicated).as("trips written twice to the output topic").isEmpty();
    System.out.printf(
        "exactly-once: %d trips expected, %d Parquet rows, %d committed Kafka records, %d uncommitted-or-aborted "
            + "records visible to read_uncommitted, %d dead letters%n",
        expectedTrips.size(),
        rows.size(),
        committed.size(),
        KAFKA.readAll(output, IsolationLevel.READ_UNCOMMITTED, Duration.ofSeconds(60)).size()
            - committed.size(),
        expectedDeadLetters);
  }

  /** The distinct trip ids in the committed records of {@code topic}. */
  private static Set<Long> committedTripIds(String topic) throws Exception {
    Set<Long> ids = new HashSet<>();
    List<ConsumerRecord<byte[], byte[]>> committed =
        KAFKA.readAll(topic, IsolationLevel.READ_COMMITTED, Duration.ofSeconds(60));
    for (ConsumerRecord<byte[], byte[]> record : committed) {
      ids.add(
          TripOutput.JSON
              .readTree(new String(record.value(), StandardCharsets.UTF_8))
              .get("trip_id")
              .asLong());
    }
    return ids;
  }

  /**
   * Up to 20 expected trip ids missing from the Parquet output or from the output topic, for a
   * failure message.
   */
  private static String missing(Set<Long> expected, Path trips, String topic) throws Exception {
    Set<Long> inParquet = TripOutput.countByTripId(TripOutput.rows(trips)).keySet();
    Set<Long> inKafka = committedTripIds(topic);
    return "not in Parquet "
        + expected.stream().filter(id -> !inParquet.contains(id)).sorted().limit(20).toList()
        + ", not in Kafka "
        + expected.stream().filter(id -> !inKafka.contains(id)).sorted().limit(20).toList();
  }
}
