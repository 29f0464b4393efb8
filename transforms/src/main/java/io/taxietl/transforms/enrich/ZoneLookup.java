package io.taxietl.transforms.enrich;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.apache.beam.sdk.io.FileSystems;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The TLC taxi zone lookup: the borough and zone name of each location id, held in memory (the
 * TLC's table has 265 rows, about 10 KB).
 *
 * <p>The file is the TLC's {@code taxi_zone_lookup.csv} (plain or gzip): a header naming at least
 * the columns {@code LocationID}, {@code Borough} and {@code Zone} (any case, any order, other
 * columns ignored), then one row per location; values may be quoted as in RFC 4180, lines may end
 * in CRLF. An empty borough or zone becomes null. The TLC's own table (1 to 265) is bundled; {@link
 * #read} reads another one from any path Beam's file systems know ({@code s3://}, local).
 */
public final class ZoneLookup implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The TLC's table, as the TLC publishes it (see docs/enrichment.md). */
  public static final String BUNDLED = "taxi_zone_lookup.csv.gz";

  /** Location ids above this are refused: the TLC's go to 265, and the table is held as arrays. */
  static final int MAX_LOCATION_ID = 100_000;

  private final String source;
  private final String[] boroughs;
  private final String[] zones;
  private final boolean[] known;
  private final int size;

  private ZoneLookup(String source, String[] boroughs, String[] zones, boolean[] known, int size) {
    this.source = source;
    this.boroughs = boroughs;
    this.zones = zones;
    this.known = known;
    this.size = size;
  }

  /** The TLC's table bundled with the pipeline. */
  public static ZoneLookup bundled() {
    try (InputStream in = ZoneLookup.class.getResourceAsStream(BUNDLED)) {
      if (in == null) {
        throw new IllegalStateException("the bundled zone lookup " + BUNDLED + " is missing");
      }
      return parse(in, "the bundled " + BUNDLED);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundled zone lookup", e);
    }
  }

  /**
   * Reads the table at {@code path} ({@code s3://bucket/key} or a local file) through Beam's file
   * systems, which must be set up for the pipeline's options first.
   *
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException if it is not a zone lookup, saying where and why
   */
  public static ZoneLookup read(String path) throws IOException {
    try (InputStream in =
        Channels.newInputStream(
            FileSystems.open(FileSystems.matchSingleFileSpec(path).resourceId()))) {
      return parse(in, path);
    }
  }

  /**
   * Parses a table; {@code source} names it in error messages.
   *
   * @throws IllegalArgumentException if it is not a zone lookup, naming the line and why
   */
  public static ZoneLookup parse(InputStream raw, String source) throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw);
    in.mark(2);
    boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
    in.reset();
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(gzip ? new GZIPInputStream(in) : in, UTF_8));
    String header = lines.readLine();
    if (header == null) {
      throw new IllegalArgumentException(source + " is empty: expected a zone lookup CSV");
    }
    if (header.startsWith("\uFEFF")) {
      header = header.substring(1);
    }
    List<String> columns = CsvLine.split(header);
    int idColumn = column(columns, "locationid", source);
    int boroughColumn = column(columns, "borough", source);
    int zoneColumn = column(columns, "zone", source);
    int needed = Math.max(idColumn, Math.max(boroughColumn, zoneColumn)) + 1;

    List<int[]> ids = new ArrayList<>();
    List<String[]> names = new ArrayList<>();
    int maxId = 0;
    int lineNumber = 1;
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      List<String> values = CsvLine.split(line);
      if (values.size() < needed) {
        throw new IllegalArgumentException(
            source + " line " + lineNumber + ": " + values.size() + " columns, expected " + needed);
      }
      int id = locationId(values.get(idColumn), source, lineNumber);
      maxId = Math.max(maxId, id);
      ids.add(new int[] {id, lineNumber});
      names.add(
          new String[] {
            emptyToNull(values.get(boroughColumn)), emptyToNull(values.get(zoneColumn))
          });
    }
    if (ids.isEmpty()) {
      throw new IllegalArgumentException(source + " has a header but no locations");
    }
    String[] boroughs = new String[maxId + 1];
    String[] zones = new String[maxId + 1];
    boolean[] seen = new boolean[maxId + 1];
    for (int i = 0; i < ids.size(); i++) {
      int id = ids.get(i)[0];
      if (seen[id]) {
        throw new IllegalArgumentException(
            source + " line " + ids.get(i)[1] + ": location id " + id + " appears twice");
      }
      seen[id] = true;
      boroughs[id] = names.get(i)[0];
      zones[id] = names.get(i)[1];
    }
    return new ZoneLookup(source, boroughs, zones, seen, ids.size());
  }

  /** Whether the table has a row for {@code locationId}. */
  public boolean knows(int locationId) {
    return locationId > 0 && locationId < known.length && known[locationId];
  }

  /** The borough of {@code locationId}, or null if the table has none. */
  public @Nullable String borough(int locationId) {
    return locationId > 0 && locationId < boroughs.length ? boroughs[locationId] : null;
  }

  /** The zone name of {@code locationId}, or null if the table has none. */
  public @Nullable String zone(int locationId) {
    return locationId > 0 && locationId < zones.length ? zones[locationId] : null;
  }

  /** How many locations the table has. */
  public int size() {
    return size;
  }

  /** Where the table came from: a path, or the bundled resource. */
  public String source() {
    return source;
  }

  private static int column(List<String> header, String name, String source) {
    for (int i = 0; i < header.size(); i++) {
      if (header.get(i).trim().toLowerCase(Locale.ROOT).equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException(
        source
            + ": the header "
            + header
            + " has no column "
            + name
            + " (a zone lookup needs LocationID, Borough and Zone)");
  }

  private static int locationId(String value, String source, int lineNumber) {
    int id;
    try {
      id = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          source + " line " + lineNumber + ": LocationID '" + value + "' is not a whole number");
    }
    if (id < 1 || id > MAX_LOCATION_ID) {
      throw new IllegalArgumentException(
          source
              + " line "
              + lineNumber
              + ": LocationID "
              + id
              + " is outside 1.."
              + MAX_LOCATION_ID);
    }
    return id;
  }

  private static @Nullable String emptyToNull(String value) {
    String trimmed = value.trim();
    return trimmed.isEmpty() ? null : trimmed;
  }
}
