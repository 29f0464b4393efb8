package io.taxietl.testing;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Waits for a condition with a deadline, polling it: the way tests synchronise with servers and
 * jobs (never a fixed sleep). A timeout fails with the description and the last value or error
 * seen.
 */
public final class Await {
  private static final long POLL_MILLIS = 200;

  private Await() {}

  /** Waits until {@code condition} is true; fails after {@code timeout}. */
  public static void until(Callable<Boolean> condition, Duration timeout, String description) {
    value(
        () -> Boolean.TRUE.equals(condition.call()) ? Optional.of(true) : Optional.empty(),
        timeout,
        description);
  }

  /**
   * Waits until {@code probe} returns a value and returns it; fails after {@code timeout}. An
   * exception from the probe counts as "not yet" and is reported if the deadline passes.
   */
  public static <T> T value(Callable<Optional<T>> probe, Duration timeout, String description) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception lastError = null;
    while (true) {
      try {
        Optional<T> value = probe.call();
        if (value.isPresent()) {
          return value.get();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + description, e);
      } catch (Exception e) {
        lastError = e;
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new AssertionError(
            "timed out after "
                + timeout.toSeconds()
                + " s waiting for "
                + description
                + (lastError == null ? "" : " (last error: " + lastError + ")"),
            lastError);
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + description, e);
      }
    }
  }
}
