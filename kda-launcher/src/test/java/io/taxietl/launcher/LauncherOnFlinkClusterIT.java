package io.taxietl.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taxietl.replay.Replay;
import io.taxietl.testing.Await;
import io.taxietl.testing.LocalFlinkCluster;
import io.taxietl.testing.LocalFlinkCluster.FlinkRestException;
import io.taxietl.testing.LocalKafka;
import io.taxietl.testing.ScriptedServer;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher JAR on a real Flink 1.19.3 session cluster, run the way a cluster (and the managed
 * service) runs a user JAR: uploaded through the REST API and started with a properties file in the
 * managed service's format. The cluster configures checkpointing for every job, as the managed service
 * does, and the launcher must adopt that interval. Input: the bundled sample (19,745 real trips) with
 * bad events mixed in, replayed by {@code replay kafka} into a 4-partition topic of a real Kafka broker.
 */
class LauncherOnFlinkClusterIT {
  private static final long CLUSTER_CHECKPOINT_INTERVAL_MILLIS = 3000;
  private static final Duration OUTPUT_DEADLINE = Duration.ofMinutes(3);
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension static final LocalKafka KAFKA = new LocalKafka();

  @RegisterExtension
  static final LocalFlinkCluster CLUSTER = new LocalFlinkCluster(2, CLUSTER_CHECKPOINT_INTERVAL_MILLIS);

  @TempDir static Path work;
  private static String jarId;

  @BeforeAll
  static void uploadLauncherJar() throws IOException {
    Path jar = Path.of(System.getProperty("launcher.jar", "target/taxi-etl-kda.jar"));
    assertThat(jar).as("the launcher JAR (built by `mvn package`)").isRegularFile();
    long started = System.nanoTime();
    jarId = CLUSTER.uploadJar(jar);
    System.out.printf(
        "cluster started in %.1f s; launcher JAR %s: %,d bytes, uploaded in %.1f s%n",
        CLUSTER.startDuration().toMillis() / 1000.0, jar, Files.size(jar), (System.nanoTime() - started) / 1e9);
  }

  /** One event payload and the reason it must be rejected for; null for a valid trip. */
  private record Event(String text, String reason) {}

  /** What a set of events must become: trip id -> {pickup_location, year, month}, and payload -> reason. */
  private record Expected(Map<Long, List<String>> trips, Map<String, String> rejections) {
    static Expected of(List<Event> events) throws IOException {
      Map<Long, List<String>> trips = new HashMap<>();
      Map<String, String> rejections = new HashMap<>();
      for (Event event : events) {
        if (event.reason() != null) {
          rejections.put(event.text(), event.reason());
          continue;
        }
        JsonNode trip = JSON.readTree(event.text());
        LocalDateTime pickup = LocalDateTime.parse(trip.get("pickup_datetime").asText());
        List<String> partition =
            List.of(
                String.format("%03d", trip.get("pickup_location_id").asInt()),
                String.format("%04d", pickup.getYear()),
                String.format("%02d", pickup.getMonthValue()));
        assertThat(trips.put(trip.get("trip_id").asLong(), partition)).as("trip id twice in the input").isNull();
      }
      return new Expected(trips, rejections);
    }

    Expected plus(Expected other) {
      Map<Long, List<String>> allTrips = new HashMap<>(trips);
      allTrips.putAll(other.trips());
      Map<String, String> allRejections = new HashMap<>(rejections);
      allRejections.putAll(other.rejections());
      return new Expected(allTrips, allRejections);
    }
  }

  /** A trip row as DuckDB reads it back: its id and the partition folder values it was found in. */
  private record Row(long tripId, List<String> partition) {}

