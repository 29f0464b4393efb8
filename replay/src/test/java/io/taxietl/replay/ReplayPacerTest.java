package io.taxietl.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The replay schedule: when each event is due. */
class ReplayPacerTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long T0 = 1_551_399_192_000L;
  private static final long NOW = 5_000 * SECOND;

  @Test
  void firstEventIsDueAtOnceAndGapsAreDividedBySpeedup() {
    ReplayPacer pacer = new ReplayPacer(10, ReplayPacer.NO_MAX_WAIT);

    assertThat(pacer.schedule(T0, NOW)).isEqualTo(NOW);
    assertThat(pacer.schedule(T0 + 10_000, NOW)).isEqualTo(NOW + SECOND);
    assertThat(pacer.schedule(T0 + 30_000, NOW + SECOND)).isEqualTo(NOW + 3 * SECOND);
    assertThat(pacer.schedule(T0 + 30_000, NOW + 3 * SECOND)).isEqualTo(NOW + 3 * SECOND);
  }

  @Test
  void fractionalSpeedupStretchesGaps() {
    ReplayPacer pacer = new ReplayPacer(0.5, ReplayPacer.NO_MAX_WAIT);

    pacer.schedule(T0, NOW);

    assertThat(pacer.schedule(T0 + 1_500, NOW)).isEqualTo(NOW + 3 * SECOND);
  }

  @Test
  void scheduleFollowsEventTimeNotWhenTheEventWasSent() {
    ReplayPacer pacer = new ReplayPacer(1, ReplayPacer.NO_MAX_WAIT);
    pacer.schedule(T0, NOW);

    // Sent late: the next event is still due on the original schedule, so the replay catches up.
    assertThat(pacer.schedule(T0 + 1_000, NOW + 5 * SECOND)).isEqualTo(NOW + SECOND);
    assertThat(pacer.schedule(T0 + 2_000, NOW + 5 * SECOND)).isEqualTo(NOW + 2 * SECOND);
  }

  @Test
  void speedupZeroMakesEveryEventDueNow() {
    ReplayPacer pacer = new ReplayPacer(0, ReplayPacer.NO_MAX_WAIT);

    assertThat(pacer.unpaced()).isTrue();
    assertThat(pacer.schedule(T0, NOW)).isEqualTo(NOW);
    assertThat(pacer.schedule(T0 + 3_600_000, NOW + 7)).isEqualTo(NOW + 7);
  }

  @Test
  void eventWithoutTimeIsDueNowAndDoesNotStartTheSchedule() {
    ReplayPacer pacer = new ReplayPacer(1, ReplayPacer.NO_MAX_WAIT);

    assertThat(pacer.schedule(ReplayEvent.NO_TIME, NOW)).isEqualTo(NOW);
    assertThat(pacer.schedule(T0, NOW + SECOND)).isEqualTo(NOW + SECOND);
    assertThat(pacer.schedule(T0 + 2_000, NOW + SECOND)).isEqualTo(NOW + 3 * SECOND);
  }

  @Test
  void earlierEventIsDueAtOnce() {
    ReplayPacer pacer = new ReplayPacer(1, ReplayPacer.NO_MAX_WAIT);
    pacer.schedule(T0, NOW);
    pacer.schedule(T0 + 5_000, NOW);

    assertThat(pacer.schedule(T0 + 1_000, NOW + 5 * SECOND)).isLessThanOrEqualTo(NOW + 5 * SECOND);
  }

  @Test
  void maxWaitCutsLongGapsShortAndMovesTheRestOfTheScheduleUp() {
    ReplayPacer pacer = new ReplayPacer(1, 5 * SECOND);

    assertThat(pacer.schedule(T0, NOW)).isEqualTo(NOW);
    assertThat(pacer.schedule(T0 + 2_000, NOW)).isEqualTo(NOW + 2 * SECOND);
    assertThat(pacer.schedule(T0 + 3_600_000, NOW)).isEqualTo(NOW + 7 * SECOND);
    assertThat(pacer.schedule(T0 + 3_603_000, NOW)).isEqualTo(NOW + 10 * SECOND);
  }

  @Test
  void yearsOfEventTimeAtLowSpeedupDoNotOverflow() {
    ReplayPacer pacer = new ReplayPacer(0.001, ReplayPacer.NO_MAX_WAIT);
    pacer.schedule(0, NOW);

    assertThat(pacer.schedule(T0, NOW)).isGreaterThan(NOW + 1_000 * SECOND);
  }

  @Test
  void negativeOrNonFiniteSpeedupIsRefused() {
    assertThatThrownBy(() -> new ReplayPacer(-1, ReplayPacer.NO_MAX_WAIT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ReplayPacer(Double.NaN, ReplayPacer.NO_MAX_WAIT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ReplayPacer(Double.POSITIVE_INFINITY, ReplayPacer.NO_MAX_WAIT))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
