package io.taxietl.testing;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Waits for a condition with a deadline, polling it: the way tests synchronise with servers and jobs
 * instead of sleeping for a guessed time.
 */
public final class Await {
  private static final long POLL_MILLIS = 200;

  private Await() {}

  /**
   * Returns once {@code condition} is true; fails with {@code description} when {@code timeout}
   * passes first. An exception thrown by the condition counts as "not yet" (a server that is still
   * starting refuses connections) and is attached to the failure if the deadline passes.
   */
  public static void until(Callable<Boolean> condition, Duration timeout, String description) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (true) {
      try {
        if (Boolean.TRUE.equals(condition.call())) {
          return;
        }
        last = null;
      } catch (Exception e) {
        last = e;
      }
      if (System.nanoTime() - deadline > 0) {
        AssertionError failure =
            new AssertionError("timed out after " + timeout.toSeconds() + " s waiting until " + description);
        if (last != null) {
          failure.initCause(last);
        }
        throw failure;
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting until " + description, e);
      }
    }
  }
}
