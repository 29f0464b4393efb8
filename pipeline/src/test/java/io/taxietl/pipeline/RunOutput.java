package io.taxietl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What one run of the pipeline wrote (the Parquet trips and the dead-letter files), read back by
 * readers independent of the pipeline: DuckDB for the trips, Jackson for the dead letters. Compares
 * a run with what its input must become, and with another runner's run of the same input.
 */
public final class RunOutput {
  /** Dead-letter fields that differ between two runs of the same input: when each was written. */
  private static final Set<String> RUN_SPECIFIC_FIELDS = Set.of("failed_at");

  private static final int DIFFERENCES_SHOWN = 5;

  private final String name;
  private final Path trips;
  private final Path deadLetters;

  private RunOutput(String name, Path trips, Path deadLetters) {
    this.name = name;
    this.trips = trips;
    this.deadLetters = deadLetters;
  }

  /** The output of the run called {@code name}, below its trips and dead-letter folders. */
  public static RunOutput of(String name, Path trips, Path deadLetters) {
    return new RunOutput(name, trips, deadLetters);
  }

  public String name() {
    return name;
  }

  /**
   * Checks the output against what {@code input} must become: each valid trip exactly once, in the
   * partition folder of its own pickup place and time, only final Parquet files, and one dead
   * letter per bad line with its reason.
   */
  public void assertIsTheOutputOf(RunnerTestInput input) {
    List<TripOutput.Row> rows = TripOutput.rows(trips);
    assertThat(rows).as("%s: rows", name).hasSize(input.tripIds().size());
    assertThat(TripOutput.countByTripId(rows).keySet())
        .as("%s: trip ids", name)
        .isEqualTo(input.tripIds());
    TripOutput.assertRowsInTheirOwnPartitions(rows);
    TripOutput.assertOnlyParquetFiles(trips);

    Map<Long, String> reasonsByLine = new TreeMap<>();
    for (JsonNode deadLetter : TripOutput.deadLetters(deadLetters)) {
      String previous =
          reasonsByLine.put(
              deadLetter.get("line_number").asLong(), deadLetter.get("reason").asText());
      assertThat(previous).as("%s: dead letter written twice: %s", name, deadLetter).isNull();
      assertThat(deadLetter.get("file").asText())
          .as("%s: dead letter's file", name)
          .endsWith(input.file().getFileName().toString());
    }
    assertThat(reasonsByLine)
        .as("%s: dead-letter reasons by line", name)
        .isEqualTo(input.rejectionsByLine());
  }

  /**
   * Checks that this run wrote what {@code reference} wrote: the same Parquet schema, the same rows
   * with every column (partition columns included), the same partition folders, and the same dead
   * letters field by field (except when each was written).
   */
  public void assertSameAs(RunOutput reference) {
    assertSameTripsAs(reference);
    assertThat(deadLetterRecords())
        .as("%s vs %s: dead letters (all fields but %s)", name, reference.name, RUN_SPECIFIC_FIELDS)
        .isEqualTo(reference.deadLetterRecords());
  }

  /**
   * Checks that this run wrote the trips that {@code reference} wrote: the same Parquet schema, the
   * same rows with every column (partition columns included) and the same partition folders. Trip
   * rows come from the payload alone, so a run of the same events from another source must match
   * too.
   */
  public void assertSameTripsAs(RunOutput reference) {
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = duckdb.createStatement()) {
      sql.execute("CREATE VIEW this_run AS " + readTrips(trips));
      sql.execute("CREATE VIEW reference AS " + readTrips(reference.trips));
      assertThat(schema(sql, "this_run"))
          .as("%s vs %s: Parquet columns and types", name, reference.name)
          .isEqualTo(schema(sql, "reference"));
      assertThat(count(sql, "SELECT count(*) FROM this_run"))
          .as("%s vs %s: rows", name, reference.name)
          .isEqualTo(count(sql, "SELECT count(*) FROM reference"));
      assertThat(differences(sql, "this_run", "reference"))
          .as("%s: rows that %s did not write (all columns)", name, reference.name)
          .isEmpty();
      assertThat(differences(sql, "reference", "this_run"))
          .as("%s: rows of %s that this run did not write (all columns)", name, reference.name)
          .isEmpty();
    } catch (SQLException e) {
      throw new IllegalStateException(
          "DuckDB could not compare " + trips + " with " + reference.trips, e);
    }
    assertThat(partitionFolders())
        .as("%s vs %s: partition folders", name, reference.name)
        .isEqualTo(reference.partitionFolders());
  }

  /** How many rows are committed below the trips folder so far. */
  public int rowCount() {
    return TripOutput.tripIds(trips).size();
  }

  /**
   * Each dead letter's reason and kept payload ({@code payload}, or {@code payload_base64} if not
   * UTF-8), with how often.
   */
  public Map<String, Integer> deadLetterReasonsAndPayloads() {
    Map<String, Integer> found = new HashMap<>();
    for (JsonNode deadLetter : TripOutput.deadLetters(deadLetters)) {
      String payload =
          deadLetter.has("payload")
              ? deadLetter.get("payload").asText()
              : "base64:" + deadLetter.get("payload_base64").asText();
      found.merge(deadLetter.get("reason").asText() + " " + payload, 1, Integer::sum);
    }
    return found;
  }

  /** The folders (relative to the trips folder) that hold Parquet files. */
  public Set<String> partitionFolders() {
    return TestFiles.parquetFiles(trips).stream()
        .map(file -> trips.relativize(file.getParent()).toString())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * Each dead letter as canonical JSON without its run-specific fields, with how often it occurs.
   */
  private Map<String, Integer> deadLetterRecords() {
    Map<String, Integer> records = new HashMap<>();
    for (JsonNode deadLetter : TripOutput.deadLetters(deadLetters)) {
      ObjectNode fields = ((ObjectNode) deadLetter).deepCopy();
      fields.remove(RUN_SPECIFIC_FIELDS);
      records.merge(fields.toString(), 1, Integer::sum);
    }
    return records;
  }

  private static String readTrips(Path folder) {
    return "SELECT * FROM read_parquet('"
        + folder
        + "/**/*.parquet', hive_partitioning = true, hive_types_autocast = false)";
  }

  private static List<String> schema(Statement sql, String view) throws SQLException {
    List<String> columns = new ArrayList<>();
    try (ResultSet result = sql.executeQuery("DESCRIBE " + view)) {
      while (result.next()) {
        columns.add(result.getString("column_name") + " " + result.getString("column_type"));
      }
    }
    return columns;
  }

  private static long count(Statement sql, String query) throws SQLException {
    try (ResultSet result = sql.executeQuery(query)) {
      result.next();
      return result.getLong(1);
    }
  }

  /**
   * Up to a few rows of {@code left} that {@code right} lacks (as many times as they occur), as
   * text.
   */
  private static List<String> differences(Statement sql, String left, String right)
      throws SQLException {
    List<String> rows = new ArrayList<>();
    try (ResultSet result =
        sql.executeQuery(
            "SELECT * FROM (SELECT * FROM "
                + left
                + " EXCEPT ALL SELECT * FROM "
                + right
                + ") LIMIT "
                + DIFFERENCES_SHOWN)) {
      int columns = result.getMetaData().getColumnCount();
      while (result.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= columns; i++) {
          row.append(i == 1 ? "" : ", ")
              .append(result.getMetaData().getColumnName(i))
              .append('=')
              .append(result.getString(i));
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }
}
