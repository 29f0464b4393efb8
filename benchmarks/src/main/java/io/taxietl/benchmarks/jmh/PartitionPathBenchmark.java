package io.taxietl.benchmarks.jmh;

import io.taxietl.avro.TripEvent;
import io.taxietl.options.ParquetOutputOptions;
import io.taxietl.transforms.io.file.PartitionTemplate;
import java.time.ZoneOffset;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/** {@link PartitionTemplate#partitionOf} with the default layout, for real trips. */
public class PartitionPathBenchmark extends JmhSettings {
  private List<TripEvent> trips;
  private PartitionTemplate template;
  private int next;

  @Setup
  public void setup() {
    trips = SampleTrips.trips(10_000);
    template =
        PartitionTemplate.parse(ParquetOutputOptions.DEFAULT_PARTITION_TEMPLATE, ZoneOffset.UTC);
  }

  @Benchmark
  public String partitionOf() {
    TripEvent trip = trips.get(next);
    next = next + 1 == trips.size() ? 0 : next + 1;
    return template.partitionOf(trip);
  }
}
