package io.taxietl.replay;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;

/**
 * Reads and checks option values for the commands' option setters. Every error is a {@link
 * UsageException} whose message names the option and the value at fault.
 */
final class OptionValues {
  private static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(7 * 24 * 3600);

  private OptionValues() {}

  /** {@code value}, unless the option was given before ({@code earlier} is set). */
  static <T> T once(String option, T earlier, T value) throws UsageException {
    if (earlier != null) {
      throw new UsageException(option + " is given more than once");
    }
    return value;
  }

  /** A whole number from {@code min} to {@code max}. */
  static long whole(String option, String value, long min, long max) throws UsageException {
    if (!value.matches("[0-9]{1,19}")) {
      throw new UsageException(option + " must be a whole number, got '" + value + "'");
    }
    BigDecimal n = new BigDecimal(value);
    if (n.compareTo(BigDecimal.valueOf(min)) < 0 || n.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw new UsageException(
          option + " must be from " + min + " to " + max + ", got '" + value + "'");
    }
    return n.longValue();
  }

  /** A positive whole number up to {@code max}. */
  static long positive(String option, String value, long max) throws UsageException {
    if (!value.matches("[0-9]{1,18}") || Long.parseLong(value) < 1) {
      throw new UsageException(option + " must be a positive whole number, got '" + value + "'");
    }
    long n = Long.parseLong(value);
    if (n > max) {
      throw new UsageException(option + " must be at most " + max + ", got '" + value + "'");
    }
    return n;
  }

  /** A decimal number in [min, max], or (min, max] if {@code minIncluded} is false. */
  static BigDecimal number(
      String option, String value, BigDecimal min, boolean minIncluded, BigDecimal max)
      throws UsageException {
    BigDecimal n;
    try {
      n = new BigDecimal(value.trim());
    } catch (NumberFormatException e) {
      throw new UsageException(option + " must be a number, got '" + value + "'");
    }
    int fromMin = n.compareTo(min);
    if (fromMin < 0 || (fromMin == 0 && !minIncluded) || n.compareTo(max) > 0) {
      throw new UsageException(
          option
              + " must be "
              + (minIncluded ? "at least " : "more than ")
              + min.toPlainString()
              + " and at most "
              + max.toPlainString()
              + ", got '"
              + value
              + "'");
    }
    return n;
  }

  /** A positive number of seconds, at most a week, in nanoseconds. */
  static long nanos(String option, String value) throws UsageException {
    BigDecimal seconds = number(option, value, BigDecimal.ZERO, false, MAX_SECONDS);
    long nanos = seconds.movePointRight(9).longValue();
    if (nanos < 1_000_000) {
      throw new UsageException(option + " must be at least 0.001 seconds, got '" + value + "'");
    }
    return nanos;
  }

  /** A time zone: a region id or an offset. */
  static ZoneId zone(String option, String value) throws UsageException {
    try {
      return ZoneId.of(value);
    } catch (DateTimeException e) {
      throw new UsageException(
          option
              + " '"
              + value
              + "' is not a time zone: use a region such as America/New_York or an offset such "
              + "as +02:00");
    }
  }

  /** A path, not empty. */
  static Path path(String argument, String value) throws UsageException {
    if (value.isEmpty()) {
      throw new UsageException(argument + " must not be empty");
    }
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw new UsageException(argument + " '" + value + "' is not a valid path: " + e.getReason());
    }
  }

  /** An INPUT: a file that can be read. */
  static Path input(String value) throws UsageException {
    Path path = path("INPUT", value);
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new UsageException("INPUT '" + value + "' is not a readable file");
    }
    return path;
  }
}
