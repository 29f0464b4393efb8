package io.taxietl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.taxietl.replay.Replay;
import io.taxietl.testing.ScriptedServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Test input: real TLC trips as contract events, and bad events of every kind. */
final class TestEvents {
  private TestEvents() {}

  /**
   * One event payload and the reason it must be rejected for, or null for a valid trip or a
   * watermark.
   */
  record Event(byte[] payload, String expectedReason) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  /** The real TLC data the project reads its test input from: the replay tool's test files. */
  static Path tlcData() {
    Path data = ScriptedServer.repoRoot().resolve("replay/src/test/resources/nyc-tlc");
    assertThat(data).as("the TLC test data of the replay module").isDirectory();
    return data;
  }

  /**
   * 6,400 real trips: the yellow samples of August 2019 (5,400 rows, with its 2008 pickup) and
   * March 2019 (1,000 rows), converted by {@code replay convert}, in pickup order, each with its
   * expected outcome.
   */
  static List<Event> realTrips(Path work) {
    Path events = work.resolve("real-trips.jsonl");
    runReplayTool(
        "convert",
        "--output",
        events.toString(),
        tlcData().resolve("yellow/yellow_tripdata_sample_2019-08.csv.gz").toString(),
        tlcData().resolve("yellow/yellow_tripdata_sample_2019-03.csv.gz").toString());
    try {
      List<Event> trips = new ArrayList<>();
      for (String line : Files.readAllLines(events, StandardCharsets.UTF_8)) {
        trips.add(
            new Event(
                line.getBytes(StandardCharsets.UTF_8),
                IndependentCheck.rejection(TripOutput.JSON.readTree(line))));
      }
      return trips;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("replay convert wrote a line that is not JSON", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs the replay tool with {@code args}; fails the test with the tool's output when it exits
   * non-zero.
   */
  static void runReplayTool(String... args) {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(log, true, StandardCharsets.UTF_8);
    int exit = Replay.run(args, print, print);
    assertThat(exit).as(log.toString(StandardCharsets.UTF_8)).isZero();
  }

  /**
   * Writes the payloads to a new file below {@code work}, one per line, as input for the replay
   * tool.
   */
  static Path writeLines(Path work, String name, List<Event> events) {
    Path file = work.resolve(name + "-" + System.nanoTime() + ".jsonl");
    try (OutputStream out = Files.newOutputStream(file)) {
      for (Event event : events) {
        out.write(event.payload());
        out.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** One text line of each rejection reason, and a watermark event; each payload is unique. */
  static List<Event> badTextEvents(String tag) {
    return List.of(
        event("this is not json " + tag, "MALFORMED_JSON"),
        event("[1,2,3,\"" + tag + "\"]", "MALFORMED_JSON"),
        event(
            "{\"trip_id\":1,\"type\":\""
                + tag
                + "\",\"pickup_datetime\":\"2019-08-01T00:00:00\","
                + "\"dropoff_datetime\":\"2019-08-01T00:10:00\",\"dropoff_location_id\":1}",
            "MISSING_FIELD"),
        event(
            "{\"trip_id\":\"abc\",\"type\":\""
                + tag
                + "\",\"pickup_datetime\":\"2019-08-01T00:00:00\","
                + "\"dropoff_datetime\":\"2019-08-01T00:10:00\",\"pickup_location_id\":1,"
                + "\"dropoff_location_id\":1}",
            "INVALID_FIELD"),
        event(
            "{\"trip_id\":2,\"type\":\""
                + tag
                + "\",\"pickup_datetime\":\"2019-13-45 00:00:00\","
                + "\"dropoff_datetime\":\"2019-08-01T00:10:00\",\"pickup_location_id\":1,"
                + "\"dropoff_location_id\":1}",
            "INVALID_FIELD"),
        event(
            "{\"trip_id\":3,\"type\":\""
                + tag
                + "\",\"pickup_datetime\":\"2019-08-01T00:10:00\","
                + "\"dropoff_datetime\":\"2019-08-01T00:00:00\",\"pickup_location_id\":1,"
                + "\"dropoff_location_id\":1}",
            "DROPOFF_BEFORE_PICKUP"),
        event(
            "{\"trip_id\":4,\"type\":\""
                + tag
                + "\",\"pickup_datetime\":\"2019-08-01T00:00:00\","
                + "\"dropoff_datetime\":\"2019-08-01T00:10:00\",\"pickup_location_id\":300,"
                + "\"dropoff_location_id\":1}",
            "LOCATION_OUT_OF_RANGE"),
        event(
            "{\"trip_id\":5,\"type\":\""
                + tag
                + "\",\"pickup_datetime\":\"2019-08-01T00:00:00\","
                + "\"dropoff_datetime\":\"2019-08-01T00:10:00\",\"pickup_location_id\":1,"
                + "\"dropoff_location_id\":1,\"trip_distance\":-2.5}",
            "NEGATIVE_DISTANCE"),
        event("{\"watermark\":\"2019-08-01T00:00:00Z\",\"type\":\"watermark\"}", null));
  }

  /**
   * Random binary payloads (poison events), each starting with a byte that is never valid UTF-8 so
   * that every one is certainly MALFORMED_JSON, and each unique.
   */
  static List<Event> poison(int count, long seed) {
    Random random = new Random(seed);
    List<Event> events = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] payload = new byte[12 + random.nextInt(200)];
      random.nextBytes(payload);
      payload[0] = (byte) 0xFF;
      payload[1] = (byte) (i >> 8);
      payload[2] = (byte) i;
      events.add(new Event(payload, "MALFORMED_JSON"));
    }
    return events;
  }

  /** {@code base} with the {@code extra} events spread evenly through it. */
  static List<Event> mix(List<Event> base, List<Event> extra) {
    List<Event> mixed = new ArrayList<>(base.size() + extra.size());
    int every = Math.max(1, base.size() / Math.max(1, extra.size()));
    int next = 0;
    for (int i = 0; i < base.size(); i++) {
      mixed.add(base.get(i));
      if (i % every == every - 1 && next < extra.size()) {
        mixed.add(extra.get(next++));
      }
    }
    mixed.addAll(extra.subList(next, extra.size()));
    return mixed;
  }

  private static Event event(String text, String reason) {
    return new Event(text.getBytes(StandardCharsets.UTF_8), reason);
  }
}
