package io.taxietl.replay;

import java.util.Comparator;
import java.util.Objects;

/**
 * One line to replay: its bytes as read (without the line end), the record key and the event time
 * that schedules it.
 *
 * @param eventTimeMillis the pickup time in epoch milliseconds, or {@link #NO_TIME} if neither this
 *     line nor any line before it in its input had a readable one
 * @param key the {@code trip_id} as UTF-8 text, or null if the line has no readable one
 * @param value the line, verbatim
 */
record ReplayEvent(long eventTimeMillis, byte[] key, byte[] value) {
  /** The event time of a line that has none to go by: such lines are sent at once. */
  static final long NO_TIME = Long.MIN_VALUE;

  /**
   * Event-time order; {@link java.util.List#sort} keeps equal times in the order they were read.
   */
  static final Comparator<ReplayEvent> BY_EVENT_TIME =
      Comparator.comparingLong(ReplayEvent::eventTimeMillis);

  ReplayEvent {
    Objects.requireNonNull(value, "value");
  }

  boolean hasTime() {
    return eventTimeMillis != NO_TIME;
  }
}
