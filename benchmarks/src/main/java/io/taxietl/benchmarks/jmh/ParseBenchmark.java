package io.taxietl.benchmarks.jmh;

import io.taxietl.transforms.parse.ParseOutcome;
import io.taxietl.transforms.parse.TripEventParser;
import java.time.ZoneOffset;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * {@link TripEventParser}: one benchmark event (real trip JSON, 1% bad) to a trip or a rejection.
 */
public class ParseBenchmark extends JmhSettings {
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
