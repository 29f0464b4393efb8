package io.taxietl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taxietl.pipeline.local.RunSummary;
import io.taxietl.testing.LocalElasticsearch;
import io.taxietl.transforms.enrich.ZoneLookup;
import io.taxietl.transforms.metrics.EtlMetrics;
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
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end-to-end checks of the Elasticsearch sink, run by one subclass per server flavour: the real
 * main on embedded Flink with Parquet and Elasticsearch as sinks, over real trips from the bundled
 * sample, read back through Elasticsearch's own HTTP API and DuckDB.
 */
abstract class ElasticsearchSinkContract {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final ZoneLookup ZONES = ZoneLookup.bundled();

  @TempDir Path work;

  /** The server of the subclass, started once for the class. */
  abstract LocalElasticsearch server();

  /** Input lines with the valid trips expected from them, by trip id. */
  record Input(Path file, Map<Long, JsonNode> validTrips, int badLines) {
    Map<String, Long> tripsPerType(String indexPrefix) {
      Map<String, Long> perType = new TreeMap<>();
      validTrips
          .values()
          .forEach(trip -> perType.merge(indexPrefix + trip.get("type").asText(), 1L, Long::sum));
      return perType;
    }
  }

  /**
   * Every {@code step}th event of the bundled sample (yellow and green trips), plus two bad lines.
   */
  static Input sampleInput(Path folder, int step) throws IOException {
    List<String> lines = new ArrayList<>();
    Map<Long, JsonNode> valid = new LinkedHashMap<>();
    try (BufferedReader sample =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(StreamingEtlEndToEndIT.SAMPLE)),
                StandardCharsets.UTF_8))) {
      String line;
      for (int i = 0; (line = sample.readLine()) != null; i++) {
        if (i % step != 0) {
          continue;
        }
        lines.add(line);
        JsonNode event = JSON.readTree(line);
        if (IndependentCheck.rejection(event) == null) {
          valid.put(event.get("trip_id").asLong(), event);
        }
      }
    }
    lines.add(lines.size() / 2, "this is not json");
    lines.add("{\"trip_id\":\"abc\",\"type\":\"yellow\"}");
    Path file = folder.resolve("events-every-" + step + ".jsonl");
    Files.write(file, lines, StandardCharsets.UTF_8);
    return new Input(file, valid, 2);
  }

  record Run(int exitCode, RunSummary summary, String console) {}

  static Run runMain(Path input, Path out, String... extraArgs) {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    StreamingEtlMain main =
        new StreamingEtlMain(new PrintStream(console, true, StandardCharsets.UTF_8), System.err);
    List<String> args =
        new ArrayList<>(
            List.of(
                "--inputPath=" + input,
                "--outputPath=" + out.resolve("trips"),
                "--deadLetterPath=" + out.resolve("dead-letters")));
    args.addAll(List.of(extraArgs));
    int exitCode = main.run(args.toArray(String[]::new));
    String text = console.toString(StandardCharsets.UTF_8);
    System.out.print(text); // into the surefire report of the test
    return new Run(exitCode, main.lastSummary(), text);
  }

  static Map<String, Long> parquetRowsPerType(Path trips) throws Exception {
    Map<String, Long> rows = new TreeMap<>();
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement query = duckdb.createStatement();
        ResultSet result =
            query.executeQuery(
                "SELECT type, count(*) AS n FROM read_parquet('"
                    + trips
                    + "/**/*.parquet', hive_partitioning = true) GROUP BY type")) {
      while (result.next()) {
        rows.put(result.getString("type"), result.getLong("n"));
      }
    }
    return rows;
  }

  /** Dead letters of the run, by stage. */
  static Map<String, Long> deadLettersPerStage(Path folder) throws IOException {
    Map<String, Long> perStage = new TreeMap<>();
    if (!Files.exists(folder)) {
      return perStage;
    }
    for (Path file : TestFiles.filesEndingWith(folder, ".jsonl")) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        perStage.merge(JSON.readTree(line).get("stage").asText(), 1L, Long::sum);
      }
    }
    return perStage;
  }

  @Test
  void sampleTripsBecomeParquetRowsAndOneDocumentPerTripAndAReplayOverwritesThem()
      throws Exception {
    LocalElasticsearch es = server();
    Input input = sampleInput(work, 20);
    String endpoint = "--outputElasticsearchEndpoint=" + es.url();
    String index = "--elasticsearchIndex=e2e-{type}";

    Run first = runMain(input.file(), work.resolve("first"), endpoint, index);
    assertThat(first.exitCode()).as(first.console()).isZero();

    Map<String, Long> expectedPerIndex = input.tripsPerType("e2e-");
    assertThat(expectedPerIndex).containsOnlyKeys("e2e-green", "e2e-yellow");
    assertThat(es.countsPerIndex("e2e-")).isEqualTo(expectedPerIndex);
    Map<String, Long> expectedRows = new TreeMap<>();
    expectedPerIndex.forEach(
        (name, count) -> expectedRows.put(name.substring("e2e-".length()), count));
    assertThat(parquetRowsPerType(work.resolve("first/trips"))).isEqualTo(expectedRows);
    assertThat(deadLettersPerStage(work.resolve("first/dead-letters")))
        .isEqualTo(Map.of("parse", 2L));
    assertThat(first.summary().counter(EtlMetrics.ELASTICSEARCH_DOCUMENTS_INDEXED))
        .isEqualTo(input.validTrips().size());
    assertThat(first.summary().counter(EtlMetrics.ELASTICSEARCH_DOCUMENTS_REJECTED)).isZero();
    assertThat(first.console()).contains("documents indexed");

    // A document fetched by its trip id has the trip's values, timestamps as UTC dates.
    Map<String, JsonNode> firstOfType = new HashMap<>();
    input
        .validTrips()
        .values()
        .forEach(trip -> firstOfType.putIfAbsent(trip.get("type").asText(), trip));
    for (JsonNode trip : firstOfType.values()) {
      String id = trip.get("trip_id").asText();
      JsonNode doc = es.source("e2e-" + trip.get("type").asText(), id).orElseThrow();
      assertSameTrip(doc, trip);
      // Enriched: the zone names of the bundled TLC lookup for both locations.
      int pickup = trip.get("pickup_location_id").asInt();
      int dropoff = trip.get("dropoff_location_id").asInt();
      assertThat(doc.get("pickup_borough").asText()).isEqualTo(ZONES.borough(pickup));
      assertThat(doc.get("pickup_zone").asText()).isEqualTo(ZONES.zone(pickup));
      assertThat(doc.get("dropoff_borough").asText()).isEqualTo(ZONES.borough(dropoff));
      assertThat(doc.get("dropoff_zone").asText()).isEqualTo(ZONES.zone(dropoff));
    }
    JsonNode mapping = JSON.readTree(es.request("GET", "/e2e-yellow/_mapping", null));
    JsonNode properties = mapping.path("e2e-yellow").path("mappings").path("properties");
    assertThat(properties.path("pickup_datetime").path("type").asText()).isEqualTo("date");
    assertThat(properties.path("dropoff_datetime").path("type").asText()).isEqualTo("date");
    // Dynamic mapping: searchable text with a keyword sub-field to aggregate on.
    assertThat(properties.path("pickup_zone").path("type").asText()).isEqualTo("text");
    assertThat(
            properties.path("pickup_borough").path("fields").path("keyword").path("type").asText())
        .isEqualTo("keyword");

    // The same input again: every document is written again, and overwrites its earlier version.
    Run second = runMain(input.file(), work.resolve("second"), endpoint, index);
    assertThat(second.exitCode()).as(second.console()).isZero();
    assertThat(second.summary().counter(EtlMetrics.ELASTICSEARCH_DOCUMENTS_INDEXED))
        .isEqualTo(input.validTrips().size());
    assertThat(es.countsPerIndex("e2e-")).isEqualTo(expectedPerIndex);
    JsonNode yellow = firstOfType.get("yellow");
    JsonNode again =
        JSON.readTree(
            es.request("GET", "/e2e-yellow/_doc/" + yellow.get("trip_id").asText(), null));
    assertThat(again.get("_version").asLong()).isEqualTo(2);
  }

  static void assertSameTrip(JsonNode doc, JsonNode trip) {
    assertThat(doc.get("trip_id").asLong()).isEqualTo(trip.get("trip_id").asLong());
    assertThat(doc.get("type").asText()).isEqualTo(trip.get("type").asText());
    for (String timestamp : List.of("pickup_datetime", "dropoff_datetime")) {
      Instant expected =
          LocalDateTime.parse(trip.get(timestamp).asText()).toInstant(ZoneOffset.UTC);
      assertThat(Instant.parse(doc.get(timestamp).asText())).as(timestamp).isEqualTo(expected);
      assertThat(doc.get(timestamp).asText()).endsWith("Z");
    }
    trip.fields()
        .forEachRemaining(
            field -> {
              String name = field.getKey();
              JsonNode value = field.getValue();
              if (name.endsWith("_datetime") || value.isNull() || value.asText().isEmpty()) {
                return;
              }
              assertThat(doc.has(name)).as("document has %s", name).isTrue();
              if (value.isNumber()) {
                assertThat(doc.get(name).asDouble()).as(name).isEqualTo(value.asDouble());
              } else {
                assertThat(doc.get(name).asText()).as(name).isEqualTo(value.asText());
              }
            });
  }
}
