package io.taxietl.pipeline.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgressReporterTest {
  @Test
  void lagsAreShownInAUnitAPersonReads() {
    assertThat(ProgressReporter.formatDuration(850)).isEqualTo("850 ms");
    assertThat(ProgressReporter.formatDuration(9_800)).isEqualTo("9.8 s");
    assertThat(ProgressReporter.formatDuration(150_000)).isEqualTo("2.5 min");
    assertThat(ProgressReporter.formatDuration(5_400_000)).isEqualTo("1.5 h");
    assertThat(ProgressReporter.formatDuration(2_464L * 86_400_000 + 3_600_000))
        .isEqualTo("2,464 days");
  }

  @Test
  void theDeadLetterShareIsOfTheEventsOfThePeriod() {
    ProgressReporter.Period.Values values =
        new ProgressReporter.Period.Values(1_000, 100, 400, 6, Double.NaN, 12.0);
    assertThat(values.deadLetterShare()).isEqualTo("1.5%");
    assertThat(
            new ProgressReporter.Period.Values(1_000, 0, 0, 0, Double.NaN, Double.NaN)
                .deadLetterShare())
        .isEqualTo("n/a");
  }
}
