package io.taxietl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taxietl.pipeline.local.RunSummary;
import io.taxietl.transforms.metrics.EtlMetrics;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real main on embedded Flink over real trips with injected bad lines, then reads the
 * output back with an independent reader (DuckDB) and checks rows, partition folders and dead
 * letters.
 */
class StreamingEtlEndToEndIT {
  static final Path SAMPLE = Path.of("src/main/resources/sample/taxi-trips-sample.jsonl.gz");
  private static final int REAL_EVENTS = 4000;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path work;

  /**
   * One line of the input file and the reason it must be rejected for, or null for a valid trip.
   */
  private record Line(byte[] bytes, String expectedReason) {}

  @Test
  void realTripsBecomePartitionedParquetAndBadLinesBecomeDeadLetters() throws Exception {
    List<Line> lines = input();
    Path inputFile = work.resolve("events.jsonl");
    try (OutputStream out = Files.newOutputStream(inputFile)) {
      for (Line line : lines) {
        out.write(line.bytes());
        out.write('\n');
      }
    }
    Path trips = work.resolve("out/trips");
    Path deadLetters = work.resolve("out/dead-letters");

    ByteArrayOutputStream console = new ByteArrayOutputStream();
    StreamingEtlMain main =
        new StreamingEtlMain(new PrintStream(console, true, StandardCharsets.UTF_8), System.err);
    int exitCode =
        main.run(
            new String[] {
              "--inputPath=" + inputFile, "--outputPath=" + trips, "--deadLetterPath=" + deadLetters
            });
    assertThat(exitCode).as(console.toString(StandardCharsets.UTF_8)).isZero();

    Map<Long, Long> expectedTrips = new HashMap<>();
    Map<Long, String> expectedRejections = new TreeMap<>();
    long events = 0;
    long watermarks = 0;
    for (int i = 0; i < lines.size(); i++) {
      Line line = lines.get(i);
      String text = new String(line.bytes(), StandardCharsets.UTF_8);
      if (text.isBlank()) {
        continue;
      }
      events++;
      if (text.contains("\"watermark\"")) {
        watermarks++;
      } else if (line.expectedReason() == null) {
        JsonNode trip = JSON.readTree(text);
        expectedTrips.put(trip.get("trip_id").asLong(), (long) i + 1);
      } else {
        expectedRejections.put((long) i + 1, line.expectedReason());
      }
    }

    List<TripOutput.Row> rows = TripOutput.rows(trips);
    assertThat(rows).hasSize(expectedTrips.size());
    assertThat(TripOutput.countByTripId(rows))
        .allSatisfy((tripId, count) -> assertThat(count).isOne());
    assertThat(TripOutput.countByTripId(rows).keySet()).isEqualTo(expectedTrips.keySet());
    TripOutput.assertRowsInTheirOwnPartitions(rows);
    assertThat(rows).anySatisfy(row -> assertThat(row.year()).isEqualTo("2008"));

    Map<Long, JsonNode> deadLettersByLine = readDeadLetters(deadLetters);
    assertThat(deadLettersByLine).containsOnlyKeys(expectedRejections.keySet());
    expectedRejections.forEach(
        (lineNumber, reason) -> {
          JsonNode deadLetter = deadLettersByLine.get(lineNumber);
          assertThat(deadLetter.get("reason").asText()).as("line %d", lineNumber).isEqualTo(reason);
          assertThat(deadLetter.get("source").asText()).isEqualTo("file");
          assertThat(deadLetter.get("file").asText()).endsWith("events.jsonl");
          assertThat(deadLetter.get("error_message").asText()).isNotBlank();
          assertThat(Instant.parse(deadLetter.get("failed_at").asText())).isBefore(Instant.now());
          byte[] original = lines.get((int) (lineNumber - 1)).bytes();
          byte[] kept =
              deadLetter.has("payload")
                  ? deadLetter.get("payload").asText().getBytes(StandardCharsets.UTF_8)
                  : Base64.getDecoder().decode(deadLetter.get("payload_base64").asText());
          assertThat(kept).isEqualTo(original);
        });

    TripOutput.assertOnlyParquetFiles(trips);
    assertThat(TestFiles.filesEndingWith(work.resolve("out/.trips-staging"), ".parquet"))
        .as("staged files that were never published")
        .isEmpty();
    RunSummary summary = main.lastSummary();
    assertThat(summary.counter(EtlMetrics.EVENTS_READ)).isEqualTo(events);
    assertThat(summary.counter(EtlMetrics.PARQUET_ROWS_WRITTEN)).isEqualTo(expectedTrips.size());
    assertThat(summary.counter(EtlMetrics.DEAD_LETTERS)).isEqualTo(expectedRejections.size());
    assertThat(summary.counter(EtlMetrics.WATERMARK_EVENTS_SKIPPED)).isEqualTo(watermarks);
    assertThat(summary.counter(EtlMetrics.PARQUET_FILES_WRITTEN))
        .isEqualTo(TestFiles.parquetFiles(trips).size());
    assertThat(console.toString(StandardCharsets.UTF_8)).contains("Summary", "events per second");
  }

