package io.taxietl.benchmarks;

import io.taxietl.transforms.parse.ParseOutcome;
import io.taxietl.transforms.parse.TripEventParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The benchmark's input: the bundled sample of real trips repeated until there are {@code count}
 * events, each with a fresh {@code trip_id}, and one event in {@value #BAD_EVERY} replaced by a bad
 * one (malformed JSON, a missing required field, a location out of range, in turn).
 *
 * <p>Which events are valid is decided by our own {@link TripEventParser}, the same code both jobs
 * run, so the expected numbers of rows and dead letters are exact.
 */
public final class BenchmarkEvents {
  static final String SAMPLE_RESOURCE = "/sample/taxi-trips-sample.jsonl.gz";
  static final int BAD_EVERY = 100;

  /** Fresh trip ids start here: far above the sample's ids, so no generated id repeats one. */
  static final long FIRST_TRIP_ID = 9_000_000_000_000_000L;

  private static final Pattern TRIP_ID = Pattern.compile("\"trip_id\":\\d+");

  private final List<byte[]> prefixes = new ArrayList<>();
  private final List<byte[]> suffixes = new ArrayList<>();

  private BenchmarkEvents(List<String> sampleLines) {
    for (String line : sampleLines) {
      Matcher m = TRIP_ID.matcher(line);
      if (!m.find()) {
        throw new IllegalArgumentException("a sample line has no trip_id: " + line);
      }
      prefixes.add(
          line.substring(0, m.start() + "\"trip_id\":".length()).getBytes(StandardCharsets.UTF_8));
      suffixes.add(line.substring(m.end()).getBytes(StandardCharsets.UTF_8));
    }
  }

  /** The generator over the sample bundled with the pipeline. */
  public static BenchmarkEvents fromBundledSample() {
    try (InputStream raw = BenchmarkEvents.class.getResourceAsStream(SAMPLE_RESOURCE)) {
      if (raw == null) {
        throw new IllegalStateException(
            "the sample " + SAMPLE_RESOURCE + " is not on the classpath");
      }
      BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.UTF_8));
      List<String> lines = new ArrayList<>();
      for (String line; (line = reader.readLine()) != null; ) {
        if (!line.isBlank()) {
          lines.add(line);
        }
      }
      return new BenchmarkEvents(lines);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + SAMPLE_RESOURCE, e);
    }
  }

  public int sampleSize() {
    return prefixes.size();
  }

  /**
   * The payload of event number {@code index} (0-based): always the same bytes for the same index.
   */
  public byte[] payload(long index) {
    int line = (int) (index % prefixes.size());
    byte[] prefix = prefixes.get(line);
    byte[] id = Long.toString(FIRST_TRIP_ID + index).getBytes(StandardCharsets.US_ASCII);
    byte[] suffix = suffixes.get(line);
    if (index % BAD_EVERY == BAD_EVERY / 2) {
      return bad(index, prefix, id, suffix);
    }
    return concat(prefix, id, suffix);
  }

  private static byte[] bad(long index, byte[] prefix, byte[] id, byte[] suffix) {
    String good = new String(concat(prefix, id, suffix), StandardCharsets.UTF_8);
    String bad =
        switch ((int) ((index / BAD_EVERY) % 3)) {
          case 0 -> good.substring(0, good.length() / 2); // truncated: malformed JSON
          case 1 ->
              good.replaceFirst("\"pickup_location_id\":\\d+,?", ""); // a required field missing
          default ->
              good.replaceFirst("\"dropoff_location_id\":\\d+", "\"dropoff_location_id\":999");
        };
    return bad.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[] a, byte[] b, byte[] c) {
    byte[] all = new byte[a.length + b.length + c.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    System.arraycopy(c, 0, all, a.length + b.length, c.length);
    return all;
  }

  /**
   * What {@code count} events should become: rows, dead letters, skipped watermarks and payload
   * bytes.
   */
  public Expected expected(long count) {
    TripEventParser parser = new TripEventParser(ZoneOffset.UTC);
    long rows = 0;
    long deadLetters = 0;
    long watermarks = 0;
    long bytes = 0;
    for (long i = 0; i < count; i++) {
      byte[] payload = payload(i);
      bytes += payload.length;
      ParseOutcome outcome = parser.parse(payload);
      if (outcome instanceof ParseOutcome.Trip) {
        rows++;
      } else if (outcome instanceof ParseOutcome.Watermark) {
        watermarks++;
      } else {
        deadLetters++;
      }
    }
    return new Expected(count, rows, deadLetters, watermarks, bytes);
  }

  /** The exact outcome of a run over {@code events} events. */
  public record Expected(
      long events, long rows, long deadLetters, long watermarks, long payloadBytes) {}
}
