package io.taxietl.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Real TLC trip files, slices of the TLC's own (see {@code src/test/resources/nyc-tlc/SOURCES.md}),
 * and helpers to run and read conversions.
 */
final class TlcData {
  private static final JsonFactory JSON = new JsonFactory();

  private TlcData() {}

  /** The TLC data folder among the test resources: {@code yellow/} and {@code green/}. */
  static Path dataDir() {
    URL dir = TlcData.class.getResource("/nyc-tlc");
    if (dir == null) {
      throw new IllegalStateException(
          "TLC test data not found: no nyc-tlc folder among the test resources");
    }
    try {
      return Path.of(dir.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("TLC test data at " + dir + " is not a folder", e);
    }
  }

  static Path yellow(String yearMonth) {
    return existing(
        dataDir().resolve("yellow").resolve("yellow_tripdata_sample_" + yearMonth + ".csv.gz"));
  }

  static Path green(String yearMonth) {
    return existing(dataDir().resolve("green").resolve("green_tripdata_" + yearMonth + ".parquet"));
  }

  private static Path existing(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("TLC test file missing: " + file);
    }
    return file;
  }

  /** What one run of the command line tool did. */
  record Run(int exitCode, String out, String err) {}

  /** Runs {@code replay} with the arguments; paths are passed as their strings. */
  static Run replay(Object... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] strings = Arrays.stream(args).map(String::valueOf).toArray(String[]::new);
    int exitCode =
        Replay.run(
            strings,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Runs {@code replay convert --output output args...} and fails the test unless it succeeds. */
  static Run convert(Path output, Object... args) {
    Object[] all =
        Stream.concat(Stream.of("convert", "--output", output), Arrays.stream(args)).toArray();
    Run run = replay(all);
    assertThat(run.exitCode()).as("exit code; stderr: %s", run.err()).isZero();
    return run;
  }

  /**
   * The lines of an event file, gunzipped if its name ends in .gz; checks that every line ends in
   * \n.
   */
  static List<String> lines(Path file) throws IOException {
    String text;
    try (InputStream in = Files.newInputStream(file)) {
      InputStream data = file.toString().endsWith(".gz") ? new GZIPInputStream(in) : in;
      text = new String(data.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(text).as("event file text").doesNotContain("\r");
    if (text.isEmpty()) {
      return List.of();
    }
    assertThat(text).as("event file text").endsWith("\n");
    return List.of(text.substring(0, text.length() - 1).split("\n", -1));
  }

  /**
   * The events of an event file, each as an ordered map: JSON integers as Long, other numbers as
   * Double.
   */
  static List<Map<String, Object>> events(Path file) throws IOException {
    List<Map<String, Object>> events = new ArrayList<>();
    for (String line : lines(file)) {
      events.add(parse(line));
    }
    return events;
  }

  /** One flat JSON object; fails on anything else, including a null value. */
  static Map<String, Object> parse(String line) throws IOException {
    Map<String, Object> event = new LinkedHashMap<>();
    try (JsonParser parser = JSON.createParser(line)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new AssertionError("not a JSON object: " + line);
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken token = parser.nextToken();
        Object value =
            switch (token) {
              case VALUE_NUMBER_INT -> parser.getLongValue();
              case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
              case VALUE_STRING -> parser.getText();
              default ->
                  throw new AssertionError("unexpected " + token + " for " + name + " in " + line);
            };
        if (event.put(name, value) != null) {
          throw new AssertionError("duplicate field " + name + " in " + line);
        }
      }
      if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
        throw new AssertionError("not one flat JSON object: " + line);
      }
    }
    return event;
  }

  /** The events keyed by trip id. */
  static Map<Long, Map<String, Object>> byTripId(List<Map<String, Object>> events) {
    Map<Long, Map<String, Object>> byId = new LinkedHashMap<>();
    for (Map<String, Object> event : events) {
      if (byId.put((Long) event.get("trip_id"), event) != null) {
        throw new AssertionError("duplicate trip id in " + event);
      }
    }
    return byId;
  }

  /** The 1-based source row of an event, the last eight digits of its trip id. */
  static long rowNumber(Map<String, Object> event) {
    return (Long) event.get("trip_id") % 100_000_000L;
  }
}
