package io.taxietl.transforms.io.kinesis;

import io.taxietl.transforms.io.StartingPositions;
import java.io.Serializable;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Where a new Kinesis read starts in each shard: the newest record ({@code LATEST}), the oldest
 * record kept ({@code TRIM_HORIZON}), or the first record that arrived at or after a time ({@code
 * AT_TIMESTAMP}).
 */
public final class KinesisStartingPosition implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The kinds of starting position, named as Kinesis names its shard iterator types. */
  public enum Kind {
    LATEST,
    TRIM_HORIZON,
    AT_TIMESTAMP
  }

  public static final KinesisStartingPosition LATEST =
      new KinesisStartingPosition(Kind.LATEST, null);
  public static final KinesisStartingPosition TRIM_HORIZON =
      new KinesisStartingPosition(Kind.TRIM_HORIZON, null);

  private static final Map<String, KinesisStartingPosition> KEYWORDS = keywords();

  private final Kind kind;
  private final @Nullable Instant timestamp;

  private KinesisStartingPosition(Kind kind, @Nullable Instant timestamp) {
    this.kind = kind;
    this.timestamp = timestamp;
  }

  /** The first record that arrived at or after {@code timestamp}. */
  public static KinesisStartingPosition atTimestamp(Instant timestamp) {
    return new KinesisStartingPosition(
        Kind.AT_TIMESTAMP, Objects.requireNonNull(timestamp, "timestamp"));
  }

  /**
   * Parses {@code LATEST}, {@code TRIM_HORIZON} (any case) or an ISO-8601 instant such as {@code
   * 2019-03-01T00:00:00Z}.
   *
   * @throws IllegalArgumentException naming the value when it is none of these
   */
  public static KinesisStartingPosition parse(String value) {
    return StartingPositions.parse(
        value, "initial position", KEYWORDS, KinesisStartingPosition::atTimestamp);
  }

  public Kind kind() {
    return kind;
  }

  /** The time to start at for {@link Kind#AT_TIMESTAMP}, else null. */
  public @Nullable Instant timestamp() {
    return timestamp;
  }

  private static Map<String, KinesisStartingPosition> keywords() {
    Map<String, KinesisStartingPosition> keywords = new LinkedHashMap<>();
    keywords.put("LATEST", LATEST);
    keywords.put("TRIM_HORIZON", TRIM_HORIZON);
    return Collections.unmodifiableMap(keywords);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof KinesisStartingPosition
        && kind == ((KinesisStartingPosition) other).kind
        && Objects.equals(timestamp, ((KinesisStartingPosition) other).timestamp);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, timestamp);
  }

  @Override
  public String toString() {
    return timestamp != null ? timestamp.toString() : kind.name();
  }
}
