package io.taxietl.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading event files into the replay order. */
class EventFileReaderTest {
  @TempDir Path dir;

  private static String event(long tripId, String pickup) {
    return "{\"pickup_datetime\":\""
        + pickup
        + "\",\"trip_id\":"
        + tripId
        + ",\"type\":\"yellow\"}";
  }

  private static long millis(String naiveUtc) {
    return Instant.parse(naiveUtc + "Z").toEpochMilli();
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  private Path gzip(String name, byte[] content) throws IOException {
    Path file = dir.resolve(name);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(content);
    }
    return file;
  }

  private static List<String> values(EventFileReader.Events events) {
    return events.events().stream()
        .map(e -> new String(e.value(), StandardCharsets.UTF_8))
        .toList();
  }

  @Test
  void eventsOfSeveralInputsAreSortedByPickupTimeAndTiesKeepInputThenLineOrder()
      throws IOException {
    Path first =
        write(
            "a.jsonl",
            event(3, "2019-03-01T00:03:00")
                + "\n"
                + event(1, "2019-03-01T00:01:00")
                + "\n"
                + event(5, "2019-03-01T00:05:00")
                + "\n");
    Path second =
        gzip(
            "b.jsonl.gz",
            (event(2, "2019-03-01 00:01:00") + "\n" + event(4, "2019-03-01T00:03:00Z") + "\n")
                .getBytes(StandardCharsets.UTF_8));

    EventFileReader.Events events = EventFileReader.readAll(List.of(first, second), ZoneOffset.UTC);

    assertThat(events.events())
        .extracting(e -> new String(e.key(), StandardCharsets.UTF_8))
        .containsExactly("1", "2", "3", "4", "5");
    assertThat(events.events())
        .extracting(ReplayEvent::eventTimeMillis)
        .containsExactly(
            millis("2019-03-01T00:01:00"),
            millis("2019-03-01T00:01:00"),
            millis("2019-03-01T00:03:00"),
            millis("2019-03-01T00:03:00"),
            millis("2019-03-01T00:05:00"));
    assertThat(events.withoutTripId()).isZero();
    assertThat(events.withoutTime()).isZero();
  }

  @Test
  void gzipIsRecognisedByItsContentNotItsName() throws IOException {
    Path gzipWithoutSuffix =
        gzip(
            "events.jsonl",
            (event(1, "2019-03-01T00:01:00") + "\n").getBytes(StandardCharsets.UTF_8));
    Path plainWithGzSuffix = write("plain.jsonl.gz", event(2, "2019-03-01T00:02:00") + "\n");

    EventFileReader.Events events =
        EventFileReader.readAll(List.of(gzipWithoutSuffix, plainWithGzSuffix), ZoneOffset.UTC);

    assertThat(values(events))
        .containsExactly(event(1, "2019-03-01T00:01:00"), event(2, "2019-03-01T00:02:00"));
  }

  @Test
  void lineWithoutReadableTimeKeepsThePreviousLinesTimeAndIsSentVerbatim() throws IOException {
    Path input =
        write(
            "a.jsonl",
            event(1, "2019-03-01T00:01:00")
                + "\n"
                + event(3, "2019-03-01T00:03:00")
                + "\n"
                + "not json\n"
                + event(2, "2019-03-01T00:02:00")
                + "\n");

    EventFileReader.Events events = EventFileReader.readAll(List.of(input), ZoneOffset.UTC);

    assertThat(values(events))
        .containsExactly(
            event(1, "2019-03-01T00:01:00"),
            event(2, "2019-03-01T00:02:00"),
            event(3, "2019-03-01T00:03:00"),
            "not json");
    assertThat(events.events().get(3).eventTimeMillis()).isEqualTo(millis("2019-03-01T00:03:00"));
    assertThat(events.events().get(3).key()).isNull();
    assertThat(events.withoutTime()).isEqualTo(1);
    assertThat(events.withoutTripId()).isEqualTo(1);
  }

