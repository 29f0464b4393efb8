package io.taxietl.pipeline;

import io.taxietl.testing.Await;
import io.taxietl.testing.ScriptedServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The input of the outage tests: real trips from the bundled sample in three parts, each with its
 * bad events mixed in, and what the parts must become (the trip ids in the output and the payloads
 * in the dead letters).
 */
record OutageInput(List<List<TestEvents.Event>> parts) {
  /**
   * The first {@code trips} trips of the sample in three parts, bad events named after {@code
   * name}.
   */
  static OutageInput of(String name, int trips) {
    List<TestEvents.Event> sample = RunnerTestInput.sample().subList(0, trips);
    List<List<TestEvents.Event>> parts = new ArrayList<>();
    for (int part = 0; part < 3; part++) {
      parts.add(
          TestEvents.mix(
              sample.subList(trips * part / 3, trips * (part + 1) / 3),
              TestEvents.badTextEvents(name + part)));
    }
    return new OutageInput(parts);
  }

  List<TestEvents.Event> part(int index) {
    return parts.get(index);
  }

  int events() {
    return parts.stream().mapToInt(List::size).sum();
  }

  /** What the first {@code count} parts must become. */
  Expected expected(int count) throws Exception {
    Set<Long> trips = new HashSet<>();
    Set<String> rejections = new HashSet<>();
    for (List<TestEvents.Event> part : parts.subList(0, count)) {
      for (TestEvents.Event event : part) {
        if (event.expectedReason() != null) {
          rejections.add(event.text());
        } else if (!event.text().contains("\"watermark\"")) {
          trips.add(TripOutput.JSON.readTree(event.payload()).get("trip_id").asLong());
        }
      }
    }
    return new Expected(trips, rejections);
  }

  /**
   * Stops {@code server}, keeps it away for {@code outage}, starts it again on the same port and
   * data; returns the nanoTime it stopped at. The outage itself is a fixed time, because it is the
   * fault; everything else the tests wait for is a condition.
   */
  static long outage(ScriptedServer server, Duration outage) {
    server.stop();
    long stopped = System.nanoTime();
    // The fault itself lasts this long: wait until the clock says so (the deadline leaves slack).
    Await.until(
        () -> System.nanoTime() - stopped >= outage.toNanos(),
        outage.plusSeconds(30),
        "the outage of " + outage + " to have lasted");
    server.start();
    return stopped;
  }

  /** The trip ids and the bad payloads that parts of the input must become. */
  record Expected(Set<Long> tripIds, Set<String> rejections) {}
}
