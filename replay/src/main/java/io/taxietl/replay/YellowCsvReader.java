package io.taxietl.replay;

import io.taxietl.avro.TripEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Reads yellow-taxi trips from a CSV file (gzip-compressed if its name ends in {@code .gz}) with
 * the snake_case header of the TLC samples: {@code
 * vendor_id,pickup_datetime,dropoff_datetime,passenger_count,...}. Columns are found by header
 * name; {@code congestion_surcharge} and {@code airport_fee} may be missing. Fields are never
 * quoted; an empty field is a missing value; blank lines are skipped. Times are {@code yyyy-MM-dd
 * HH:mm:ss} with optional fractions of a second, naive local time.
 */
final class YellowCsvReader implements TripFileReader, TripColumns.Row {
  private static final List<String> REQUIRED_COLUMNS =
      List.of(
          "vendor_id",
          "pickup_datetime",
          "dropoff_datetime",
          "passenger_count",
          "trip_distance",
          "rate_code_id",
          "store_and_fwd_flag",
          "pickup_location_id",
          "dropoff_location_id",
          "payment_type",
          "fare_amount",
          "extra",
          "mta_tax",
          "tip_amount",
          "tolls_amount",
          "improvement_surcharge",
          "total_amount");

  private static final DateTimeFormatter TIMESTAMP =
      new DateTimeFormatterBuilder()
          .append(DateTimeFormatter.ISO_LOCAL_DATE)
          .appendLiteral(' ')
          .append(DateTimeFormatter.ISO_LOCAL_TIME)
          .toFormatter(Locale.ROOT)
          .withResolverStyle(ResolverStyle.STRICT);

  private static final int BUFFER_BYTES = 1 << 16;

  private final BufferedReader reader;
  private final Map<String, Integer> columnIndex;
  private final int columnCount;
  private String[] fields;

  private YellowCsvReader(BufferedReader reader, String[] header) {
    this.reader = reader;
    this.columnIndex = new HashMap<>();
    for (int i = 0; i < header.length; i++) {
      columnIndex.putIfAbsent(header[i], i);
    }
    this.columnCount = header.length;
  }

  /**
   * Opens the file and reads its header.
   *
   * @throws TripFileException if the file is empty or its header lacks a required column
   */
  static YellowCsvReader open(Path file) throws IOException {
    InputStream in = Files.newInputStream(file);
    try {
      if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz")) {
        in = new GZIPInputStream(in, BUFFER_BYTES);
      }
      BufferedReader reader =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), BUFFER_BYTES);
      return new YellowCsvReader(reader, header(reader.readLine()));
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  private static String[] header(String line) throws TripFileException {
    if (line == null) {
      throw new TripFileException("empty file, expected a CSV header");
    }
    List<String> names = Arrays.stream(line.split(",", -1)).map(String::strip).toList();
    for (String column : REQUIRED_COLUMNS) {
      if (!names.contains(column)) {
        throw new TripFileException(
            "the CSV header has no column "
                + column
                + "; expected the yellow-trip columns "
                + String.join(",", REQUIRED_COLUMNS));
      }
    }
    return names.toArray(String[]::new);
  }

  /** Moves to the next line that is not blank; blank lines are not rows. */
  @Override
  public boolean next() throws IOException {
    String line = reader.readLine();
    while (line != null && line.isBlank()) {
      line = reader.readLine();
    }
    fields = line == null ? null : line.split(",", -1);
    return line != null;
  }

  @Override
  public TripEvent.Builder decode() throws TripFileException {
    if (fields.length != columnCount) {
      throw new TripFileException(
          "expected " + columnCount + " fields as in the header, found " + fields.length);
    }
    return TripColumns.YELLOW.decode(this);
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }

  /**
   * The current row's field in the column, or null if the column is missing or the field is empty.
   */
  @Override
  public String text(String column) {
    Integer index = columnIndex.get(column);
    if (index == null || fields[index].isEmpty()) {
      return null;
    }
    return fields[index];
  }

  @Override
  public Integer wholeNumber(String column) throws TripFileException {
    return FieldValues.parseWholeNumber(text(column), column);
  }

  @Override
  public Double decimal(String column) throws TripFileException {
    return FieldValues.parseDecimal(text(column), column);
  }

  @Override
  public Instant timestamp(String column) throws TripFileException {
    String text = text(column);
    try {
      return text == null ? null : FieldValues.naive(LocalDateTime.parse(text, TIMESTAMP));
    } catch (DateTimeParseException e) {
      throw new TripFileException(
          "column " + column + ": not a yyyy-MM-dd HH:mm:ss time: '" + text + "'");
    }
  }
}
