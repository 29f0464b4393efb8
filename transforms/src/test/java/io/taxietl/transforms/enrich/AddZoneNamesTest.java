package io.taxietl.transforms.enrich;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.taxietl.avro.TripEvent;
import io.taxietl.transforms.TestTrips;
import io.taxietl.transforms.TripEventCoder;
import io.taxietl.transforms.metrics.EtlMetrics;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;

/** Every trip comes out once, with its locations' names, or null names and a counted miss. */
class AddZoneNamesTest {

  @Test
  void everyTripGainsItsLocationsNamesAndAnUnknownIdKeepsItsTripWithNullNames() {
    // A user's table without location 142 (every test trip's dropoff) and without 7.
    ZoneLookup zones =
        table(
            "LocationID,Borough,Zone\n239,Manhattan,Upper West Side South\n"
                + "1,EWR,Newark Airport\n");
    List<TripEvent> trips =
        List.of(
            TestTrips.trip(1, "2019-03-01T00:13:12", 239),
            TestTrips.trip(2, "2019-03-01T01:00:00", 1),
            TestTrips.trip(3, "2019-03-01T02:00:00", 7));

    TestPipeline pipeline = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    PCollection<TripEvent> enriched =
        pipeline
            .apply(Create.of(trips).withCoder(TripEventCoder.of()))
            .apply(AddZoneNames.from(zones));

    PAssert.that(enriched)
        .satisfies(
            out -> {
              Map<Long, TripEvent> byId = new TreeMap<>();
              out.forEach(trip -> byId.put(trip.getTripId(), trip));
              assertThat(byId).containsOnlyKeys(1L, 2L, 3L);
              assertThat(byId.get(1L).getPickupBorough()).isEqualTo("Manhattan");
              assertThat(byId.get(1L).getPickupZone()).isEqualTo("Upper West Side South");
              assertThat(byId.get(2L).getPickupBorough()).isEqualTo("EWR");
              assertThat(byId.get(2L).getPickupZone()).isEqualTo("Newark Airport");
              assertThat(byId.get(3L).getPickupBorough()).isNull();
              assertThat(byId.get(3L).getPickupZone()).isNull();
              for (TripEvent trip : byId.values()) {
                assertThat(trip.getDropoffBorough()).isNull();
                assertThat(trip.getDropoffZone()).isNull();
                // Every other field unchanged.
                TripEvent original = trips.get((int) trip.getTripId() - 1);
                for (int i = 0; i < 22; i++) {
                  assertThat(trip.get(i)).as("field %d", i).isEqualTo(original.get(i));
                }
              }
              return null;
            });
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    // Trip 3's pickup (7) and all three dropoffs (142) are unknown.
    assertThat(TestTrips.counters(result)).containsEntry(EtlMetrics.ZONE_LOOKUP_MISSES, 4L);
    assertThat(trips.get(0).getPickupZone()).as("the input trip is not changed").isNull();
  }

  @Test
  void theBundledTableNamesBothEndsOfATrip() {
    TripEvent trip = TestTrips.trip(9, "2019-03-01T00:13:12", 132);
    TripEvent enriched =
        AddZoneNames.withZoneNames(
            trip, ZoneLookup.bundled(), EtlMetrics.counter(EtlMetrics.ZONE_LOOKUP_MISSES));
    assertThat(enriched.getPickupBorough()).isEqualTo("Queens");
    assertThat(enriched.getPickupZone()).isEqualTo("JFK Airport");
    assertThat(enriched.getDropoffBorough()).isEqualTo("Manhattan");
    assertThat(enriched.getDropoffZone()).isEqualTo("Lincoln Square East");
    assertThat(enriched.getTripId()).isEqualTo(9L);
  }

  private static ZoneLookup table(String csv) {
    try {
      return ZoneLookup.parse(new ByteArrayInputStream(csv.getBytes(UTF_8)), "test table");
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
