package io.taxietl.replay;

import java.util.ArrayList;
import java.util.List;

/**
 * A clock for pacing tests: {@link #sleep} moves its time on at once and remembers how long it
 * slept.
 */
final class VirtualTicker implements Ticker {
  private long now = 1_000_000_000_000L;
  private final List<Long> sleeps = new ArrayList<>();

  @Override
  public long nanoTime() {
    return now;
  }

  @Override
  public void sleep(long nanos) {
    if (nanos > 0) {
      sleeps.add(nanos);
      now += nanos;
    }
  }

  /** Moves the time on without sleeping, as a slow call would. */
  void advance(long nanos) {
    now += nanos;
  }

  List<Long> sleeps() {
    return sleeps;
  }

  long totalSleptNanos() {
    return sleeps.stream().mapToLong(Long::longValue).sum();
  }
}
