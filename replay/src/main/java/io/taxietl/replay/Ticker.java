package io.taxietl.replay;

/**
 * The wall clock that paces a replay, injectable so that pacing can be tested without waiting:
 * tests pass a virtual clock whose {@link #sleep} only moves its time on.
 */
interface Ticker {

  /** The real clock: {@link System#nanoTime()} and {@link Thread#sleep}. */
  Ticker SYSTEM =
      new Ticker() {
        @Override
        public long nanoTime() {
          return System.nanoTime();
        }

        @Override
        public void sleep(long nanos) throws InterruptedException {
          if (nanos > 0) {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
          }
        }
      };

  /**
   * A monotonic time in nanoseconds, as {@link System#nanoTime()}: only differences mean anything.
   */
  long nanoTime();

  /** Waits about {@code nanos} nanoseconds; returns at once if it is not positive. */
  void sleep(long nanos) throws InterruptedException;
}
