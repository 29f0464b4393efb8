package io.taxietl.replay;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/**
 * Reads newline-delimited event files (plain or gzip, told apart by their first bytes) into {@link
 * ReplayEvent}s in event-time order. Lines are kept as bytes, so that lines that are not JSON or
 * not UTF-8 are replayed exactly as they are; a line end is {@code \n} or {@code \r\n}, and blank
 * lines are not events. A line without a readable pickup time takes the time of the line before it
 * in the same input (the first lines of an input without one take the first time that follows). All
 * lines are held in memory to be sorted: about the uncompressed size of the inputs.
 */
final class EventFileReader {
  private static final int BUFFER_BYTES = 1 << 16;

  private final ZoneId zone;
  private final List<ReplayEvent> events = new ArrayList<>();
  private long withoutTripId;
  private long withoutTime;

  /** A reader that reads timestamps without an offset in {@code zone}. */
  EventFileReader(ZoneId zone) {
    this.zone = Objects.requireNonNull(zone, "zone");
  }

  /**
   * What was read from all inputs, sorted by event time; equal times keep input order, then line
   * order.
   */
  record Events(List<ReplayEvent> events, long withoutTripId, long withoutTime) {}

  /**
   * Reads {@code inputs} for a replay command, keeps the first {@code limit} events, and reports on
   * {@code err} what was read and where it goes: "{@code command}: read N events from K INPUT(s) in
   * S s; sending M to {@code destination}". The counts of events left out stay those of all inputs.
   */
  static Events readForReplay(
      List<Path> inputs,
      ZoneId zone,
      long limit,
      String command,
      String destination,
      PrintStream err)
      throws IOException {
    long readStart = System.nanoTime();
    Events read = readAll(inputs, zone);
    List<ReplayEvent> events = read.events();
    if (events.size() > limit) {
      events = events.subList(0, (int) limit);
    }
    err.printf(
        Locale.ROOT,
        "%s: read %,d events from %d INPUT(s) in %.1f s; sending %,d to %s%n",
        command,
        read.events().size(),
        inputs.size(),
        (System.nanoTime() - readStart) / 1e9,
        events.size(),
        destination);
    return new Events(events, read.withoutTripId(), read.withoutTime());
  }

  /** Reads all inputs in order and sorts their events. */
  static Events readAll(List<Path> inputs, ZoneId zone) throws IOException {
    EventFileReader reader = new EventFileReader(zone);
    for (Path input : inputs) {
      reader.read(input);
    }
    return reader.sorted();
  }

  /** Reads one input; its events join those of the inputs read before. */
  void read(Path input) throws IOException {
    try (InputStream in = open(input)) {
      read(in);
    } catch (IOException e) {
      throw new TripFileException(
          input + ": " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  /** Reads the lines of one input stream. */
  void read(InputStream in) throws IOException {
    int firstOfInput = events.size();
    long previousTime = ReplayEvent.NO_TIME;
    LineBuffer line = new LineBuffer();
    byte[] buffer = new byte[BUFFER_BYTES];
    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
      int start = 0;
      for (int i = 0; i < n; i++) {
        if (buffer[i] == '\n') {
          line.append(buffer, start, i - start);
          previousTime = add(line.takeLine(), previousTime, firstOfInput);
          start = i + 1;
        }
      }
      line.append(buffer, start, n - start);
    }
    if (line.length() > 0) {
      add(line.takeLine(), previousTime, firstOfInput);
    }
  }

  /** The events read so far, sorted, and the counts of lines without a trip id or a time. */
  Events sorted() {
    List<ReplayEvent> sorted = new ArrayList<>(events);
    sorted.sort(ReplayEvent.BY_EVENT_TIME);
    return new Events(sorted, withoutTripId, withoutTime);
  }

  private long add(byte[] line, long previousTime, int firstOfInput) {
    if (isBlank(line)) {
      return previousTime;
    }
    EventFields fields = EventFields.read(line, zone);
    byte[] key = fields.tripId() == null ? null : fields.tripId().getBytes(StandardCharsets.UTF_8);
    if (key == null) {
      withoutTripId++;
    }
    long time = previousTime;
    if (fields.pickupMillis() == null) {
      withoutTime++;
    } else {
      time = fields.pickupMillis();
      if (previousTime == ReplayEvent.NO_TIME) {
        backfill(firstOfInput, time);
      }
    }
    events.add(new ReplayEvent(time, key, line));
    return time;
  }

  /**
   * Gives the first lines of an input, which had no time to take, the first time that follows them.
   */
  private void backfill(int firstOfInput, long time) {
    for (int i = firstOfInput; i < events.size(); i++) {
      ReplayEvent event = events.get(i);
      events.set(i, new ReplayEvent(time, event.key(), event.value()));
    }
  }

  private static boolean isBlank(byte[] line) {
    for (byte b : line) {
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  private static InputStream open(Path input) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(input), BUFFER_BYTES);
    try {
      in.mark(2);
      boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
      in.reset();
      return gzip ? new GZIPInputStream(in, BUFFER_BYTES) : in;
    } catch (IOException e) {
      in.close();
      throw e;
    }
  }

  /** The bytes of the line being read; a line may span several reads. */
  private static final class LineBuffer {
    private byte[] bytes = new byte[1024];
    private int length;

    void append(byte[] source, int offset, int count) {
      if (length + count > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + count));
      }
      System.arraycopy(source, offset, bytes, length, count);
      length += count;
    }

    int length() {
      return length;
    }

    /** The line without its {@code \r\n} or {@code \n} end; empties the buffer. */
    byte[] takeLine() {
      int end = length > 0 && bytes[length - 1] == '\r' ? length - 1 : length;
      byte[] line = Arrays.copyOf(bytes, end);
      length = 0;
      return line;
    }
  }
}
