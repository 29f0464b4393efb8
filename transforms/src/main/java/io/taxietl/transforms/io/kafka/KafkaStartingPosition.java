package io.taxietl.transforms.io.kafka;

import io.taxietl.transforms.io.StartingPositions;
import java.io.Serializable;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
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

  private static final Map<String, KafkaStartingPosition> KEYWORDS = keywords();

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
    return StartingPositions.parse(
        value,
        "starting position",
        KEYWORDS,
        timestamp -> new KafkaStartingPosition("earliest", timestamp));
  }

  /** The consumer's {@code auto.offset.reset}. */
  public String autoOffsetReset() {
    return autoOffsetReset;
  }

  /** The time to start reading at, or null to start at the group's offsets or the reset policy. */
  public @Nullable Instant timestamp() {
    return timestamp;
  }

  private static Map<String, KafkaStartingPosition> keywords() {
    Map<String, KafkaStartingPosition> keywords = new LinkedHashMap<>();
    keywords.put("EARLIEST", EARLIEST);
    keywords.put("LATEST", LATEST);
    return Collections.unmodifiableMap(keywords);
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
