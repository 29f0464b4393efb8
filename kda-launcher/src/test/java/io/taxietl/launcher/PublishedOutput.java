package io.taxietl.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taxietl.launcher.ClusterEvents.Expected;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * What a job published in a local folder (or a local copy of an S3 prefix): trip rows read with
 * DuckDB and dead letters read with Jackson, independent of the pipeline's code, and the
 * exactly-once check.
 */
final class PublishedOutput {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path trips;
  private final Path deadLetters;

  PublishedOutput(Path trips, Path deadLetters) {
    this.trips = trips;
    this.deadLetters = deadLetters;
  }

  /** A trip row as DuckDB reads it back: its id and the partition folder values it was found in. */
  record Row(long tripId, List<String> partition) {}

  /** Every published row; empty if none yet. */
  List<Row> rows() {
    if (!hasFiles(trips, ".parquet")) {
      return List.of();
    }
    List<Row> rows = new ArrayList<>();
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement query = duckdb.createStatement();
        ResultSet result =
            query.executeQuery(
                "SELECT trip_id, pickup_location, year, month FROM read_parquet('"
                    + trips
                    + "/**/*.parquet', hive_partitioning = true, hive_types_autocast = false)")) {
      while (result.next()) {
        rows.add(
            new Row(
                result.getLong("trip_id"),
                List.of(
                    result.getString("pickup_location"),
                    result.getString("year"),
                    result.getString("month"))));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("DuckDB cannot read the Parquet files below " + trips, e);
    }
    return rows;
  }

  /** Every published dead-letter record, parsed; empty if none yet. */
  List<JsonNode> deadLetters() {
    List<JsonNode> records = new ArrayList<>();
    if (!Files.isDirectory(deadLetters)) {
      return records;
    }
    try (Stream<Path> files = Files.walk(deadLetters)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList()) {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          records.add(JSON.readTree(line));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return records;
  }

  /**
   * Every valid trip exactly once, in its partition folder; every bad event exactly one dead
   * letter, with the reason it must have and an origin that {@code origin} accepts.
   */
  void assertExactlyOnce(Expected expected, Consumer<JsonNode> origin) {
    Map<Long, List<String>> byTripId = new HashMap<>();
    List<Long> duplicates = new ArrayList<>();
    for (Row row : rows()) {
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
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }

    Map<String, String> reasons = new HashMap<>();
    for (JsonNode deadLetter : deadLetters()) {
      String previous =
          reasons.put(deadLetter.path("payload").asText(), deadLetter.path("reason").asText());
      assertThat(previous).as("dead letter written twice: %s", deadLetter).isNull();
      origin.accept(deadLetter);
    }
    assertThat(reasons).as("dead letters by payload").isEqualTo(expected.rejections());
  }

  private static boolean hasFiles(Path folder, String suffix) {
    if (!Files.isDirectory(folder)) {
      return false;
    }
    try (Stream<Path> files = Files.walk(folder)) {
      return files.anyMatch(file -> file.toString().endsWith(suffix));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
