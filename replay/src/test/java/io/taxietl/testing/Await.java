package io.taxietl.testing;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition with a deadline, for tests: the way to wait for a server or a pipeline to have done
 * something, never a fixed sleep. The condition is checked at once and then every few milliseconds.
 */
public final class Await {
  private static final long POLL_MILLIS = 50;

  private Await() {}

  /**
   * Returns once {@code condition} holds.
   *
   * @throws AssertionError naming {@code description} if it does not hold within {@code timeout}
   */
  public static void until(BooleanSupplier condition, Duration timeout, String description) {
    value(() -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty(), timeout, description);
  }

  /**
   * Returns the first value that {@code attempt} gives.
   *
   * @throws AssertionError naming {@code description} if it gives none within {@code timeout}
   */
  public static <T> T value(Supplier<Optional<T>> attempt, Duration timeout, String description) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<T> value = attempt.get();
      if (value.isPresent()) {
        return value.get();
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: " + description);
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for: " + description, e);
      }
    }
  }
}
