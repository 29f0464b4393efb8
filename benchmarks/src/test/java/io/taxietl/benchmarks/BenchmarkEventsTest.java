package io.taxietl.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.taxietl.transforms.parse.ParseOutcome;
import io.taxietl.transforms.parse.TripEventParser;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BenchmarkEventsTest {
  private static final BenchmarkEvents EVENTS = BenchmarkEvents.fromBundledSample();

  @Test
  void repeatsTheWholeSampleWithAFreshTripIdForEveryEvent() {
    assertThat(EVENTS.sampleSize()).isEqualTo(19_745);
    TripEventParser parser = new TripEventParser(ZoneOffset.UTC);
    Set<Long> ids = new HashSet<>();
    int trips = 0;
    for (long i = 0; i < 2 * 19_745L; i++) {
      if (parser.parse(EVENTS.payload(i)) instanceof ParseOutcome.Trip trip) {
        trips++;
        assertThat(trip.event().getTripId()).isEqualTo(BenchmarkEvents.FIRST_TRIP_ID + i);
        ids.add(trip.event().getTripId());
      }
    }
    assertThat(ids).hasSize(trips);
    // The same sample line twice: the same trip but for the id.
    String first = new String(EVENTS.payload(0), StandardCharsets.UTF_8);
    String again = new String(EVENTS.payload(19_745), StandardCharsets.UTF_8);
    assertThat(again.replace(Long.toString(BenchmarkEvents.FIRST_TRIP_ID + 19_745), "ID"))
        .isEqualTo(first.replace(Long.toString(BenchmarkEvents.FIRST_TRIP_ID), "ID"));
  }

  @Test
  void aboutOnePercentAreBadAndTheExpectedCountsAddUp() {
    BenchmarkEvents.Expected expected = EVENTS.expected(30_000);
    assertThat(expected.rows() + expected.deadLetters() + expected.watermarks()).isEqualTo(30_000);
    assertThat(expected.deadLetters()).isBetween(300L, 330L);
    assertThat(expected.payloadBytes()).isGreaterThan(30_000L * 300);
  }

  @Test
  void eachKindOfBadEventIsRejectedForItsReason() {
    TripEventParser parser = new TripEventParser(ZoneOffset.UTC);
    assertThat(parser.parse(EVENTS.payload(50)))
        .isInstanceOfSatisfying(
            ParseOutcome.Rejected.class,
            r -> assertThat(r.reason().name()).isEqualTo("MALFORMED_JSON"));
    assertThat(parser.parse(EVENTS.payload(150)))
        .isInstanceOfSatisfying(
            ParseOutcome.Rejected.class,
            r -> assertThat(r.reason().name()).isEqualTo("MISSING_FIELD"));
    assertThat(parser.parse(EVENTS.payload(250)))
        .isInstanceOfSatisfying(
            ParseOutcome.Rejected.class,
            r -> assertThat(r.reason().name()).isEqualTo("LOCATION_OUT_OF_RANGE"));
  }
}
