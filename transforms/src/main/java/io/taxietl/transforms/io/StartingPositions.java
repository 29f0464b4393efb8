package io.taxietl.transforms.io;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The one syntax of a source's starting position, shared by Kafka's and Kinesis': one of the
 * source's keywords (any case) or an ISO-8601 instant such as {@code 2019-03-01T00:00:00Z}.
 */
public final class StartingPositions {
  private StartingPositions() {}

  /**
   * Parses {@code value} into the position of the keyword it names, or {@code atTime} of the
   * instant it gives.
   *
   * @param what what the value is, for messages ({@code starting position})
   * @param keywords the positions by upper-case keyword, in the order messages list them
   * @throws IllegalArgumentException naming the value when it is empty or neither a keyword nor an
   *     instant
   */
  public static <T> T parse(
      String value, String what, Map<String, T> keywords, Function<Instant, T> atTime) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " is empty");
    }
    String trimmed = value.trim();
    T keyword = keywords.get(trimmed.toUpperCase(Locale.ROOT));
    if (keyword != null) {
      return keyword;
    }
    try {
      return atTime.apply(Instant.parse(trimmed));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'"
              + value
              + "' is neither "
              + String.join(", ", keywords.keySet())
              + " nor an ISO-8601 instant such as 2019-03-01T00:00:00Z");
    }
  }
}
