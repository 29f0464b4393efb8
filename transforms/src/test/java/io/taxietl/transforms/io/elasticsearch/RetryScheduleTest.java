package io.taxietl.transforms.io.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {
  private static Duration s(long seconds) {
    return Duration.standardSeconds(seconds);
  }

  @Test
  void doublesEachWaitUpToTheCapAndStopsAtTheRetryCount() {
    assertThat(RetrySchedule.of(8, s(1000), s(1), s(30)).waits())
        .containsExactly(s(1), s(2), s(4), s(8), s(16), s(30), s(30), s(30));
  }

  @Test
  void shortensTheLastWaitToFitTheTotalDuration() {
    RetrySchedule schedule = RetrySchedule.of(8, s(120), s(1), s(30));
    assertThat(schedule.waits())
        .containsExactly(s(1), s(2), s(4), s(8), s(16), s(30), s(30), s(29));
    assertThat(schedule.totalWait()).isEqualTo(s(120));
    assertThat(RetrySchedule.of(8, s(10), s(1), s(30)).waits())
        .containsExactly(s(1), s(2), s(4), s(3));
  }

  @Test
  void zeroRetriesOrZeroDurationMeansNoRetry() {
    assertThat(RetrySchedule.of(0, s(120), s(1), s(30)).retries()).isZero();
    assertThat(RetrySchedule.of(5, Duration.ZERO, s(1), s(30)).retries()).isZero();
  }

  @Test
  void refusesNegativeOrInconsistentBounds() {
    assertThatThrownBy(() -> RetrySchedule.of(-1, s(1), s(1), s(1)))
        .hasMessageContaining("maxRetries");
    assertThatThrownBy(() -> RetrySchedule.of(1, s(1), s(5), s(1)))
        .hasMessageContaining("initialWait");
  }
}
