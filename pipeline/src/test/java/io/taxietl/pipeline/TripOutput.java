package io.taxietl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads what a run wrote, with readers independent of the pipeline: DuckDB for the Parquet trips
 * (with {@code hive_partitioning}), Jackson for the dead-letter lines.
 */
public final class TripOutput {
  static final ObjectMapper JSON = new ObjectMapper();

  private TripOutput() {}

  /** A Parquet row: its trip id, pickup and the partition folder values it was found in. */
  public record Row(
      long tripId,
      long pickupMillis,
      int pickupLocationId,
      String pickupLocation,
      String year,
      String month) {}

  /** Every committed row below {@code trips}; empty when there is no file yet. */
  public static List<Row> rows(Path trips) {
    if (TestFiles.parquetFiles(trips).isEmpty()) {
      return List.of();
    }
    List<Row> rows = new ArrayList<>();
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement query = duckdb.createStatement();
        ResultSet result =
            query.executeQuery(
                "SELECT trip_id, epoch_ms(pickup_datetime) AS pickup_millis, pickup_location_id, "
                    + "pickup_location, year, month FROM read_parquet('"
                    + trips
                    + "/**/*.parquet', hive_partitioning = true, hive_types_autocast = false)")) {
      while (result.next()) {
        rows.add(
            new Row(
                result.getLong("trip_id"),
                result.getLong("pickup_millis"),
                result.getInt("pickup_location_id"),
                result.getString("pickup_location"),
                result.getString("year"),
                result.getString("month")));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("DuckDB could not read " + trips, e);
    }
    return rows;
  }

  /**
   * The trip id of every committed row below {@code trips}, whatever the partition layout; empty
   * when none.
   */
  public static List<Long> tripIds(Path trips) {
    if (TestFiles.parquetFiles(trips).isEmpty()) {
      return List.of();
    }
    List<Long> ids = new ArrayList<>();
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement query = duckdb.createStatement();
        ResultSet result =
            query.executeQuery(
                "SELECT trip_id FROM read_parquet('"
                    + trips
                    + "/**/*.parquet', hive_partitioning = false)")) {
      while (result.next()) {
        ids.add(result.getLong(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("DuckDB could not read " + trips, e);
    }
    return ids;
  }

  /** Counts the trip ids: any id with a count above 1 is a duplicate. */
  static Map<Long, Integer> countTripIds(List<Long> ids) {
    Map<Long, Integer> counts = new HashMap<>();
    ids.forEach(id -> counts.merge(id, 1, Integer::sum));
    return counts;
  }

  /** Checks that every row sits in the folder its own pickup location and UTC pickup time name. */
  static void assertRowsInTheirOwnPartitions(List<Row> rows) {
    for (Row row : rows) {
      ZonedDateTime pickup = Instant.ofEpochMilli(row.pickupMillis()).atZone(ZoneOffset.UTC);
      assertThat(row.pickupLocation())
          .as("trip %d", row.tripId())
          .isEqualTo(String.format("%03d", row.pickupLocationId()));
      assertThat(row.year())
          .as("trip %d", row.tripId())
          .isEqualTo(String.format("%04d", pickup.getYear()));
      assertThat(row.month())
          .as("trip %d", row.tripId())
          .isEqualTo(String.format("%02d", pickup.getMonthValue()));
    }
  }

  /** Every dead-letter record below {@code folder}, parsed. */
  public static List<JsonNode> deadLetters(Path folder) {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    List<JsonNode> records = new ArrayList<>();
    for (Path file : TestFiles.filesEndingWith(folder, ".jsonl")) {
      try {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          records.add(JSON.readTree(line));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return records;
  }

  /** Counts the trip ids: any id with a count above 1 is a duplicate. */
  static Map<Long, Integer> countByTripId(List<Row> rows) {
    Map<Long, Integer> counts = new HashMap<>();
    rows.forEach(row -> counts.merge(row.tripId(), 1, Integer::sum));
    return counts;
  }

  /** Committed files are final: nothing but Parquet files below the folder. */
  public static void assertOnlyParquetFiles(Path folder) {
    try (Stream<Path> files = Files.walk(folder)) {
      assertThat(
              files
                  .filter(Files::isRegularFile)
                  .filter(f -> !f.getFileName().toString().endsWith(".parquet")))
          .isEmpty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
