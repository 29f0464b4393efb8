package io.taxietl.benchmarks.jmh;

import io.taxietl.avro.TripEvent;
import io.taxietl.benchmarks.BenchmarkEvents;
import io.taxietl.transforms.parse.ParseOutcome;
import io.taxietl.transforms.parse.TripEventParser;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The first events of the benchmark input, as payloads and as parsed trips, for the
 * microbenchmarks.
 */
final class SampleTrips {
  private SampleTrips() {}

  static List<byte[]> payloads(int count) {
    BenchmarkEvents events = BenchmarkEvents.fromBundledSample();
    List<byte[]> payloads = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      payloads.add(events.payload(i));
    }
    return payloads;
  }

  static List<TripEvent> trips(int count) {
    TripEventParser parser = new TripEventParser(ZoneOffset.UTC);
    List<TripEvent> trips = new ArrayList<>(count);
    for (byte[] payload : payloads(count * 2)) {
      if (trips.size() < count && parser.parse(payload) instanceof ParseOutcome.Trip trip) {
        trips.add(trip.event());
      }
    }
    return trips;
  }
}
