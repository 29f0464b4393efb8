package io.taxietl.transforms.io.kafka;

import java.io.Serializable;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Where a Kafka read starts when its consumer group has no committed offset: the earliest or latest
 * offset, or the first offset at or after a time.
 */
public final class KafkaStartingPosition implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final KafkaStartingPosition EARLIEST = new KafkaStartingPosition("earliest", null);
  public static final KafkaStartingPosition LATEST = new KafkaStartingPosition("latest", null);

  private final String autoOffsetReset;
  private final @Nullable Instant timestamp;

  private KafkaStartingPosition(String autoOffsetReset, @Nullable Instant timestamp) {
    this.autoOffsetReset = autoOffsetReset;
    this.timestamp = timestamp;
  }

  /**
   * Parses {@code EARLIEST}, {@code LATEST} (any case) or an ISO-8601 instant such as {@code
   * 2019-03-01T00:00:00Z}.
   *
   * @throws IllegalArgumentException naming the value when it is none of these
   */
  public static KafkaStartingPosition parse(String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("starting position is empty");
    }
    switch (value.trim().toUpperCase(Locale.ROOT)) {
      case "EARLIEST":
        return EARLIEST;
      case "LATEST":
        return LATEST;
      default:
        try {
          return new KafkaStartingPosition("earliest", Instant.parse(value.trim()));
        } catch (DateTimeParseException e) {
          throw new IllegalArgumentException(
              "'" + value + "' is neither EARLIEST, LATEST nor an ISO-8601 instant such as 2019-03-01T00:00:00Z");
        }
    }
  }

  /** The consumer's {@code auto.offset.reset}. */
  public String autoOffsetReset() {
    return autoOffsetReset;
  }

  /** The time to start reading at, or null to start at the group's offsets or the reset policy. */
  public @Nullable Instant timestamp() {
    return timestamp;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof KafkaStartingPosition
        && autoOffsetReset.equals(((KafkaStartingPosition) other).autoOffsetReset)
        && Objects.equals(timestamp, ((KafkaStartingPosition) other).timestamp);
  }

  @Override
  public int hashCode() {
    return Objects.hash(autoOffsetReset, timestamp);
  }

  @Override
  public String toString() {
    return timestamp != null ? timestamp.toString() : autoOffsetReset.toUpperCase(Locale.ROOT);
  }
}
