package io.taxietl.benchmarks.jmh;

import io.taxietl.avro.TripEvent;
import io.taxietl.options.ParquetOutputOptions;
import io.taxietl.transforms.PartitionTemplate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** {@link PartitionTemplate#partitionOf} with the default layout, for real trips. */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
@State(Scope.Thread)
public class PartitionPathBenchmark {
  private List<TripEvent> trips;
  private PartitionTemplate template;
  private int next;

  @Setup
  public void setup() {
    trips = SampleTrips.trips(10_000);
    template = PartitionTemplate.parse(ParquetOutputOptions.DEFAULT_PARTITION_TEMPLATE, ZoneOffset.UTC);
  }

  @Benchmark
  public String partitionOf() {
    TripEvent trip = trips.get(next);
    next = next + 1 == trips.size() ? 0 : next + 1;
    return template.partitionOf(trip);
  }
}
