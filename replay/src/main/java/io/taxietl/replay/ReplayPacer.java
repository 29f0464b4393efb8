package io.taxietl.replay;

/**
 * The schedule of a replay: when each event is due on the wall clock. The first event with a time
 * is due at once and sets the origin; an event {@code d} of event time after it is due {@code d /
 * speedup} after it. A speedup of 0 makes every event due at once. With a maximum wait, a longer
 * gap between two consecutive events is shortened to that wait and the rest of the schedule moves
 * earlier by the difference. Events without a time, or earlier than an event already scheduled, are
 * due at once.
 *
 * <p>All times are nanoseconds of a {@link Ticker}. Not thread-safe.
 */
final class ReplayPacer {
  /** A {@link #maxWaitNanos} that never shortens a gap. */
  static final long NO_MAX_WAIT = Long.MAX_VALUE;

  /** About 31 years: keeps a schedule of old events at a low speedup clear of overflow. */
  private static final double MAX_OFFSET_NANOS = 1e18;

  private final double speedup;
  private final long maxWaitNanos;
  private boolean started;
  private long originEventMillis;
  private long originNanos;
  private long lastDueNanos;

  /**
   * @param speedup event time runs this many times faster than wall time; 0 for as fast as possible
   * @param maxWaitNanos the longest wait between two consecutive events, or {@link #NO_MAX_WAIT}
   */
  ReplayPacer(double speedup, long maxWaitNanos) {
    if (!(speedup >= 0) || Double.isInfinite(speedup)) {
      throw new IllegalArgumentException("speedup must be a finite number >= 0: " + speedup);
    }
    if (maxWaitNanos < 0) {
      throw new IllegalArgumentException("maxWaitNanos must be >= 0: " + maxWaitNanos);
    }
    this.speedup = speedup;
    this.maxWaitNanos = maxWaitNanos;
  }

  /** Whether events are sent as fast as possible, with no schedule. */
  boolean unpaced() {
    return speedup == 0;
  }

  /**
   * Schedules the next event; call once per event, in replay order.
   *
   * @param eventTimeMillis its event time, or {@link ReplayEvent#NO_TIME}
   * @param nowNanos the ticker's time now
   * @return the ticker time at which it is due; at most {@code nowNanos} if it is due already
   */
  long schedule(long eventTimeMillis, long nowNanos) {
    if (unpaced() || eventTimeMillis == ReplayEvent.NO_TIME) {
      return nowNanos;
    }
    if (!started) {
      started = true;
      originEventMillis = eventTimeMillis;
      originNanos = nowNanos;
      lastDueNanos = nowNanos;
      return nowNanos;
    }
    double offsetNanos = (eventTimeMillis - (double) originEventMillis) * 1e6 / speedup;
    long due =
        originNanos + (long) Math.max(-MAX_OFFSET_NANOS, Math.min(MAX_OFFSET_NANOS, offsetNanos));
    if (due > lastDueNanos && due - lastDueNanos > maxWaitNanos) {
      long shortenBy = due - lastDueNanos - maxWaitNanos;
      originNanos -= shortenBy;
      due -= shortenBy;
    }
    lastDueNanos = Math.max(lastDueNanos, due);
    return due;
  }
}