  @Test
  void theLauncherJarReadsTheSampleFromKafkaAndWritesPartitionedParquet() throws Exception {
    String topic = "trips-sample";
    KAFKA.createTopic(topic, 4);
    List<Event> events = withBadEvents(sample(), "full");
    Expected expected = Expected.of(events);
    replayIntoKafka(topic, events);

    Path trips = work.resolve("kafka/trips");
    Path deadLetters = work.resolve("kafka/dead-letters");
    Path properties =
        propertiesFile("kafka-application-properties.json", kafkaProperties(topic, "cluster-test", trips, deadLetters, 5));

    long started = System.nanoTime();
    String jobId = CLUSTER.runJar(jarId, null, List.of("--applicationPropertiesFile=" + properties), null);
    awaitOutput(jobId, trips, deadLetters, expected);
    double seconds = (System.nanoTime() - started) / 1e9;
    awaitGroupAtEndOfTopic("cluster-test", topic);
    System.out.printf(
        "Kafka job %s: %,d events -> %,d rows and %d dead letters committed %.1f s after the REST run%n",
        jobId, events.size(), expected.trips().size(), expected.rejections().size(), seconds);

    JsonNode job = CLUSTER.job(jobId);
    assertThat(job.path("name").asText()).isEqualTo("taxi-etl-cluster-test");
    assertThat(job.path("state").asText()).isEqualTo("RUNNING");
    JsonNode checkpoints = CLUSTER.checkpointConfig(jobId);
    assertThat(checkpoints.path("interval").asLong()).isEqualTo(CLUSTER_CHECKPOINT_INTERVAL_MILLIS);
    assertThat(checkpoints.path("mode").asText()).isEqualToIgnoringCase("exactly_once");
    CLUSTER.cancel(jobId, Duration.ofMinutes(1));

    assertExactlyOnce(trips, deadLetters, expected, topic);
  }

  /**
   * Stop with a savepoint halfway through a Kafka input, resubmit the JAR from the savepoint, and
   * every event ends up exactly once: as one row or one dead letter. The first half of the sample is
   * produced and committed (rows published, the group's offsets at the end of the topic); then the
   * next quarter is produced and the job is stopped with a savepoint at once, while those events are
   * still in its windows; the restored job gets the last quarter.
   */
  @Test
  void stopWithSavepointHalfwayThroughKafkaAndRestoreKeepEveryEventExactlyOnce() throws Exception {
    String topic = "trips-savepoint";
    String group = "savepoint-test";
    KAFKA.createTopic(topic, 4);
    List<String> sample = sample();
    int half = sample.size() / 2;
    int threeQuarters = sample.size() * 3 / 4;
    List<Event> first = withBadEvents(sample.subList(0, half), "first");
    List<Event> second = withBadEvents(sample.subList(half, threeQuarters), "second");
    List<Event> third = withBadEvents(sample.subList(threeQuarters, sample.size()), "third");
    Expected firstExpected = Expected.of(first);
    Expected secondExpected = Expected.of(second);
    Expected all = firstExpected.plus(secondExpected).plus(Expected.of(third));

    Path trips = work.resolve("savepoint/trips");
    Path deadLetters = work.resolve("savepoint/dead-letters");
    Path properties =
        propertiesFile(
            "savepoint-application-properties.json", kafkaProperties(topic, group, trips, deadLetters, 10));
    List<String> args = List.of("--applicationPropertiesFile=" + properties);

    String before = CLUSTER.runJar(jarId, null, args, null);
    replayIntoKafka(topic, first);
    awaitOutput(before, trips, deadLetters, firstExpected);
    awaitGroupAtEndOfTopic(group, topic);

    replayIntoKafka(topic, second);
    String savepoint = CLUSTER.stopWithSavepoint(before, work.resolve("savepoints"), Duration.ofMinutes(3));
    assertThat(CLUSTER.awaitTerminalState(before, Duration.ofMinutes(1))).isEqualTo("FINISHED");
    int rowsAtSavepoint = rows(trips).size();
    int deadLettersAtSavepoint = deadLetters(deadLetters).size();
    long offsetsAtSavepoint = KAFKA.committedOffsets(group).values().stream().mapToLong(Long::longValue).sum();
    long producedAtSavepoint = first.size() + second.size();
    System.out.printf(
        "savepoint %s: %,d of %,d events produced so far were in committed offsets; %,d rows + %d dead letters"
            + " published (first half: %,d rows + %d dead letters; second part: %,d + %d more to come)%n",
        savepoint, offsetsAtSavepoint, producedAtSavepoint, rowsAtSavepoint, deadLettersAtSavepoint,
        firstExpected.trips().size(), firstExpected.rejections().size(), secondExpected.trips().size(),
        secondExpected.rejections().size());
    assertThat(rowsAtSavepoint)
        .as("the savepoint came halfway: after the first half was published, before the second part was")
        .isGreaterThanOrEqualTo(firstExpected.trips().size())
        .isLessThan(firstExpected.trips().size() + secondExpected.trips().size());

    String after = CLUSTER.runJar(jarId, null, args, savepoint);
    CLUSTER.awaitAllTasksRunning(after, Duration.ofMinutes(2));
    assertThat(CLUSTER.get("/jobs/" + after + "/checkpoints").path("latest").path("restored").path("external_path").asText())
        .isEqualTo(savepoint);
    replayIntoKafka(topic, third);
    awaitOutput(after, trips, deadLetters, all);
    awaitGroupAtEndOfTopic(group, topic);
    long readTwice = 0;
    // Anything read twice after the restore would be published by the next checkpoints: let two complete.
    CLUSTER.awaitMoreCompletedCheckpoints(after, 2, Duration.ofMinutes(1));
    CLUSTER.cancel(after, Duration.ofMinutes(1));

    List<Row> rows = rows(trips);
    System.out.printf(
        "savepoint test: %,d events (%,d valid trips, %d bad); %,d rows before the savepoint, %,d after the"
            + " restore, %,d in total, %,d distinct trip ids; %d dead letters; %,d records read twice"
            + " by the restored job and dropped%n",
        first.size() + second.size() + third.size(), all.trips().size(), all.rejections().size(),
        rowsAtSavepoint, rows.size() - rowsAtSavepoint, rows.size(),
        rows.stream().map(Row::tripId).distinct().count(), deadLetters(deadLetters).size(), readTwice);
    assertExactlyOnce(trips, deadLetters, all, topic);
  }

