package io.taxietl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taxietl.testing.Await;
import io.taxietl.testing.LocalKafka;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dead-letter redrive end to end, against a real Kafka broker, on embedded Flink: bad events, a
 * fixed rule, {@code replay redrive}, and the rows appear exactly once.
 *
 * <p>The rule: a producer sends pickup times with their New York offset and dropoff times without
 * one (New York wall-clock time), and the job runs with {@code --eventTimeZone=UTC}, so those trips
 * end before they start: {@code DROPOFF_BEFORE_PICKUP}. The fix is the job's configuration, {@code
 * --eventTimeZone=America/New_York}; the job is restarted with it (same consumer group: it goes on
 * after the records it read) and the dead letters are redriven into the input topic. Trips without
 * a pickup location ({@code MISSING_FIELD}) stay bad and land in the dead letters once more, with
 * their history. Then the same dead letters are redriven to a file for a FILE-source run.
 */
class RedriveEndToEndIT {
  @RegisterExtension static final LocalKafka KAFKA = new LocalKafka();
  private static final Duration DEADLINE = Duration.ofMinutes(4);
  private static final int VALID = 500;
  private static final int FIXABLE = 20;
  private static final int STILL_BAD = 10;

  @TempDir Path work;

  @Test
  void badEventsAFixedRuleARedriveAndEveryRowExactlyOnce() throws Exception {
    String input = "trips";
    String group = "redrive-e2e";
    KAFKA.createTopic(input, 2);

    List<TestEvents.Event> valid = new ArrayList<>();
    for (TestEvents.Event event : TestEvents.realTrips(work)) {
      if (event.expectedReason() == null && valid.size() < VALID) {
        valid.add(event);
      }
    }
    Set<Long> validIds = new TreeSet<>();
    List<TestEvents.Event> events = new ArrayList<>(valid);
    for (TestEvents.Event event : valid) {
      validIds.add(TripOutput.JSON.readTree(event.payload()).get("trip_id").asLong());
    }
    Set<Long> fixableIds = new TreeSet<>();
    Set<Long> stillBadIds = new TreeSet<>();
    ZoneId newYork = ZoneId.of("America/New_York");
    for (TestEvents.Event event : valid) {
      if (fixableIds.size() == FIXABLE && stillBadIds.size() == STILL_BAD) {
        break;
      }
      ObjectNode trip = (ObjectNode) TripOutput.JSON.readTree(event.payload());
      LocalDateTime pickup = LocalDateTime.parse(trip.get("pickup_datetime").asText());
      LocalDateTime dropoff = LocalDateTime.parse(trip.get("dropoff_datetime").asText());
      long minutes = Duration.between(pickup, dropoff).toMinutes();
      long id = 900_000_000L + fixableIds.size() + stillBadIds.size();
      trip.put("trip_id", id);
      if (fixableIds.size() < FIXABLE && minutes > 0 && minutes < 60) {
        // Pickup with its New York offset, dropoff as New York wall-clock time: read in UTC, the
        // trip ends hours before it starts.
        ZoneOffset offset = newYork.getRules().getOffset(pickup);
        trip.put("pickup_datetime", pickup + offset.getId());
        fixableIds.add(id);
      } else if (stillBadIds.size() < STILL_BAD) {
        trip.remove("pickup_location_id");
        stillBadIds.add(id);
      } else {
        continue;
      }
      events.add(new TestEvents.Event(TripOutput.JSON.writeValueAsBytes(trip), "bad"));
    }
    assertThat(fixableIds).hasSize(FIXABLE);
    assertThat(stillBadIds).hasSize(STILL_BAD);
    KafkaTestInput.replay(KAFKA, input, events, work);

    Path trips = work.resolve("lake/trips");
    Path deadLetters = work.resolve("lake/dead-letters");
    List<String> job =
        List.of(
            "--source=KAFKA",
            "--inputKafkaBootstrapServers=" + KAFKA.bootstrapServers(),
            "--inputKafkaTopic=" + input,
            "--kafkaConsumerGroup=" + group,
            "--kafkaStartingPosition=EARLIEST",
            "--outputPath=" + trips,
            "--deadLetterPath=" + deadLetters,
            "--windowSizeSeconds=5",
            "--checkpointingInterval=2000");

    // 1. The job as first configured: the fixable trips are dead letters.
    runUntil(
        job,
        "--eventTimeZone=UTC",
        input,
        group,
        () ->
            TripOutput.rows(trips).size() >= VALID
                && TripOutput.deadLetters(deadLetters).size() >= FIXABLE + STILL_BAD);
    List<JsonNode> first = TripOutput.deadLetters(deadLetters);
    assertThat(byTripId(first).keySet())
        .containsExactlyInAnyOrderElementsOf(union(fixableIds, stillBadIds));
    assertThat(first)
        .allSatisfy(
            d -> {
              long id = d.get("trip_id").asLong();
              assertThat(d.get("reason").asText())
                  .isEqualTo(fixableIds.contains(id) ? "DROPOFF_BEFORE_PICKUP" : "MISSING_FIELD");
              assertThat(d.has("redrive_count")).isFalse();
            });
    assertThat(tripIds(trips)).containsExactlyInAnyOrderElementsOf(validIds);

    // 2. The fix (the zone), the redrive into the input topic, and the job with the fix running.
    Instant beforeRedrive = Instant.now();
    String redriven =
        replay(
            "redrive",
            deadLetters.toString(),
            "--reason",
            "DROPOFF_BEFORE_PICKUP,MISSING_FIELD",
            "--to-topic",
            input,
            "--bootstrap-servers",
            KAFKA.bootstrapServers());
    assertThat(redriven)
        .contains("picked 30: DROPOFF_BEFORE_PICKUP 20, MISSING_FIELD 10")
        .contains("sent 30 to topic 'trips'");
    runUntil(
        job,
        "--eventTimeZone=America/New_York",
        input,
        group,
        () ->
            TripOutput.rows(trips).size() >= VALID + FIXABLE
                && TripOutput.deadLetters(deadLetters).size() >= FIXABLE + 2 * STILL_BAD);

    List<Long> ids = tripIds(trips);
    assertThat(ids).as("every trip exactly once").doesNotHaveDuplicates();
    assertThat(ids).containsExactlyInAnyOrderElementsOf(union(validIds, fixableIds));
    List<JsonNode> all = TripOutput.deadLetters(deadLetters);
    assertThat(all).hasSize(FIXABLE + 2 * STILL_BAD);
    List<JsonNode> again = all.stream().filter(d -> d.has("redrive_count")).toList();
    assertThat(again).as("the still-bad ones, once more each").hasSize(STILL_BAD);
    Map<Long, JsonNode> firstById = byTripId(first);
    for (JsonNode d : again) {
      long id = d.get("trip_id").asLong();
      assertThat(stillBadIds).contains(id);
      assertThat(d.get("reason").asText()).isEqualTo("MISSING_FIELD");
      assertThat(d.get("redrive_count").asInt()).isEqualTo(1);
      assertThat(d.get("payload").asText())
          .as("the original payload, not the envelope")
          .isEqualTo(firstById.get(id).get("payload").asText());
      assertThat(d.get("offset").asLong())
          .as("its own coordinates: the redriven record")
          .isNotEqualTo(firstById.get(id).get("offset").asLong());
      JsonNode previous = d.get("previous_failures");
      assertThat(previous).hasSize(1);
      assertThat(previous.get(0).get("reason").asText()).isEqualTo("MISSING_FIELD");
      assertThat(previous.get(0).get("failed_at").asText())
          .isEqualTo(firstById.get(id).get("failed_at").asText());
      assertThat(previous.get(0).get("origin").get("offset").asLong())
          .isEqualTo(firstById.get(id).get("offset").asLong());
      assertThat(Instant.parse(d.get("failed_at").asText())).isAfter(beforeRedrive);
    }

    // 3. The same first dead letters to a file, for a FILE-source backfill with the fix.
    Path backfill = work.resolve("backfill/redrive.jsonl");
    assertThat(
            replay(
                "redrive",
                deadLetters.toString(),
                "--until",
                beforeRedrive.toString(),
                "--to-file",
                backfill.toString()))
        .contains("picked 30: DROPOFF_BEFORE_PICKUP 20, MISSING_FIELD 10; not picked 10");
    Path fileTrips = work.resolve("backfill/trips");
    Path fileDeadLetters = work.resolve("backfill/dead-letters");
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    int exit =
        new StreamingEtlMain(new PrintStream(console, true, StandardCharsets.UTF_8), System.err)
            .run(
                new String[] {
                  "--inputPath=" + backfill,
                  "--eventTimeZone=America/New_York",
                  "--outputPath=" + fileTrips,
                  "--deadLetterPath=" + fileDeadLetters
                });
    assertThat(exit).as(console.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(tripIds(fileTrips)).containsExactlyInAnyOrderElementsOf(fixableIds);
    assertThat(TripOutput.deadLetters(fileDeadLetters))
        .hasSize(STILL_BAD)
        .allSatisfy(
            d -> {
              assertThat(d.get("source").asText()).isEqualTo("file");
              assertThat(d.get("redrive_count").asInt()).isEqualTo(1);
            });
  }

  /** Runs the job with {@code zone} until {@code done}, and until its offsets are committed. */
  private void runUntil(
      List<String> job, String zone, String input, String group, Callable<Boolean> done)
      throws Exception {
    List<String> args = new ArrayList<>(job);
    args.add(zone);
    try (PipelineRun run = PipelineRun.start(args, UnaryOperator.identity())) {
      Await.until(done, DEADLINE, "the job's output (" + zone + ", state " + run.state() + ")");
      Map<TopicPartition, Long> end = KAFKA.endOffsets(input, IsolationLevel.READ_COMMITTED);
      Await.until(
          () -> KAFKA.committedOffsets(group).equals(end),
          DEADLINE,
          "the group's offsets committed to the end of the topic " + end);
    }
  }

  private static List<Long> tripIds(Path trips) {
    return TripOutput.rows(trips).stream().map(TripOutput.Row::tripId).toList();
  }

  private static Map<Long, JsonNode> byTripId(List<JsonNode> deadLetters) {
    Map<Long, JsonNode> byId = new HashMap<>();
    for (JsonNode d : deadLetters) {
      assertThat(byId.put(d.get("trip_id").asLong(), d)).as("twice: %s", d).isNull();
    }
    return byId;
  }

  private static Set<Long> union(Set<Long> a, Set<Long> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).collect(Collectors.toSet());
  }

  /** Runs the replay tool, failing the test unless it succeeds; its standard output. */
  private static String replay(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        io.taxietl.replay.Replay.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
    return out.toString(StandardCharsets.UTF_8);
  }
}
