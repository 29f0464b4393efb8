package io.taxietl.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.YearMonth;
import org.junit.jupiter.api.Test;

class TripIdsTest {

  @Test
  void idIsTypeThenMonthThenRow() {
    assertThat(TripIds.tripId(TripType.YELLOW, YearMonth.of(2019, 3), 1))
        .isEqualTo(120190300000001L);
    assertThat(TripIds.tripId(TripType.GREEN, YearMonth.of(2023, 1), 68_211))
        .isEqualTo(220230100068211L);
    assertThat(TripIds.tripId(TripType.YELLOW, YearMonth.of(2019, 12), TripIds.MAX_ROW_NUMBER))
        .isEqualTo(120191299999999L);
  }

  @Test
  void rowNumberMustFitEightDigits() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> TripIds.tripId(TripType.YELLOW, YearMonth.of(2019, 3), 100_000_000L));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> TripIds.tripId(TripType.YELLOW, YearMonth.of(2019, 3), 0));
  }

  @Test
  void monthComesFromUnderscoreYearDashMonthDot() {
    assertThat(TripIds.monthOfFileName("yellow_tripdata_sample_2019-08.csv.gz"))
        .contains(YearMonth.of(2019, 8));
    assertThat(TripIds.monthOfFileName("green_tripdata_2023-01.parquet"))
        .contains(YearMonth.of(2023, 1));
    assertThat(TripIds.monthOfFileName("fhv_2021-02_tripdata_2019-05.csv"))
        .contains(YearMonth.of(2019, 5));
  }

  @Test
  void nameWithoutMonthHasNone() {
    assertThat(TripIds.monthOfFileName("yellow_tripdata.csv")).isEmpty();
    assertThat(TripIds.monthOfFileName("yellow_tripdata_2019-13.csv")).isEmpty();
    assertThat(TripIds.monthOfFileName("yellow_tripdata_2019-08csv")).isEmpty();
    assertThat(TripIds.monthOfFileName("yellow-2019-08.csv")).isEmpty();
  }
}