  @Test
  void firstLinesWithoutTimeTakeTheFirstTimeOfTheirInput() throws IOException {
    Path early =
        write(
            "early.jsonl",
            event(1, "2019-03-01T00:01:00") + "\n" + event(9, "2019-03-01T00:09:00") + "\n");
    Path late =
        write(
            "late.jsonl",
            "{\"trip_id\":\"x\"}\n{broken\n" + event(5, "2019-03-01T00:05:00") + "\n");

    EventFileReader.Events events = EventFileReader.readAll(List.of(early, late), ZoneOffset.UTC);

    assertThat(values(events))
        .containsExactly(
            event(1, "2019-03-01T00:01:00"),
            "{\"trip_id\":\"x\"}",
            "{broken",
            event(5, "2019-03-01T00:05:00"),
            event(9, "2019-03-01T00:09:00"));
    assertThat(events.events().get(1).eventTimeMillis()).isEqualTo(millis("2019-03-01T00:05:00"));
  }

  @Test
  void inputWithoutAnyTimeIsSentFirstWithNoTime() throws IOException {
    Path timed = write("a.jsonl", event(1, "2019-03-01T00:01:00") + "\n");
    Path untimed = write("b.jsonl", "x\ny\n");

    EventFileReader.Events events =
        EventFileReader.readAll(List.of(timed, untimed), ZoneOffset.UTC);

    assertThat(values(events)).containsExactly("x", "y", event(1, "2019-03-01T00:01:00"));
    assertThat(events.events().get(0).hasTime()).isFalse();
  }

  @Test
  void crLfEndsAndBlankLinesAreNotPartOfEventsAndTheLastLineNeedsNoEnd() throws IOException {
    Path input =
        write(
            "a.jsonl",
            event(1, "2019-03-01T00:01:00")
                + "\r\n\r\n   \n\t\n"
                + event(2, "2019-03-01T00:02:00"));

    EventFileReader.Events events = EventFileReader.readAll(List.of(input), ZoneOffset.UTC);

    assertThat(values(events))
        .containsExactly(event(1, "2019-03-01T00:01:00"), event(2, "2019-03-01T00:02:00"));
  }

  @Test
  void bytesThatAreNotUtf8AreKeptExactly() throws IOException {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    content.writeBytes((event(1, "2019-03-01T00:01:00") + "\n").getBytes(StandardCharsets.UTF_8));
    byte[] bad = {'{', '"', 'x', '"', ':', '"', (byte) 0xFF, (byte) 0xFE, '"', '}'};
    content.writeBytes(bad);
    content.write('\n');
    Path input = Files.write(dir.resolve("a.jsonl"), content.toByteArray());

    EventFileReader.Events events = EventFileReader.readAll(List.of(input), ZoneOffset.UTC);

    assertThat(events.events()).hasSize(2);
    assertThat(events.events().get(1).value()).isEqualTo(bad);
  }

  @Test
  void longLinesAcrossReadBuffersAreWhole() throws IOException {
    String padding = "p".repeat(200_000);
    String line =
        "{\"padding\":\""
            + padding
            + "\",\"trip_id\":7,\"pickup_datetime\":\"2019-03-01T00:07:00\"}";
    Path input = write("a.jsonl", line + "\n" + line + "\n");

    EventFileReader.Events events = EventFileReader.readAll(List.of(input), ZoneOffset.UTC);

    assertThat(values(events)).containsExactly(line, line);
  }

  @Test
  void brokenGzipNamesTheFile() throws IOException {
    byte[] truncated = new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0};
    Path input = Files.write(dir.resolve("broken.jsonl.gz"), truncated);

    assertThatThrownBy(() -> EventFileReader.readAll(List.of(input), ZoneOffset.UTC))
        .isInstanceOf(TripFileException.class)
        .hasMessageStartingWith(input + ": EOFException");
  }
}
