package io.taxietl.transforms.io.elasticsearch;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.joda.time.Duration;

/**
 * The waits before each retry of a document that failed for a transient reason: exponential backoff
 * (doubling from an initial wait, each wait capped), at most {@code maxRetries} retries, and no
 * more waiting in total than {@code maxDuration} (the last wait is shortened to fit), like the
 * bounds of ElasticsearchIO's own {@code RetryConfiguration}.
 */
public final class RetrySchedule implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<Duration> waits;

  private RetrySchedule(List<Duration> waits) {
    this.waits = waits;
  }

  public static RetrySchedule of(
      int maxRetries, Duration maxDuration, Duration initialWait, Duration maxWait) {
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must not be negative, was " + maxRetries);
    }
    if (maxDuration.isShorterThan(Duration.ZERO)) {
      throw new IllegalArgumentException("maxDuration must not be negative, was " + maxDuration);
    }
    if (!initialWait.isLongerThan(Duration.ZERO) || maxWait.isShorterThan(initialWait)) {
      throw new IllegalArgumentException(
          "initialWait must be positive and at most maxWait, were "
              + initialWait
              + " and "
              + maxWait);
    }
    List<Duration> waits = new ArrayList<>();
    long left = maxDuration.getMillis();
    long wait = initialWait.getMillis();
    for (int i = 0; i < maxRetries && left > 0; i++) {
      long next = Math.min(Math.min(wait, maxWait.getMillis()), left);
      waits.add(Duration.millis(next));
      left -= next;
      wait = Math.min(wait * 2, maxWait.getMillis());
    }
    return new RetrySchedule(List.copyOf(waits));
  }

  /** The wait before retry 1, 2, ...; its size is the number of retries. */
  public List<Duration> waits() {
    return waits;
  }

  public int retries() {
    return waits.size();
  }

  /** The sum of all waits. */
  public Duration totalWait() {
    return Duration.millis(waits.stream().mapToLong(Duration::getMillis).sum());
  }

  @Override
  public String toString() {
    return waits.toString();
  }
}
