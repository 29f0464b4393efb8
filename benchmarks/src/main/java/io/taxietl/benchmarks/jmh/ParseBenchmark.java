package io.taxietl.benchmarks.jmh;

import io.taxietl.transforms.ParseOutcome;
import io.taxietl.transforms.TripEventParser;
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

/** {@link TripEventParser}: one benchmark event (real trip JSON, 1% bad) to a trip or a rejection. */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
@State(Scope.Thread)
public class ParseBenchmark {
  private List<byte[]> payloads;
  private TripEventParser parser;
  private int next;

  @Setup
  public void setup() {
    payloads = SampleTrips.payloads(10_000);
    parser = new TripEventParser(ZoneOffset.UTC);
  }

  @Benchmark
  public ParseOutcome parse() {
    byte[] payload = payloads.get(next);
    next = next + 1 == payloads.size() ? 0 : next + 1;
    return parser.parse(payload);
  }
}
