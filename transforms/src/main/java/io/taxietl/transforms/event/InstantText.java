package io.taxietl.transforms.event;

import java.time.Instant;
import java.time.LocalDate;

/**
 * {@link Instant#toString()}'s text (ISO-8601 UTC, e.g. {@code 2019-03-01T00:13:12Z} or {@code
 * 2019-03-01T00:13:12.345Z}) of an instant in whole milliseconds between 1970 and 9999, written
 * straight into a builder; other instants are written by {@link Instant#toString()} itself. {@code
 * InstantTextTest} compares the two.
 */
final class InstantText {
  private static final long SECONDS_PER_DAY = 86_400;

  /** 10000-01-01T00:00:00Z: from there on the year has five digits and a sign. */
  static final long END_SECONDS = 253_402_300_800L;

  private static final int NANOS_PER_MILLI = 1_000_000;

  private InstantText() {}

  static void append(Instant instant, StringBuilder out) {
    long seconds = instant.getEpochSecond();
    int nanos = instant.getNano();
    if (seconds < 0 || seconds >= END_SECONDS || nanos % NANOS_PER_MILLI != 0) {
      out.append(instant);
      return;
    }
    LocalDate date = LocalDate.ofEpochDay(seconds / SECONDS_PER_DAY);
    int secondOfDay = (int) (seconds % SECONDS_PER_DAY);
    digits(out, date.getYear(), 4).append('-');
    digits(out, date.getMonthValue(), 2).append('-');
    digits(out, date.getDayOfMonth(), 2).append('T');
    digits(out, secondOfDay / 3600, 2).append(':');
    digits(out, secondOfDay / 60 % 60, 2).append(':');
    digits(out, secondOfDay % 60, 2);
    if (nanos != 0) {
      digits(out.append('.'), nanos / NANOS_PER_MILLI, 3);
    }
    out.append('Z');
  }

  /** {@code value} (not negative) with leading zeros to {@code width} digits. */
  private static StringBuilder digits(StringBuilder out, int value, int width) {
    for (int limit = 10, pad = width - 1; pad > 0; limit *= 10, pad--) {
      if (value < limit) {
        out.append('0');
      }
    }
    return out.append(value);
  }
}
