package io.taxietl.pipeline;

import io.taxietl.transforms.event.EventSize;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What an upstream system sends by mistake or malice, between real events: bytes that are not
 * UTF-8, truncated events, events of several megabytes, JSON nested 100,000 deep, wrong types,
 * numbers that overflow, NULs and control characters. Each payload is unique and carries the reason
 * it must be rejected for; one large event within the size limit is a valid trip.
 */
final class HostileEvents {
  /** A real trip of the bundled sample, the base of the events that are nearly trips. */
  private static final String TRIP =
      "{\"vendor_id\":2,\"pickup_datetime\":\"2019-03-01T00:13:12\","
          + "\"dropoff_datetime\":\"2019-03-01T00:21:40\",\"passenger_count\":1,"
          + "\"trip_distance\":1.53,\"pickup_location_id\":239,\"dropoff_location_id\":142,"
          + "\"fare_amount\":7.5,\"total_amount\":10.56,\"type\":\"yellow\",\"trip_id\":%d%s}";

  private HostileEvents() {}

  /**
   * The hostile payloads, ids from {@code firstId} on (each unique), none larger than a few
   * megabytes: {@code megabytes} sets the size of the largest.
   */
  static List<TestEvents.Event> payloads(long firstId, int megabytes) {
    long id = firstId;
    List<TestEvents.Event> events = new ArrayList<>();
    byte[] notUtf8 = trip(id++, "").getBytes(StandardCharsets.UTF_8);
    notUtf8[20] = (byte) 0xff;
    events.add(new TestEvents.Event(notUtf8, "MALFORMED_JSON"));
    byte[] overlong = trip(id++, ",\"padding\":\"\u0000\"").getBytes(StandardCharsets.UTF_8);
    int nul = indexOf(overlong, (byte) 0);
    byte[] withOverlong = new byte[overlong.length + 1];
    System.arraycopy(overlong, 0, withOverlong, 0, nul);
    withOverlong[nul] =
        (byte) 0xC0; // an overlong encoding of NUL, which Java's own decoder accepts
    withOverlong[nul + 1] = (byte) 0x80;
    System.arraycopy(overlong, nul + 1, withOverlong, nul + 2, overlong.length - nul - 1);
    events.add(new TestEvents.Event(withOverlong, "MALFORMED_JSON"));
    String truncated = trip(id++, "");
    events.add(text(truncated.substring(0, truncated.length() / 2), "MALFORMED_JSON"));
    events.add(text(trip(id++, "").replace("}", ""), "MALFORMED_JSON"));
    events.add(
        text(
            trip(id++, ",\"padding\":\"" + "p".repeat(megabytes * 1024 * 1024) + "\""),
            "TOO_LARGE"));
    events.add(text("[".repeat(100_000) + id++, "MALFORMED_JSON"));
    events.add(
        text(trip(id++, ",\"x\":" + "[".repeat(100_000) + "]".repeat(100_000)), "MALFORMED_JSON"));
    events.add(
        text(
            trip(id++, "").replace("\"pickup_location_id\":239", "\"pickup_location_id\":\"abc\""),
            "INVALID_FIELD"));
    events.add(
        text(
            trip(id++, "").replace("\"passenger_count\":1", "\"passenger_count\":[1]"),
            "INVALID_FIELD"));
    events.add(
        text(
            trip(id++, "").replace("\"type\":\"yellow\"", "\"type\":{\"name\":\"yellow\"}"),
            "INVALID_FIELD"));
    long overflowing = id++;
    events.add(
        text(
            trip(overflowing, "")
                .replace(
                    "\"trip_id\":" + overflowing,
                    "\"trip_id\":" + overflowing + "99999999999999999999"),
            "INVALID_FIELD"));
    events.add(
        text(
            trip(id++, "").replace("\"passenger_count\":1", "\"passenger_count\":3000000000"),
            "INVALID_FIELD"));
    events.add(
        text(
            trip(id++, "").replace("\"fare_amount\":7.5", "\"fare_amount\":1e999999999"),
            "INVALID_FIELD"));
    events.add(
        text(
            trip(id++, "")
                .replace("\"fare_amount\":7.5", "\"fare_amount\":\"" + "9".repeat(200_000) + "\""),
            "INVALID_FIELD"));
    events.add(
        text(
            trip(id++, "")
                .replace("\"trip_distance\":1.53", "\"trip_distance\":" + "9".repeat(200_000)),
            "INVALID_FIELD"));
    events.add(text(trip(id++, "").replace("yellow", "yel\u0000low"), "MALFORMED_JSON"));
    byte[] nuls = new byte[64 + (int) (id++ % 64)];
    events.add(new TestEvents.Event(nuls, "MALFORMED_JSON"));
    events.add(text(trip(id++, "").replace("yellow", "yel\u0001\u001b[31mlow"), "MALFORMED_JSON"));
    events.add(text("\u001b[2J\u001b[H\u0007 " + id++, "MALFORMED_JSON"));
    events.add(text("{\"trip_id\":" + id++ + ",\"trip_id\":1}", "MALFORMED_JSON"));
    events.add(text("{\"hostile\":" + id++ + "}", "MISSING_FIELD"));
    return events;
  }

  /**
   * A valid trip of about {@code bytes} bytes (a long {@code padding}, as the original sample's
   * replay adds), within the size limit.
   */
  static TestEvents.Event largeTrip(long tripId, int bytes) {
    String trip = trip(tripId, ",\"padding\":\"" + "q".repeat(bytes) + "\"");
    if (trip.length() > EventSize.MAX_BYTES) {
      throw new IllegalArgumentException("a trip of " + bytes + " bytes is over the limit");
    }
    return text(trip, null);
  }

  /** An event of {@code bytes} bytes of one letter: far over the size limit. */
  static TestEvents.Event hugeLine(int bytes) {
    byte[] payload = new byte[bytes];
    Arrays.fill(payload, (byte) 'h');
    return new TestEvents.Event(payload, "TOO_LARGE");
  }

  private static String trip(long tripId, String extraFields) {
    return String.format(TRIP, tripId, extraFields);
  }

  private static TestEvents.Event text(String text, String reason) {
    return new TestEvents.Event(text.getBytes(StandardCharsets.UTF_8), reason);
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    throw new IllegalArgumentException("no byte " + b);
  }
}
