package io.taxietl.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taxietl.testing.LocalFlinkCluster;
import io.taxietl.testing.LocalFlinkCluster.FlinkRestException;
import io.taxietl.testing.ScriptedServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher JAR on a real Flink 1.19.3 session cluster, run the way a cluster (and the managed
 * service) runs a user JAR: uploaded through the REST API and started with a properties file in the
 * managed service's format. The cluster configures checkpointing for every job, as the managed service
 * does, and the launcher must adopt that interval.
 */
class LauncherOnFlinkClusterIT {
  private static final long CLUSTER_CHECKPOINT_INTERVAL_MILLIS = 3000;
  private static final int VALID_TRIPS = 3000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter NAIVE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

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

  /** One input line and the reason it must be rejected for; null for a valid trip or a non-event. */
  private record Line(String text, String reason) {}

  @Test
  void theLauncherJarRunsFromAPropertiesFileAndWritesPartitionedParquet() throws Exception {
    List<Line> lines = input();
    Path events = work.resolve("events.jsonl");
    Files.write(events, lines.stream().map(Line::text).toList(), StandardCharsets.UTF_8);
    Path trips = work.resolve("out/trips");
    Path deadLetters = work.resolve("out/dead-letters");
    Path properties =
        propertiesFile(
            "application-properties.json",
            Map.of(
                "Source", "FILE",
                "InputPath", events.toString(),
                "OutputPath", trips.toString(),
                "DeadLetterPath", deadLetters.toString(),
                "WindowSizeSeconds", "5",
                "JobName", "taxi-etl-cluster-test"));

    long started = System.nanoTime();
    String jobId = CLUSTER.runJar(jarId, null, List.of("--applicationPropertiesFile=" + properties), null);
    String state = CLUSTER.awaitTerminalState(jobId, Duration.ofMinutes(5));
    double seconds = (System.nanoTime() - started) / 1e9;
    assertThat(state).as("job state; failure: %s", state.equals("FINISHED") ? "" : CLUSTER.failure(jobId))
        .isEqualTo("FINISHED");
    System.out.printf("job %s ran %d lines from submit to FINISHED in %.1f s%n", jobId, lines.size(), seconds);

    JsonNode job = CLUSTER.job(jobId);
    assertThat(job.path("name").asText()).isEqualTo("taxi-etl-cluster-test");
    JsonNode checkpoints = CLUSTER.checkpointConfig(jobId);
    assertThat(checkpoints.path("interval").asLong()).isEqualTo(CLUSTER_CHECKPOINT_INTERVAL_MILLIS);
    assertThat(checkpoints.path("mode").asText()).isEqualToIgnoringCase("exactly_once");

    Map<Long, String[]> expectedTrips = new HashMap<>();
    Map<Long, String> expectedRejections = new TreeMap<>();
    for (int i = 0; i < lines.size(); i++) {
      Line line = lines.get(i);
      if (line.reason() != null) {
        expectedRejections.put((long) i + 1, line.reason());
      } else if (!line.text().isBlank() && !line.text().contains("\"watermark\"")) {
        JsonNode trip = JSON.readTree(line.text());
        LocalDateTime pickup = LocalDateTime.parse(trip.get("pickup_datetime").asText());
        expectedTrips.put(
            trip.get("trip_id").asLong(),
            new String[] {
              String.format("%03d", trip.get("pickup_location_id").asInt()),
              String.format("%04d", pickup.getYear()),
              String.format("%02d", pickup.getMonthValue())
            });
      }
    }

    Map<Long, String[]> rows = readTripsWithDuckDb(trips);
    assertThat(rows.keySet()).isEqualTo(expectedTrips.keySet());
    expectedTrips.forEach((tripId, partition) -> assertThat(rows.get(tripId)).as("partition of trip %d", tripId)
        .containsExactly(partition));
    assertThat(countRows(trips)).as("rows, duplicates included").isEqualTo(expectedTrips.size());
    try (Stream<Path> files = Files.walk(trips)) {
      assertThat(files.filter(Files::isRegularFile).map(Path::toString))
          .as("only committed Parquet files below the output folder")
          .allMatch(name -> name.endsWith(".parquet") && !name.contains(".temp"));
    }

    Map<Long, String> deadLettersByLine = new TreeMap<>();
    try (Stream<Path> files = Files.walk(deadLetters)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
        for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          JsonNode deadLetter = JSON.readTree(text);
          String previous = deadLettersByLine.put(deadLetter.get("line_number").asLong(), deadLetter.get("reason").asText());
          assertThat(previous).as("dead letter written twice: %s", text).isNull();
          assertThat(deadLetter.get("file").asText()).endsWith("events.jsonl");
        }
      }
    }
    assertThat(deadLettersByLine).isEqualTo(expectedRejections);
  }

  /**
   * Stop with a savepoint while the job runs, resubmit the JAR from the savepoint, and every event of the
   * bundled sample (19,745 real trips) ends up exactly once: as one row or one dead letter. With a file
   * source the savepoint's barrier may come after all lines were read (the read is one step), so this
   * proves the mechanics and that a restore neither re-reads nor drops anything; the halfway case needs
   * the Kafka source.
   */
  @Test
  void stopWithSavepointAndRestoreKeepEveryEventExactlyOnce() throws Exception {
    Path sample = ScriptedServer.repoRoot()
        .resolve("pipeline/src/main/resources/sample/taxi-trips-sample.jsonl.gz");
    long events = countEvents(sample);
    Path trips = work.resolve("savepoint/trips");
    Path deadLetters = work.resolve("savepoint/dead-letters");
    Path properties =
        propertiesFile(
            "savepoint-application-properties.json",
            Map.of(
                "Source", "FILE",
                "InputPath", sample.toString(),
                "OutputPath", trips.toString(),
                "DeadLetterPath", deadLetters.toString(),
                "WindowSizeSeconds", "5",
                "JobName", "taxi-etl-savepoint-test"));
    List<String> args = List.of("--applicationPropertiesFile=" + properties);

    String first = CLUSTER.runJar(jarId, null, args, null);
    CLUSTER.awaitAllTasksRunning(first, Duration.ofMinutes(2));
    String savepoint = CLUSTER.stopWithSavepoint(first, work.resolve("savepoints"), Duration.ofMinutes(3));
    assertThat(CLUSTER.awaitTerminalState(first, Duration.ofMinutes(1))).isEqualTo("FINISHED");
    long rowsAtSavepoint = hasParquetFiles(trips) ? countRows(trips) : 0;

    String second = CLUSTER.runJar(jarId, null, args, savepoint);
    String state = CLUSTER.awaitTerminalState(second, Duration.ofMinutes(5));
    assertThat(state).as("restored job; failure: %s", state.equals("FINISHED") ? "" : CLUSTER.failure(second))
        .isEqualTo("FINISHED");
    assertThat(CLUSTER.get("/jobs/" + second + "/checkpoints").path("latest").path("restored").path("external_path").asText())
        .isEqualTo(savepoint);

    long rows = countRows(trips);
    long distinctTrips = countDistinctTrips(trips);
    long deadLetterLines = 0;
    if (Files.exists(deadLetters)) {
      try (Stream<Path> files = Files.walk(deadLetters)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
          deadLetterLines += Files.readAllLines(file, StandardCharsets.UTF_8).size();
        }
      }
    }
    System.out.printf(
        "savepoint test: %d events; %d rows committed before the savepoint; after restore %d rows (%d distinct"
            + " trip ids) + %d dead letters%n",
        events, rowsAtSavepoint, rows, distinctTrips, deadLetterLines);
    assertThat(rows).as("no trip written twice").isEqualTo(distinctTrips);
    assertThat(rows + deadLetterLines).as("every event once: a row or a dead letter").isEqualTo(events);
  }

  @Test
  void badPropertiesStopTheLaunchBeforeAJobStarts() throws IOException {
    Path properties =
        propertiesFile(
            "bad-application-properties.json",
            Map.of(
                "Source", "FILE",
                "InputPath", work.resolve("none-*.jsonl").toString(),
                "OutputPath", work.resolve("bad/trips").toString(),
                "WindowSizeSeconds", "soon",
                "Colour", "red"));
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

  /** Valid trips over 12 pickup locations and 3 months (one in 2008), with every kind of bad line mixed in. */
  private static List<Line> input() {
    List<Line> lines = new ArrayList<>();
    LocalDateTime base = LocalDateTime.of(2019, 1, 1, 0, 0);
    for (int i = 1; i <= VALID_TRIPS; i++) {
      LocalDateTime pickup = i == 7 ? LocalDateTime.of(2008, 12, 31, 23, 50) : base.plusMonths(i % 3).plusMinutes(i);
      ObjectNode trip = JSON.createObjectNode();
      trip.put("trip_id", 190_000_000L + i);
      trip.put("type", i % 2 == 0 ? "yellow" : "green");
      trip.put("vendor_id", 1 + i % 2);
      trip.put("pickup_datetime", pickup.format(NAIVE));
      trip.put("dropoff_datetime", pickup.plusMinutes(9).format(NAIVE));
      trip.put("pickup_location_id", 1 + i % 12);
      trip.put("dropoff_location_id", 100 + i % 50);
      trip.put("passenger_count", i % 4);
      trip.put("trip_distance", i % 5 == 0 ? "2.5" : "1.25");
      trip.putNull("congestion_surcharge");
      trip.put("total_amount", 10.5);
      lines.add(new Line(trip.toString(), null));
      if (i % 500 == 0) {
        lines.addAll(badLines(i));
      }
    }
    return lines;
  }

  private static List<Line> badLines(int n) {
    String times = "\"pickup_datetime\":\"2019-08-01T00:00:00\",\"dropoff_datetime\":\"2019-08-01T00:10:00\"";
    return switch (n / 500) {
      case 1 -> List.of(new Line("this is not json", "MALFORMED_JSON"), new Line("", null));
      case 2 -> List.of(new Line("{\"trip_id\":1,\"type\":\"yellow\"," + times + ",\"dropoff_location_id\":1}", "MISSING_FIELD"));
      case 3 -> List.of(new Line("{\"trip_id\":\"abc\",\"type\":\"yellow\"," + times
          + ",\"pickup_location_id\":1,\"dropoff_location_id\":1}", "INVALID_FIELD"));
      case 4 -> List.of(new Line("{\"trip_id\":3,\"type\":\"yellow\",\"pickup_datetime\":\"2019-08-01T00:10:00\","
          + "\"dropoff_datetime\":\"2019-08-01T00:00:00\",\"pickup_location_id\":1,\"dropoff_location_id\":1}",
          "DROPOFF_BEFORE_PICKUP"));
      case 5 -> List.of(new Line("{\"trip_id\":4,\"type\":\"yellow\"," + times
          + ",\"pickup_location_id\":300,\"dropoff_location_id\":1}", "LOCATION_OUT_OF_RANGE"),
          new Line("{\"watermark\":\"2019-08-01T00:00:00Z\",\"type\":\"watermark\"}", null));
      default -> List.of(new Line("{\"trip_id\":5,\"type\":\"yellow\"," + times
          + ",\"pickup_location_id\":1,\"dropoff_location_id\":1,\"trip_distance\":-2.5}", "NEGATIVE_DISTANCE"));
    };
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

  /** trip_id -> {pickup_location, year, month} as DuckDB reads them from the Hive partition folders. */
  private static Map<Long, String[]> readTripsWithDuckDb(Path trips) throws Exception {
    Map<Long, String[]> rows = new HashMap<>();
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement query = duckdb.createStatement();
        ResultSet result =
            query.executeQuery(
                "SELECT trip_id, pickup_location, year, month FROM read_parquet('" + trips
                    + "/**/*.parquet', hive_partitioning = true, hive_types_autocast = false)")) {
      while (result.next()) {
        rows.put(
            result.getLong("trip_id"),
            new String[] {result.getString("pickup_location"), result.getString("year"), result.getString("month")});
      }
    }
    return rows;
  }

  private static boolean hasParquetFiles(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return false;
    }
    try (Stream<Path> files = Files.walk(folder)) {
      return files.anyMatch(file -> file.toString().endsWith(".parquet"));
    }
  }

  private static long countEvents(Path gzipFile) throws IOException {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(gzipFile)), StandardCharsets.UTF_8))) {
      return lines.lines().filter(line -> !line.isBlank()).count();
    }
  }

  private static long countDistinctTrips(Path trips) throws Exception {
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement query = duckdb.createStatement();
        ResultSet result = query.executeQuery(
            "SELECT count(DISTINCT trip_id) FROM read_parquet('" + trips + "/**/*.parquet')")) {
      result.next();
      return result.getLong(1);
    }
  }

  private static long countRows(Path trips) throws Exception {
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement query = duckdb.createStatement();
        ResultSet result = query.executeQuery("SELECT count(*) FROM read_parquet('" + trips + "/**/*.parquet')")) {
      result.next();
      return result.getLong(1);
    }
  }
}