  @Test
  void badPropertiesStopTheLaunchBeforeAJobStarts() throws IOException {
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put("Source", "KAFKA");
    bad.put("InputKafkaBootstrapServers", KAFKA.bootstrapServers());
    bad.put("InputKafkaTopic", "trips-bad");
    bad.put("OutputPath", work.resolve("bad/trips").toString());
    bad.put("WindowSizeSeconds", "soon");
    bad.put("Colour", "red");
    Path properties = propertiesFile("bad-application-properties.json", bad);
    List<String> jobsBefore = CLUSTER.jobIds();

    assertThatThrownBy(
            () -> CLUSTER.runJar(jarId, null, List.of("--applicationPropertiesFile=" + properties), null))
        .isInstanceOfSatisfying(
            FlinkRestException.class,
            e -> assertThat(e.body())
                .contains(InvalidApplicationPropertiesException.class.getName())
                .contains("BeamApplicationProperties.WindowSizeSeconds=soon is not a valid value for --windowSizeSeconds")
                .contains("BeamApplicationProperties.Colour is not a known key"));
    assertThat(CLUSTER.jobIds()).isEqualTo(jobsBefore);
  }

  private static Map<String, String> kafkaProperties(
      String topic, String group, Path trips, Path deadLetters, int windowSizeSeconds) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("Source", "KAFKA");
    properties.put("InputKafkaBootstrapServers", KAFKA.bootstrapServers());
    properties.put("InputKafkaTopic", topic);
    properties.put("KafkaConsumerGroup", group);
    properties.put("KafkaStartingPosition", "EARLIEST");
    properties.put("OutputPath", trips.toString());
    properties.put("DeadLetterPath", deadLetters.toString());
    properties.put("WindowSizeSeconds", Integer.toString(windowSizeSeconds));
    properties.put("JobName", "taxi-etl-" + group);
    return properties;
  }

  /** Waits until the job has published at least the expected rows and dead letters. */
  private static void awaitOutput(String jobId, Path trips, Path deadLetters, Expected expected) {
    int[] seen = new int[2];
    try {
      Await.until(
          () -> {
            String state = CLUSTER.jobState(jobId);
            if (LocalFlinkCluster.TERMINAL_STATES.contains(state)) {
              throw new IllegalStateException("job " + jobId + " ended " + state + ": " + CLUSTER.failure(jobId));
            }
            seen[0] = rows(trips).size();
            seen[1] = deadLetters(deadLetters).size();
            return seen[0] >= expected.trips().size() && seen[1] >= expected.rejections().size();
          },
          OUTPUT_DEADLINE,
          "job " + jobId + " to publish " + expected.trips().size() + " rows and " + expected.rejections().size()
              + " dead letters");
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; published: " + seen[0] + " rows, " + seen[1] + " dead letters", e);
    }
  }

  private static void awaitGroupAtEndOfTopic(String group, String topic) {
    Map<TopicPartition, Long> end = KAFKA.endOffsets(topic, IsolationLevel.READ_COMMITTED);
    Await.until(
        () -> KAFKA.committedOffsets(group).equals(end),
        OUTPUT_DEADLINE,
        "the committed offsets of group " + group + " to reach the end of " + topic + " " + end);
  }

  /** Every valid trip exactly once, in its partition folder; every bad event exactly one dead letter. */
  private static void assertExactlyOnce(Path trips, Path deadLetters, Expected expected, String topic)
      throws Exception {
    List<Row> rows = rows(trips);
    Map<Long, List<String>> byTripId = new HashMap<>();
    List<Long> duplicates = new ArrayList<>();
    for (Row row : rows) {
      if (byTripId.put(row.tripId(), row.partition()) != null) {
        duplicates.add(row.tripId());
      }
    }
    assertThat(duplicates).as("trip ids written more than once").isEmpty();
    assertThat(byTripId.keySet()).as("trip ids written").isEqualTo(expected.trips().keySet());
    assertThat(byTripId).as("partition folder of each trip").isEqualTo(expected.trips());
    try (Stream<Path> files = Files.walk(trips)) {
      assertThat(files.filter(Files::isRegularFile).map(Path::toString))
          .as("only committed Parquet files below the output folder")
          .allMatch(name -> name.endsWith(".parquet") && !name.contains(".temp"));
    }

    Map<String, String> reasons = new HashMap<>();
    for (JsonNode deadLetter : deadLetters(deadLetters)) {
      String previous = reasons.put(deadLetter.path("payload").asText(), deadLetter.path("reason").asText());
      assertThat(previous).as("dead letter written twice: %s", deadLetter).isNull();
      assertThat(deadLetter.path("source").asText()).isEqualTo("kafka");
      assertThat(deadLetter.path("topic").asText()).isEqualTo(topic);
      assertThat(deadLetter.path("partition").asInt()).isBetween(0, 3);
    }
    assertThat(reasons).as("dead letters by payload").isEqualTo(expected.rejections());
  }

  /** The bundled sample's events (19,745 real trips), one line each, in file order. */
  private static List<String> sample() throws IOException {
    Path sample = ScriptedServer.repoRoot().resolve("pipeline/src/main/resources/sample/taxi-trips-sample.jsonl.gz");
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(sample)), StandardCharsets.UTF_8))) {
      return lines.lines().filter(line -> !line.isBlank()).toList();
    }
  }

  /** The trips, then one bad event of each rejection reason, each payload unique by {@code tag}. */
  private static List<Event> withBadEvents(List<String> trips, String tag) {
    List<Event> events = new ArrayList<>();
    trips.forEach(trip -> events.add(new Event(trip, null)));
    String times = "\"pickup_datetime\":\"2019-08-01T00:00:00\",\"dropoff_datetime\":\"2019-08-01T00:10:00\"";
    events.add(new Event("this is not json " + tag, "MALFORMED_JSON"));
    events.add(new Event("{\"trip_id\":1,\"type\":\"" + tag + "\"," + times + ",\"dropoff_location_id\":1}", "MISSING_FIELD"));
    events.add(new Event("{\"trip_id\":\"abc\",\"type\":\"" + tag + "\"," + times
        + ",\"pickup_location_id\":1,\"dropoff_location_id\":1}", "INVALID_FIELD"));
    events.add(new Event("{\"trip_id\":3,\"type\":\"" + tag + "\",\"pickup_datetime\":\"2019-08-01T00:10:00\","
        + "\"dropoff_datetime\":\"2019-08-01T00:00:00\",\"pickup_location_id\":1,\"dropoff_location_id\":1}",
        "DROPOFF_BEFORE_PICKUP"));
    events.add(new Event("{\"trip_id\":4,\"type\":\"" + tag + "\"," + times
        + ",\"pickup_location_id\":300,\"dropoff_location_id\":1}", "LOCATION_OUT_OF_RANGE"));
    events.add(new Event("{\"trip_id\":5,\"type\":\"" + tag + "\"," + times
        + ",\"pickup_location_id\":1,\"dropoff_location_id\":1,\"trip_distance\":-2.5}", "NEGATIVE_DISTANCE"));
    return events;
  }

  /** Sends the events through {@code replay kafka --speedup 0}, as a user fills a topic. */
  private static void replayIntoKafka(String topic, List<Event> events) throws IOException {
    Path file = Files.createTempFile(work, topic + "-", ".jsonl");
    Files.write(file, events.stream().map(Event::text).toList(), StandardCharsets.UTF_8);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(log, true, StandardCharsets.UTF_8);
    int exit =
        Replay.run(
            new String[] {
              "kafka", "--bootstrap-servers", KAFKA.bootstrapServers(), "--topic", topic, "--speedup", "0",
              file.toString()
            },
            print,
            print);
    assertThat(exit).as(log.toString(StandardCharsets.UTF_8)).isZero();
  }

  private static Path propertiesFile(String name, Map<String, String> beamProperties) throws IOException {
    ArrayNode groups = JSON.createArrayNode();
    ObjectNode group = groups.addObject();
    group.put("PropertyGroupId", PropertyGroupMapping.BEAM_GROUP);
    ObjectNode map = group.putObject("PropertyMap");
    beamProperties.forEach(map::put);
    Path file = work.resolve(name);
    Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(groups), StandardCharsets.UTF_8);
    return file;
  }

  /** Every published row below {@code trips}, read with DuckDB (Hive partitions as text); empty if none yet. */
  private static List<Row> rows(Path trips) throws Exception {
    if (!hasParquetFiles(trips)) {
      return List.of();
    }
    List<Row> rows = new ArrayList<>();
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement query = duckdb.createStatement();
        ResultSet result =
            query.executeQuery(
                "SELECT trip_id, pickup_location, year, month FROM read_parquet('" + trips
                    + "/**/*.parquet', hive_partitioning = true, hive_types_autocast = false)")) {
      while (result.next()) {
        rows.add(new Row(
            result.getLong("trip_id"),
            List.of(result.getString("pickup_location"), result.getString("year"), result.getString("month"))));
      }
    }
    return rows;
  }

  /** Every published dead-letter record below {@code folder}, parsed; empty if none yet. */
  private static List<JsonNode> deadLetters(Path folder) throws IOException {
    List<JsonNode> records = new ArrayList<>();
    if (!Files.isDirectory(folder)) {
      return records;
    }
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList()) {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          records.add(JSON.readTree(line));
        }
      }
    }
    return records;
  }

  private static boolean hasParquetFiles(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return false;
    }
    try (Stream<Path> files = Files.walk(folder)) {
      return files.anyMatch(file -> file.toString().endsWith(".parquet"));
    }
  }
}
