package io.taxietl.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taxietl.testing.ScriptedServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The input of the cluster tests: the bundled sample's real trips with bad events mixed in, and
 * what they must become.
 */
final class ClusterEvents {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ClusterEvents() {}

  /** One event payload and the reason it must be rejected for; null for a valid trip. */
  record Event(String text, String reason) {}

  /**
   * What a set of events must become: trip id -> {pickup_location, year, month}, and payload ->
   * reason.
   */
  record Expected(Map<Long, List<String>> trips, Map<String, String> rejections) {
    static Expected of(List<Event> events) {
      Map<Long, List<String>> trips = new HashMap<>();
      Map<String, String> rejections = new HashMap<>();
      for (Event event : events) {
        if (event.reason() != null) {
          rejections.put(event.text(), event.reason());
          continue;
        }
        JsonNode trip = readTree(event.text());
        LocalDateTime pickup = LocalDateTime.parse(trip.get("pickup_datetime").asText());
        List<String> partition =
            List.of(
                String.format("%03d", trip.get("pickup_location_id").asInt()),
                String.format("%04d", pickup.getYear()),
                String.format("%02d", pickup.getMonthValue()));
        assertThat(trips.put(trip.get("trip_id").asLong(), partition))
            .as("trip id twice in the input")
            .isNull();
      }
      return new Expected(trips, rejections);
    }

    /** Everything of {@code phases}. */
    static Expected ofAll(List<List<Event>> phases) {
      List<Event> all = new ArrayList<>();
      phases.forEach(all::addAll);
      return of(all);
    }
  }

  /** The bundled sample's events (19,745 real trips), one line each, in file order. */
  static List<String> sample() {
    Path sample =
        ScriptedServer.repoRoot()
            .resolve("pipeline/src/main/resources/sample/taxi-trips-sample.jsonl.gz");
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(sample)), StandardCharsets.UTF_8))) {
      return lines.lines().filter(line -> !line.isBlank()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The sample cut into {@code count} consecutive parts, each with one bad event of every reason.
   */
  static List<List<Event>> phases(int count) {
    return phases(sample(), count);
  }

  /**
   * {@code trips} cut into {@code count} consecutive parts, each with one bad event of every
   * reason.
   */
  static List<List<Event>> phases(List<String> sample, int count) {
    List<List<Event>> phases = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      List<String> part =
          sample.subList(sample.size() * i / count, sample.size() * (i + 1) / count);
      phases.add(withBadEvents(part, "phase" + i));
    }
    return phases;
  }

  /** The trips, then one bad event of each rejection reason, each payload unique by {@code tag}. */
  static List<Event> withBadEvents(List<String> trips, String tag) {
    List<Event> events = new ArrayList<>();
    trips.forEach(trip -> events.add(new Event(trip, null)));
    String times =
        "\"pickup_datetime\":\"2019-08-01T00:00:00\",\"dropoff_datetime\":\"2019-08-01T00:10:00\"";
    events.add(new Event("this is not json " + tag, "MALFORMED_JSON"));
    events.add(
        new Event(
            "{\"trip_id\":1,\"type\":\"" + tag + "\"," + times + ",\"dropoff_location_id\":1}",
            "MISSING_FIELD"));
    events.add(
        new Event(
            "{\"trip_id\":\"abc\",\"type\":\""
                + tag
                + "\","
                + times
                + ",\"pickup_location_id\":1,\"dropoff_location_id\":1}",
            "INVALID_FIELD"));
    events.add(
        new Event(
            "{\"trip_id\":3,\"type\":\""
                + tag
                + "\",\"pickup_datetime\":\"2019-08-01T00:10:00\","
                + "\"dropoff_datetime\":\"2019-08-01T00:00:00\",\"pickup_location_id\":1,\"dropoff_location_id\":1}",
            "DROPOFF_BEFORE_PICKUP"));
    events.add(
        new Event(
            "{\"trip_id\":4,\"type\":\""
                + tag
                + "\","
                + times
                + ",\"pickup_location_id\":300,\"dropoff_location_id\":1}",
            "LOCATION_OUT_OF_RANGE"));
    events.add(
        new Event(
            "{\"trip_id\":5,\"type\":\""
                + tag
                + "\","
                + times
                + ",\"pickup_location_id\":1,\"dropoff_location_id\":1,\"trip_distance\":-2.5}",
            "NEGATIVE_DISTANCE"));
    return events;
  }

  /**
   * Writes the events' payloads to a new file below {@code folder}, one per line, for the replay
   * tool.
   */
  static Path writeLines(Path folder, String name, List<Event> events) {
    try {
      Path file = Files.createTempFile(folder, name + "-", ".jsonl");
      Files.write(file, events.stream().map(Event::text).toList(), StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode readTree(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
