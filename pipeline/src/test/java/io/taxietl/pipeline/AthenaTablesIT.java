package io.taxietl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taxietl.avro.EventSource;
import io.taxietl.avro.FailedEvent;
import io.taxietl.avro.PreviousFailure;
import io.taxietl.pipeline.local.RunSummary;
import io.taxietl.testing.ScriptedServer;
import io.taxietl.transforms.metrics.EtlMetrics;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tables and queries of docs/athena.md, read from the page itself, against what the real job
 * wrote: the real pipeline on embedded Flink over 6,400 real TLC trips, a bad event of each reason,
 * a redriven payload that is still bad, and a zone lookup of the test's own that lacks two
 * locations. DuckDB stands in for Athena: the tables become views over {@code read_parquet} (with
 * the partitions as strings) and {@code read_json} (with the table's columns), and the page's
 * queries run on them unchanged.
 */
class AthenaTablesIT {
  private static final Path PAGE = ScriptedServer.repoRoot().resolve("docs/athena.md");
  private static final String BUNDLED_LOOKUP =
      "/io/taxietl/transforms/enrich/taxi_zone_lookup.csv.gz";
  private static final Pattern SQL_BLOCK = Pattern.compile("```sql\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern COLUMN = Pattern.compile("^\\s*(`?)(\\w+)\\1\\s+(.+?),?\\s*$");
  private static final Pattern PROPERTY = Pattern.compile("'([^']+)'\\s*=\\s*'([^']*)'");
  private static final Pattern LOCATION = Pattern.compile("LOCATION '([^']+)'");
  private static final Pattern PARTITIONED_BY = Pattern.compile("PARTITIONED BY \\(([^)]*)\\)");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(\\w+)}");
  private static final Map<String, String> DUCKDB_TYPES =
      Map.of(
          "int", "INTEGER",
          "bigint", "BIGINT",
          "double", "DOUBLE",
          "string", "VARCHAR",
          "timestamp", "TIMESTAMP WITH TIME ZONE");

  /** The reasons of the parse stage (docs/dead-letters.md); the others are validate's. */
  private static final Set<String> PARSE_REASONS =
      Set.of("MALFORMED_JSON", "MISSING_FIELD", "INVALID_FIELD");

  @TempDir Path work;

  @Test
  void theTablesAndQueriesOfThePageReadWhatTheJobWrote() throws Exception {
    List<String> blocks = sqlBlocks();
    assertThat(blocks).as("the SQL blocks of %s", PAGE).hasSize(6);
    String tripsTable = blocks.get(0);
    String tripsQuery = blocks.get(1);
    String deadLetterTable = blocks.get(2);
    String deadLetterQuery = blocks.get(3);
    String toRedriveQuery = blocks.get(4);
    String historyQuery = blocks.get(5);
    assertThat(tripsTable).startsWith("CREATE EXTERNAL TABLE taxi_trips (");
    assertThat(deadLetterTable).startsWith("CREATE EXTERNAL TABLE taxi_dead_letters (");

    // The input: real trips, a bad event of each reason and a redriven payload still bad.
    List<TestEvents.Event> bad = new ArrayList<>(TestEvents.badTextEvents("athena"));
    bad.add(redrivenStillBad());
    List<TestEvents.Event> events = TestEvents.mix(TestEvents.realTrips(work), bad);
    Path input = TestEvents.writeLines(work, "events", events);
    List<JsonNode> validTrips = new ArrayList<>();
    for (TestEvents.Event event : events) {
      if (event.expectedReason() == null && !event.text().contains("\"watermark\"")) {
        validTrips.add(TripOutput.JSON.readTree(event.payload()));
      }
    }

    // A zone lookup without the two commonest pickup locations of March 2019.
    Map<Integer, String[]> zones = new TreeMap<>();
    List<String> lookupLines = bundledLookup(zones);
    Set<Integer> missing = commonestPickupsOfMarch2019(validTrips, 2);
    missing.forEach(zones::remove);
    Path lookup = work.resolve("partial_zone_lookup.csv");
    Files.write(
        lookup,
        lookupLines.stream()
            .filter(line -> !missing.contains(locationId(line)))
            .collect(Collectors.toList()),
        StandardCharsets.UTF_8);

    Path trips = work.resolve("lake/trips");
    Path deadLetters = work.resolve("lake/dead-letters");
    RunSummary summary = runJob(input, trips, deadLetters, lookup);
    long misses =
        validTrips.stream()
            .mapToLong(
                trip ->
                    (missing.contains(trip.get("pickup_location_id").asInt()) ? 1 : 0)
                        + (missing.contains(trip.get("dropoff_location_id").asInt()) ? 1 : 0))
            .sum();
    assertThat(misses).isGreaterThan(100);
    assertThat(summary.counters().get(EtlMetrics.ZONE_LOOKUP_MISSES)).isEqualTo(misses);

    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = duckdb.createStatement()) {
      checkTripsTable(sql, tripsTable, trips);
      checkZoneNames(sql, lookup, missing, validTrips.size());
      assertThat(rows(sql, tripsQuery))
          .as("the trips query of the page")
          .hasSameSizeAs(expectedRevenueByBorough(validTrips, zones))
          .zipSatisfy(
              expectedRevenueByBorough(validTrips, zones),
              (found, expected) -> {
                assertThat(found.subList(0, 2)).isEqualTo(expected.subList(0, 2));
                assertThat(((Number) found.get(2)).doubleValue())
                    .isCloseTo(((BigDecimal) expected.get(2)).doubleValue(), within(0.011));
              });

      checkDeadLetterTable(sql, deadLetterTable, deadLetters);
      assertThat(rows(sql, deadLetterQuery))
          .as("the dead-letter query of the page")
          .isEqualTo(expectedDeadLettersByStageAndReason(events));

      Map<String, Long> notRedriven = new TreeMap<>();
      for (TestEvents.Event event : events) {
        if (event.expectedReason() != null && !event.text().startsWith("{\"redrive\":")) {
          notRedriven.merge(event.expectedReason(), 1L, Long::sum);
        }
      }
      List<List<Object>> toRedrive = rows(sql, toRedriveQuery);
      assertThat(toRedrive.stream().collect(Collectors.toMap(row -> row.get(0), row -> row.get(1))))
          .as("the page's query of what to redrive: dead letters by reason, not redriven ones")
          .isEqualTo(notRedriven);
      for (List<Object> row : toRedrive) {
        assertThat(row.get(2).toString()).as("first failure").matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(row.get(2).toString()).isLessThanOrEqualTo(row.get(3).toString());
      }

      assertThat(rows(sql, historyQuery))
          .as("the page's query of redrive history")
          .containsExactly(
              List.of(1, "MISSING_FIELD", "MISSING_FIELD", "2026-12-01T10:15:30.123Z"));
    }
  }

  /** Runs the real main on embedded Flink, as a user does; returns its summary. */
  private static RunSummary runJob(Path input, Path trips, Path deadLetters, Path lookup) {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    StreamingEtlMain main =
        new StreamingEtlMain(new PrintStream(console, true, StandardCharsets.UTF_8), System.err);
    int exitCode =
        main.run(
            new String[] {
              "--inputPath=" + input,
              "--outputPath=" + trips,
              "--deadLetterPath=" + deadLetters,
              "--zoneLookupPath=" + lookup
            });
    assertThat(exitCode).as(console.toString(StandardCharsets.UTF_8)).isZero();
    return main.lastSummary();
  }

  /** The {@code count} pickup locations with the most valid trips in March 2019. */
  private static Set<Integer> commonestPickupsOfMarch2019(List<JsonNode> validTrips, int count) {
    return validTrips.stream()
        .filter(AthenaTablesIT::inMarch2019)
        .collect(
            Collectors.groupingBy(
                trip -> trip.get("pickup_location_id").asInt(), Collectors.counting()))
        .entrySet()
        .stream()
        .sorted(Map.Entry.<Integer, Long>comparingByValue().reversed())
        .limit(count)
        .map(Map.Entry::getKey)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * The rows the page's dead-letter query must give: (stage, reason, count) of the bad events, by
   * stage and reason.
   */
  private static List<List<Object>> expectedDeadLettersByStageAndReason(
      List<TestEvents.Event> events) {
    Map<String, Map<String, Long>> byStageAndReason = new TreeMap<>();
    for (TestEvents.Event event : events) {
      String reason = event.expectedReason();
      if (reason != null) {
        String stage = PARSE_REASONS.contains(reason) ? "parse" : "validate";
        byStageAndReason.computeIfAbsent(stage, s -> new TreeMap<>()).merge(reason, 1L, Long::sum);
      }
    }
    List<List<Object>> rows = new ArrayList<>();
    byStageAndReason.forEach(
        (stage, reasons) ->
            reasons.forEach((reason, count) -> rows.add(List.of(stage, reason, count))));
    return rows;
  }

  /**
   * The trips table: its columns, in order and by type, are the Parquet columns; its partition
   * columns are the folder names, and every folder of the output is a value of the projection.
   */
  private static void checkTripsTable(Statement sql, String table, Path trips) throws SQLException {
    Map<String, String> columns = columns(table);
    List<String> parquet = new ArrayList<>();
    try (ResultSet result =
        sql.executeQuery(
            "DESCRIBE SELECT * FROM read_parquet('"
                + trips
                + "/**/*.parquet', hive_partitioning = false)")) {
      while (result.next()) {
        parquet.add(result.getString("column_name") + " " + result.getString("column_type"));
      }
    }
    List<String> declared = new ArrayList<>();
    columns.forEach((name, type) -> declared.add(name + " " + duckdbType(type)));
    assertThat(declared).as("the trips table's columns and the Parquet schema").isEqualTo(parquet);

    Matcher partitionedBy = PARTITIONED_BY.matcher(table);
    assertThat(partitionedBy.find()).as("PARTITIONED BY in %s", table).isTrue();
    Map<String, String> partitions = columns(partitionedBy.group(1).replace(", ", ",\n"));
    assertThat(partitions).containsOnlyKeys("pickup_location", "year", "month");
    assertThat(partitions.values()).containsOnly("string");

    Map<String, String> properties = new HashMap<>();
    Matcher property = PROPERTY.matcher(table.substring(table.indexOf("TBLPROPERTIES")));
    while (property.find()) {
      properties.put(property.group(1), property.group(2));
    }
    Matcher location = LOCATION.matcher(table);
    assertThat(location.find()).isTrue();
    String template = properties.get("storage.location.template");
    assertThat(template).startsWith(location.group(1));
    String folders = template.substring(location.group(1).length());
    List<String> order = new ArrayList<>();
    Matcher placeholder = PLACEHOLDER.matcher(folders);
    StringBuilder regex = new StringBuilder();
    int end = 0;
    while (placeholder.find()) {
      regex.append(Pattern.quote(folders.substring(end, placeholder.start()))).append("([^/]+)");
      order.add(placeholder.group(1));
      end = placeholder.end();
    }
    regex.append(Pattern.quote(folders.substring(end)));
    assertThat(order)
        .as("the location template's partitions")
        .isEqualTo(List.copyOf(partitions.keySet()));
    Pattern folder = Pattern.compile(regex.toString());

    Set<String> written = RunOutput.of("athena", trips, trips).partitionFolders();
    assertThat(written).hasSizeGreaterThan(100);
    for (String path : written) {
      Matcher values = folder.matcher(path);
      assertThat(values.matches()).as("%s under the template %s", path, template).isTrue();
      for (int i = 0; i < order.size(); i++) {
        String name = order.get(i);
        String value = values.group(i + 1);
        assertThat(properties.get("projection." + name + ".type")).isEqualTo("integer");
        String[] range = properties.get("projection." + name + ".range").split(",");
        int digits = Integer.parseInt(properties.get("projection." + name + ".digits"));
        assertThat(value).as("%s in %s", name, path).hasSize(digits).containsOnlyDigits();
        assertThat(Integer.parseInt(value))
            .as("%s in %s: in the projection's range", name, path)
            .isBetween(Integer.parseInt(range[0]), Integer.parseInt(range[1]));
      }
    }
    sql.execute(
        "CREATE VIEW taxi_trips AS SELECT "
            + String.join(", ", columns.keySet())
            + ", "
            + String.join(", ", partitions.keySet())
            + " FROM read_parquet('"
            + trips
            + "/**/*.parquet', hive_partitioning = true, hive_types_autocast = false)");
  }

  /**
   * Every row's zone names are those of the test's lookup (joined by DuckDB, which reads the CSV
   * itself), and the locations it lacks have null names.
   */
  private static void checkZoneNames(
      Statement sql, Path lookup, Set<Integer> missing, int validTrips) throws SQLException {
    assertThat(rows(sql, "SELECT count(*) FROM taxi_trips"))
        .containsExactly(List.of((long) validTrips));
    for (String end : List.of("pickup", "dropoff")) {
      assertThat(
              rows(
                  sql,
                  "SELECT count(*) FROM taxi_trips t LEFT JOIN read_csv('"
                      + lookup
                      + "', header = true) z ON t."
                      + end
                      + "_location_id = z.LocationID WHERE t."
                      + end
                      + "_borough IS DISTINCT FROM z.Borough OR t."
                      + end
                      + "_zone IS DISTINCT FROM z.Zone"))
          .as("%s names that are not the lookup's", end)
          .containsExactly(List.of(0L));
      assertThat(
              rows(
                  sql,
                  "SELECT DISTINCT "
                      + end
                      + "_location_id FROM taxi_trips WHERE "
                      + end
                      + "_zone IS NULL ORDER BY 1"))
          .as("%s locations without names", end)
          .containsExactlyElementsOf(
              missing.stream().map(id -> List.<Object>of(id)).collect(Collectors.toList()));
    }
  }

  /**
   * The dead-letter table: its columns are every field the record can have, every key written is
   * one of them, and DuckDB reads every file with them.
   */
  private static void checkDeadLetterTable(Statement sql, String table, Path deadLetters)
      throws SQLException {
    Map<String, String> columns = columns(table);
    List<String> fields = new ArrayList<>();
    for (String field : names(FailedEvent.getClassSchema())) {
      if (field.equals("origin")) {
        fields.addAll(names(EventSource.getClassSchema()));
      } else {
        fields.add(field);
      }
    }
    assertThat(List.copyOf(columns.keySet()))
        .as("the dead-letter table's columns: FailedEvent's fields, its origin flattened")
        .isEqualTo(fields);
    List<String> history = new ArrayList<>();
    for (String field : names(PreviousFailure.getClassSchema())) {
      history.add(
          field.equals("origin")
              ? names(EventSource.getClassSchema()).stream()
                  .map(name -> quoted(name) + ":" + columns.get(name))
                  .collect(Collectors.joining(",", "origin:struct<", ">"))
              : field + ":string");
    }
    assertThat(columns.get("previous_failures"))
        .as("previous_failures: the fields of PreviousFailure, its origin those of EventSource")
        .isEqualTo("array<struct<" + String.join(",", history) + ">>");

    List<JsonNode> written = TripOutput.deadLetters(deadLetters);
    assertThat(written).isNotEmpty();
    for (JsonNode deadLetter : written) {
      for (Iterator<String> keys = deadLetter.fieldNames(); keys.hasNext(); ) {
        assertThat(columns).as("a column for a key of %s", deadLetter).containsKey(keys.next());
      }
    }

    String readColumns =
        columns.entrySet().stream()
            .map(column -> "'" + column.getKey() + "': '" + duckdbType(column.getValue()) + "'")
            .collect(Collectors.joining(", ", "{", "}"));
    sql.execute(
        "CREATE VIEW taxi_dead_letters AS SELECT * FROM read_json('"
            + deadLetters
            + "/**/*.jsonl', format = 'newline_delimited', columns = "
            + readColumns
            + ")");
    assertThat(rows(sql, "SELECT count(*) FROM taxi_dead_letters"))
        .containsExactly(List.of((long) written.size()));
  }

  private static String quoted(String name) {
    return name.equals("partition") || name.equals("offset") ? "`" + name + "`" : name;
  }

  private static List<String> names(Schema record) {
    return record.getFields().stream().map(Schema.Field::name).collect(Collectors.toList());
  }

  /**
   * Each borough's trips and revenue in March 2019 (pickup in UTC), computed from the input events
   * and the test's lookup: the rows the page's trips query must give, in its order.
   */
  private static List<List<Object>> expectedRevenueByBorough(
      List<JsonNode> validTrips, Map<Integer, String[]> zones) {
    Map<String, Long> trips = new HashMap<>();
    Map<String, BigDecimal> revenue = new HashMap<>();
    for (JsonNode trip : validTrips) {
      if (!inMarch2019(trip)) {
        continue;
      }
      String[] zone = zones.get(trip.get("pickup_location_id").asInt());
      String borough = zone == null ? null : zone[0];
      trips.merge(borough, 1L, Long::sum);
      revenue.merge(borough, trip.get("total_amount").decimalValue(), BigDecimal::add);
    }
    List<List<Object>> rows = new ArrayList<>();
    trips.forEach(
        (borough, count) -> {
          List<Object> row = new ArrayList<>();
          row.add(borough);
          row.add(count);
          row.add(revenue.get(borough));
          rows.add(row);
        });
    rows.sort(
        Comparator.comparing((List<Object> row) -> (Long) row.get(1))
            .reversed()
            .thenComparing(
                row -> (String) row.get(0), Comparator.nullsLast(Comparator.naturalOrder())));
    return rows;
  }

  private static boolean inMarch2019(JsonNode trip) {
    return trip.get("pickup_datetime").asText().startsWith("2019-03");
  }

  /**
   * The lines of the bundled zone lookup (header first); fills {@code zones} with each location's
   * borough and zone, read with a parser of the test's own.
   */
  private static List<String> bundledLookup(Map<Integer, String[]> zones) throws IOException {
    List<String> lines = new ArrayList<>();
    try (InputStream gzip = AthenaTablesIT.class.getResourceAsStream(BUNDLED_LOOKUP)) {
      assertThat(gzip).as(BUNDLED_LOOKUP).isNotNull();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(new GZIPInputStream(gzip), StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lines.add(line);
        if (!lines.get(0).equals(line)) {
          String[] fields = line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)");
          zones.put(
              Integer.parseInt(fields[0]),
              new String[] {fields[1].replace("\"", ""), fields[2].replace("\"", "")});
        }
      }
    }
    assertThat(zones).hasSize(265);
    return lines;
  }

  /** The location id of a line of the lookup; 0 for its header. */
  private static int locationId(String lookupLine) {
    String id = lookupLine.substring(0, Math.max(0, lookupLine.indexOf(',')));
    return id.matches("\\d+") ? Integer.parseInt(id) : 0;
  }

  /**
   * A payload without a pickup location, as {@code replay redrive} sends it back after a first
   * failure: it fails again, and its dead letter carries that history.
   */
  private static TestEvents.Event redrivenStillBad() {
    ObjectNode envelope = TripOutput.JSON.createObjectNode();
    ObjectNode redrive = envelope.putObject("redrive");
    redrive.put("count", 1);
    ObjectNode failure = redrive.putArray("previous_failures").addObject();
    failure.put("stage", "parse");
    failure.put("reason", "MISSING_FIELD");
    failure.put("error_message", "pickup_location_id is missing");
    failure.put("failed_at", "2026-12-01T10:15:30.123Z");
    failure
        .putObject("origin")
        .put("source", "file")
        .put("file", "old.jsonl")
        .put("line_number", 7);
    envelope.put(
        "payload",
        "{\"trip_id\":990000001,\"type\":\"yellow\",\"pickup_datetime\":\"2019-03-01T00:00:00\","
            + "\"dropoff_datetime\":\"2019-03-01T00:10:00\",\"dropoff_location_id\":1}");
    return new TestEvents.Event(
        envelope.toString().getBytes(StandardCharsets.UTF_8), "MISSING_FIELD");
  }

  /** The SQL blocks of the page, in order, each without its closing line break. */
  private static List<String> sqlBlocks() throws IOException {
    List<String> blocks = new ArrayList<>();
    Matcher block = SQL_BLOCK.matcher(Files.readString(PAGE));
    while (block.find()) {
      blocks.add(block.group(1).strip());
    }
    return blocks;
  }

  /** The columns a {@code CREATE TABLE} (or a column list) declares: name to Athena type. */
  private static Map<String, String> columns(String ddl) {
    String list = ddl.contains("(\n") ? ddl.substring(ddl.indexOf("(\n") + 2) : ddl;
    Map<String, String> columns = new LinkedHashMap<>();
    for (String line : list.split("\n")) {
      if (line.startsWith(")")) {
        break;
      }
      Matcher column = COLUMN.matcher(line);
      assertThat(column.matches()).as("a column: '%s'", line).isTrue();
      columns.put(column.group(2), column.group(3));
    }
    return columns;
  }

  /** An Athena (Hive) column type as DuckDB spells it. */
  static String duckdbType(String athena) {
    if (athena.startsWith("array<")) {
      return duckdbType(athena.substring("array<".length(), athena.length() - 1)) + "[]";
    }
    if (athena.startsWith("struct<")) {
      List<String> fields = new ArrayList<>();
      for (String field : topLevel(athena.substring("struct<".length(), athena.length() - 1))) {
        int colon = field.indexOf(':');
        fields.add(
            "\""
                + field.substring(0, colon).replace("`", "")
                + "\" "
                + duckdbType(field.substring(colon + 1)));
      }
      return "STRUCT(" + String.join(", ", fields) + ")";
    }
    return Objects.requireNonNull(DUCKDB_TYPES.get(athena), () -> "no DuckDB type for " + athena);
  }

  /** {@code text} split at the commas outside angle brackets. */
  private static List<String> topLevel(String text) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '<') {
        depth++;
      } else if (c == '>') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(text.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(text.substring(start));
    return parts;
  }

  /** Every row of {@code query}, each as its column values. */
  private static List<List<Object>> rows(Statement sql, String query) throws SQLException {
    List<List<Object>> rows = new ArrayList<>();
    try (ResultSet result = sql.executeQuery(query)) {
      int columns = result.getMetaData().getColumnCount();
      while (result.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
          row.add(result.getObject(i));
        }
        rows.add(row);
      }
    }
    return rows;
  }
}
