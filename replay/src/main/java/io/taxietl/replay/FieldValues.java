package io.taxietl.replay;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Conversions of TLC field values shared by the file readers; errors name the column and the value.
 */
final class FieldValues {
  private FieldValues() {}

  /**
   * A naive TLC wall-clock time as a {@link io.taxietl.avro.TripEvent} carries it: the instant of
   * the same reading in UTC, which {@link EventJsonWriter} writes back without an offset.
   */
  static Instant naive(LocalDateTime time) {
    return time == null ? null : time.toInstant(ZoneOffset.UTC);
  }

  /**
   * A number that may stand in a trip: NaN and infinities, which no trip field holds, become null.
   */
  static Double finite(Double value) {
    return value == null || !Double.isFinite(value) ? null : value;
  }

  /**
   * A whole number held as a double, as the TLC Parquet files hold ids and counts ({@code 1.0} is
   * 1).
   *
   * @return null for NaN, which pandas writes for a missing value
   * @throws TripFileException if the value has a fraction or does not fit an int
   */
  static Integer wholeNumber(double value, String column) throws TripFileException {
    if (Double.isNaN(value)) {
      return null;
    }
    if (value != Math.rint(value) || value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw new TripFileException("column " + column + ": not a whole number: " + value);
    }
    return (int) value;
  }

  /**
   * A whole number written as text: {@code 1}, or {@code 1.0} as some TLC files write it.
   *
   * @return null for null or empty text
   */
  static Integer parseWholeNumber(String text, String column) throws TripFileException {
    if (text == null || text.isEmpty()) {
      return null;
    }
    try {
      return Integer.valueOf(text);
    } catch (NumberFormatException notAnInt) {
      return wholeNumber(parseDouble(text, column), column);
    }
  }

  /**
   * A decimal number written as text.
   *
   * @return null for null or empty text, NaN or an infinity
   */
  static Double parseDecimal(String text, String column) throws TripFileException {
    return text == null || text.isEmpty() ? null : finite(parseDouble(text, column));
  }

  private static double parseDouble(String text, String column) throws TripFileException {
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new TripFileException("column " + column + ": not a number: '" + text + "'");
    }
  }
}
