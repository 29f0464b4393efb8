package io.taxietl.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class EventJsonWriterTest {

  @Test
  void timeKeepsSecondsAndDropsOnlyAZeroFraction() {
    LocalDateTime time = LocalDateTime.of(2019, 3, 1, 0, 13, 0);

    assertThat(EventJsonWriter.formatTime(time)).isEqualTo("2019-03-01T00:13:00");
    assertThat(EventJsonWriter.formatTime(time.withNano(250_000_000))).isEqualTo("2019-03-01T00:13:00.250");
    assertThat(EventJsonWriter.formatTime(time.withNano(123_456_789))).isEqualTo("2019-03-01T00:13:00.123");
    assertThat(EventJsonWriter.formatTime(time.withNano(999))).isEqualTo("2019-03-01T00:13:00");
  }

  @Test
  void nullAndNonFiniteFieldsAreLeftOutAndEachEventEndsALine() throws IOException {
    TripRecord sparse =
        TripRecord.builder()
            .pickupDatetime(LocalDateTime.of(2019, 3, 1, 0, 13, 12))
            .passengerCount(null)
            .fareAmount(Double.NaN)
            .tipAmount(Double.POSITIVE_INFINITY)
            .storeAndFwdFlag("")
            .pickupLocationId(239)
            .totalAmount(-0.5)
            .tripId(120190300000001L)
            .type(TripType.YELLOW)
            .build();
    TripRecord withFee =
        TripRecord.builder().airportFee(1.25).tripId(220230100000002L).type(TripType.GREEN).build();

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (EventJsonWriter writer = new EventJsonWriter(bytes)) {
      writer.write(sparse);
      writer.write(withFee);
    }

    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"pickup_datetime\":\"2019-03-01T00:13:12\",\"pickup_location_id\":239,\"total_amount\":-0.5,"
                + "\"trip_id\":120190300000001,\"type\":\"yellow\"}\n"
                + "{\"airport_fee\":1.25,\"trip_id\":220230100000002,\"type\":\"green\"}\n");
  }
}
