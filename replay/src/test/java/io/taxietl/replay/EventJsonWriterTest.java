package io.taxietl.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.taxietl.avro.TripEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class EventJsonWriterTest {

  @Test
  void timeKeepsSecondsAndDropsOnlyAZeroFraction() {
    LocalDateTime time = LocalDateTime.of(2019, 3, 1, 0, 13, 0);

    assertThat(EventJsonWriter.formatTime(FieldValues.naive(time)))
        .isEqualTo("2019-03-01T00:13:00");
    assertThat(EventJsonWriter.formatTime(FieldValues.naive(time.withNano(250_000_000))))
        .isEqualTo("2019-03-01T00:13:00.250");
    assertThat(EventJsonWriter.formatTime(FieldValues.naive(time.withNano(123_456_789))))
        .isEqualTo("2019-03-01T00:13:00.123");
    assertThat(EventJsonWriter.formatTime(FieldValues.naive(time.withNano(999))))
        .isEqualTo("2019-03-01T00:13:00");
  }

  @Test
  void nullAndNonFiniteFieldsAreLeftOutAndEachEventEndsALine() throws IOException {
    TripEvent sparse =
        trip(LocalDateTime.of(2019, 3, 1, 0, 13, 12), 239)
            .setPassengerCount(null)
            .setFareAmount(FieldValues.finite(Double.NaN))
            .setTipAmount(FieldValues.finite(Double.POSITIVE_INFINITY))
            .setTotalAmount(-0.5)
            .setTripId(120190300000001L)
            .setType("yellow")
            .build();
    TripEvent withFee =
        trip(LocalDateTime.of(2023, 1, 1, 0, 26, 10), 166)
            .setAirportFee(1.25)
            .setTripId(220230100000002L)
            .setType("green")
            .build();

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (EventJsonWriter writer = new EventJsonWriter(bytes)) {
      writer.write(sparse);
      writer.write(withFee);
    }

    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"pickup_datetime\":\"2019-03-01T00:13:12\",\"dropoff_datetime\":\"2019-03-01T00:23:12\","
                + "\"pickup_location_id\":239,\"dropoff_location_id\":1,\"total_amount\":-0.5,"
                + "\"trip_id\":120190300000001,\"type\":\"yellow\"}\n"
                + "{\"pickup_datetime\":\"2023-01-01T00:26:10\",\"dropoff_datetime\":\"2023-01-01T00:36:10\","
                + "\"pickup_location_id\":166,\"dropoff_location_id\":1,\"airport_fee\":1.25,"
                + "\"trip_id\":220230100000002,\"type\":\"green\"}\n");
  }

  /** A trip with only the fields every trip has: ten minutes from {@code pickup} to zone 1. */
  private static TripEvent.Builder trip(LocalDateTime pickup, int pickupLocation) {
    Instant start = FieldValues.naive(pickup);
    return TripEvent.newBuilder()
        .setPickupDatetime(start)
        .setDropoffDatetime(start.plusSeconds(600))
        .setPickupLocationId(pickupLocation)
        .setDropoffLocationId(1);
  }
}
