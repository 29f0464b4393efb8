package io.taxietl.transforms.parse;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reads the event timestamps of the contract without the cost of a {@code DateTimeFormatter}:
 * {@code yyyy-MM-dd}, then {@code T} or a space, then {@code HH:mm[:ss[.fraction]]}, then
 * optionally {@code Z} or an offset {@code +hh[:mm]}/{@code -hh[:mm]}. A timestamp without an
 * offset is read in the given zone.
 */
final class IsoTimestamps {
  private IsoTimestamps() {}

  /**
   * Epoch milliseconds of {@code text}, or null when it is not such a timestamp or not a real date.
   */
  static @Nullable Long toEpochMillis(String text, ZoneId zone) {
    int n = text.length();
    if (n < 16 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(13) != ':') {
      return null;
    }
    char separator = text.charAt(10);
    if (separator != 'T' && separator != ' ' && separator != 't') {
      return null;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 2);
    int day = digits(text, 8, 2);
    int hour = digits(text, 11, 2);
    int minute = digits(text, 14, 2);
    if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0) {
      return null;
    }
    int pos = 16;
    int second = 0;
    int nanos = 0;
    if (pos < n && text.charAt(pos) == ':') {
      second = digits(text, pos + 1, 2);
      if (second < 0) {
        return null;
      }
      pos += 3;
      if (pos < n && (text.charAt(pos) == '.' || text.charAt(pos) == ',')) {
        int start = ++pos;
        while (pos < n && isDigit(text.charAt(pos))) {
          pos++;
        }
        int length = pos - start;
        if (length == 0 || length > 9) {
          return null;
        }
        nanos = digits(text, start, length);
        for (int i = length; i < 9; i++) {
          nanos *= 10;
        }
      }
    }
    ZoneOffset offset = null;
    if (pos < n) {
      offset = offset(text, pos);
      if (offset == null) {
        return null;
      }
    }
    LocalDateTime local;
    try {
      local = LocalDateTime.of(year, month, day, hour, minute, second, nanos);
    } catch (DateTimeException e) {
      return null;
    }
    if (offset == null) {
      return zone instanceof ZoneOffset
          ? local.toInstant((ZoneOffset) zone).toEpochMilli()
          : local.atZone(zone).toInstant().toEpochMilli();
    }
    return local.toInstant(offset).toEpochMilli();
  }

  private static @Nullable ZoneOffset offset(String text, int pos) {
    int n = text.length();
    char sign = text.charAt(pos);
    if ((sign == 'Z' || sign == 'z') && pos + 1 == n) {
      return ZoneOffset.UTC;
    }
    if (sign != '+' && sign != '-') {
      return null;
    }
    int hours = digits(text, pos + 1, 2);
    int minutes = 0;
    int rest = pos + 3;
    if (rest < n) {
      if (text.charAt(rest) == ':') {
        rest++;
      }
      minutes = digits(text, rest, 2);
      rest += 2;
    }
    if (hours < 0 || minutes < 0 || rest != n || hours > 18 || minutes > 59) {
      return null;
    }
    try {
      int total = hours * 3600 + minutes * 60;
      return ZoneOffset.ofTotalSeconds(sign == '-' ? -total : total);
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** The non-negative value of {@code length} ASCII digits at {@code start}, or -1. */
  private static int digits(String text, int start, int length) {
    if (start + length > text.length()) {
      return -1;
    }
    int value = 0;
    for (int i = start; i < start + length; i++) {
      char c = text.charAt(i);
      if (!isDigit(c)) {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