  /** The first real events of the bundled sample, with bad lines of every kind mixed in. */
  private static List<Line> input() throws IOException {
    List<Line> lines = new ArrayList<>();
    try (BufferedReader sample =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(SAMPLE)), StandardCharsets.UTF_8))) {
      String text;
      while (lines.size() < REAL_EVENTS && (text = sample.readLine()) != null) {
        lines.add(
            new Line(
                text.getBytes(StandardCharsets.UTF_8),
                IndependentCheck.rejection(JSON.readTree(text))));
      }
    }
    List<Line> bad =
        List.of(
            line("this is not json", "MALFORMED_JSON"),
            line("[1,2,3]", "MALFORMED_JSON"),
            new Line(
                new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'},
                "MALFORMED_JSON"),
            line(
                "{\"trip_id\":1,\"type\":\"yellow\",\"pickup_datetime\":\"2019-08-01T00:00:00\","
                    + "\"dropoff_datetime\":\"2019-08-01T00:10:00\",\"dropoff_location_id\":1}",
                "MISSING_FIELD"),
            line(
                "{\"trip_id\":\"abc\",\"type\":\"yellow\",\"pickup_datetime\":\"2019-08-01T00:00:00\","
                    + "\"dropoff_datetime\":\"2019-08-01T00:10:00\",\"pickup_location_id\":1,"
                    + "\"dropoff_location_id\":1}",
                "INVALID_FIELD"),
            line(
                "{\"trip_id\":2,\"type\":\"yellow\",\"pickup_datetime\":\"2019-13-45 00:00:00\","
                    + "\"dropoff_datetime\":\"2019-08-01T00:10:00\",\"pickup_location_id\":1,"
                    + "\"dropoff_location_id\":1}",
                "INVALID_FIELD"),
            line(
                "{\"trip_id\":3,\"type\":\"yellow\",\"pickup_datetime\":\"2019-08-01T00:10:00\","
                    + "\"dropoff_datetime\":\"2019-08-01T00:00:00\",\"pickup_location_id\":1,"
                    + "\"dropoff_location_id\":1}",
                "DROPOFF_BEFORE_PICKUP"),
            line(
                "{\"trip_id\":4,\"type\":\"yellow\",\"pickup_datetime\":\"2019-08-01T00:00:00\","
                    + "\"dropoff_datetime\":\"2019-08-01T00:10:00\",\"pickup_location_id\":300,"
                    + "\"dropoff_location_id\":1}",
                "LOCATION_OUT_OF_RANGE"),
            line(
                "{\"trip_id\":5,\"type\":\"yellow\",\"pickup_datetime\":\"2019-08-01T00:00:00\","
                    + "\"dropoff_datetime\":\"2019-08-01T00:10:00\",\"pickup_location_id\":1,"
                    + "\"dropoff_location_id\":1,\"trip_distance\":-2.5}",
                "NEGATIVE_DISTANCE"),
            line("{\"watermark\":\"2019-08-01T00:00:00Z\",\"type\":\"watermark\"}", null),
            line("", null),
            line("   ", null));
    List<Line> mixed = new ArrayList<>(lines.size() + bad.size());
    int every = lines.size() / bad.size();
    for (int i = 0; i < lines.size(); i++) {
      mixed.add(lines.get(i));
      if (i % every == every - 1 && i / every < bad.size()) {
        mixed.add(bad.get(i / every));
      }
    }
    return mixed;
  }

  private static Line line(String text, String reason) {
    return new Line(text.getBytes(StandardCharsets.UTF_8), reason);
  }

  private static Map<Long, JsonNode> readDeadLetters(Path folder) throws IOException {
    Map<Long, JsonNode> byLine = new TreeMap<>();
    for (JsonNode deadLetter : TripOutput.deadLetters(folder)) {
      JsonNode previous = byLine.put(deadLetter.get("line_number").asLong(), deadLetter);
      assertThat(previous).as("dead letter written twice: %s", deadLetter).isNull();
    }
    return byLine;
  }
}
