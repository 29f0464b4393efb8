package io.taxietl.transforms.io.file;

import static io.taxietl.transforms.TestTrips.trip;
import static org.assertj.core.api.Assertions.assertThat;

import io.taxietl.avro.TripEvent;
import io.taxietl.transforms.TripEventCoder;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Batches hold trips of one window and one partition folder, never more than the limit, and every
 * trip lands in exactly one batch.
 */
class BatchTripsFnTest {
  private static final Duration WINDOW = Duration.standardSeconds(10);
  private static final Instant START = new Instant(1_700_000_000_000L);
  private static final PartitionTemplate BY_LOCATION =
      PartitionTemplate.parse("pickup_location={pickup_location_id:%03d}", ZoneOffset.UTC);

  @Test
  void eachBatchHoldsTripsOfOneWindowAndOneFolderUpToTheLimit() {
    TestPipeline pipeline = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    List<TimestampedValue<TripEvent>> arrivals = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      arrivals.add(TimestampedValue.of(trip(i, "2019-03-01T00:00:00", 7), START.plus(i)));
    }
    arrivals.add(TimestampedValue.of(trip(10, "2019-03-01T00:00:00", 8), START.plus(5)));
    arrivals.add(
        TimestampedValue.of(trip(20, "2019-03-01T00:00:00", 7), START.plus(WINDOW).plus(1)));
    TestStream<TripEvent> stream =
        TestStream.create(TripEventCoder.of())
            .advanceWatermarkTo(START)
            .addElements(
                arrivals.get(0),
                arrivals.subList(1, arrivals.size()).toArray(TimestampedValue[]::new))
            .advanceWatermarkToInfinity();

    PCollection<TripBatch> batches =
        pipeline
            .apply(stream)
            .apply(Window.into(FixedWindows.of(WINDOW)))
            .apply(ParDo.of(new BatchTripsFn(BY_LOCATION, 2)))
            .setCoder(TripBatchCoder.of(BY_LOCATION));

    IntervalWindow first = new IntervalWindow(START, WINDOW);
    PAssert.that(batches)
        .inWindow(first)
        .satisfies(
            inFirst -> {
              List<Long> location7 = new ArrayList<>();
              for (TripBatch batch : inFirst) {
                assertThat(batch.trips()).hasSizeBetween(1, 2);
                for (TripEvent trip : batch.trips()) {
                  assertThat(BY_LOCATION.partitionOf(trip)).isEqualTo(batch.partition());
                  if (trip.getPickupLocationId() == 7) {
                    location7.add(trip.getTripId());
                  }
                }
              }
              assertThat(location7).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L);
              assertThat(inFirst)
                  .filteredOn(b -> b.partition().equals("pickup_location=008"))
                  .singleElement()
                  .satisfies(
                      b ->
                          assertThat(b.trips())
                              .extracting(TripEvent::getTripId)
                              .containsExactly(10L));
              return null;
            });
    PAssert.that(batches)
        .inWindow(new IntervalWindow(first.end(), WINDOW))
        .satisfies(
            inSecond -> {
              assertThat(inSecond)
                  .singleElement()
                  .satisfies(
                      b -> {
                        assertThat(b.partition()).isEqualTo("pickup_location=007");
                        assertThat(b.trips()).extracting(TripEvent::getTripId).containsExactly(20L);
                      });
              return null;
            });
    pipeline.run().waitUntilFinish();
  }
}
