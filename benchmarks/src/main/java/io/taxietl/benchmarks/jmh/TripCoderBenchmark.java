package io.taxietl.benchmarks.jmh;

import io.taxietl.avro.TripEvent;
import io.taxietl.transforms.TripEventCoder;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.util.CoderUtils;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * One trip encoded and decoded again, as the runner does for every trip that crosses a shuffle or
 * is buffered in state: {@code AvroCoder} (before) against {@link TripEventCoder} (after).
 */
public class TripCoderBenchmark extends JmhSettings {
  @Param({"avro", "hand-written"})
  public String coder;

  private Coder<TripEvent> tripCoder;
  private List<TripEvent> trips;
  private int next;

  @Setup
  public void setup() {
    tripCoder = "avro".equals(coder) ? AvroCoder.of(TripEvent.class) : TripEventCoder.of();
    trips = SampleTrips.trips(10_000);
  }

  @Benchmark
  public TripEvent encodeAndDecode() throws CoderException {
    TripEvent trip = trips.get(next);
    next = next + 1 == trips.size() ? 0 : next + 1;
    return CoderUtils.decodeFromByteArray(tripCoder, CoderUtils.encodeToByteArray(tripCoder, trip));
  }
}
