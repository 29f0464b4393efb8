package io.taxietl.transforms;

import io.taxietl.avro.EventSource;
import io.taxietl.avro.RawEvent;
import io.taxietl.avro.TripEvent;
import io.taxietl.transforms.metrics.EtlMetrics;
import io.taxietl.transforms.parse.ParseOutcome;
import io.taxietl.transforms.parse.TripEventParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/** Builders and readers shared by the transform tests. */
public final class TestTrips {
  private static final Path SAMPLE =
      Path.of("..", "pipeline", "src", "main", "resources", "sample", "taxi-trips-sample.jsonl.gz");

  private TestTrips() {}

  /** A valid yellow trip picked up at {@code pickup} (naive, UTC) lasting ten minutes. */
  public static TripEvent trip(long tripId, String pickup, int pickupLocation) {
    Instant start = LocalDateTime.parse(pickup).toInstant(ZoneOffset.UTC);
    return TripEvent.newBuilder()
        .setTripId(tripId)
        .setType("yellow")
        .setPickupDatetime(start)
        .setDropoffDatetime(start.plusSeconds(600))
        .setPickupLocationId(pickupLocation)
        .setDropoffLocationId(142)
        .setTripDistance(1.5)
        .setTotalAmount(12.3)
        .build();
  }

  /** A trip with only the required fields set. */
  public static TripEvent onlyRequiredFields() {
    return TripEvent.newBuilder()
        .setPickupDatetime(Instant.parse("2019-08-01T00:00:00.123Z"))
        .setDropoffDatetime(Instant.parse("2019-08-01T00:10:00Z"))
        .setPickupLocationId(1)
        .setDropoffLocationId(265)
        .setTripId(Long.MAX_VALUE)
        .setType("yellow")
        .build();
  }

  /** A trip with every field set, to values at the edges of their types. */
  public static TripEvent everyFieldSet() {
    return TripEvent.newBuilder(onlyRequiredFields())
        .setVendorId(2)
        .setPassengerCount(0)
        .setTripDistance(-0.0)
        .setRatecodeId(99)
        .setStoreAndFwdFlag("Y")
        .setPaymentType(-1)
        .setFareAmount(Double.MAX_VALUE)
        .setExtra(Double.NaN)
        .setMtaTax(0.5)
        .setTipAmount(1e-9)
        .setTollsAmount(6.12)
        .setImprovementSurcharge(0.3)
        .setTotalAmount(-52.8)
        .setCongestionSurcharge(2.5)
        .setAirportFee(1.25)
        .setPadding("\u00fc\u20ac")
        .build();
  }

  /** The valid trips of the sample bundled with the pipeline, parsed by our parser (UTC). */
  public static List<TripEvent> sampleTrips() {
    TripEventParser parser = new TripEventParser(ZoneOffset.UTC);
    List<TripEvent> trips = new ArrayList<>();
    try (InputStream in = new GZIPInputStream(Files.newInputStream(SAMPLE));
        BufferedReader lines =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (parser.parse(line.getBytes(StandardCharsets.UTF_8))
            instanceof ParseOutcome.Trip parsed) {
          trips.add(parsed.event());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return trips;
  }

  /**
   * The sample's valid trips, then trips with edge values: every field set, only the required ones,
   * and one whose strings hold characters that JSON escapes and whose numbers and timestamps take
   * the JSON writer's general paths.
   */
  public static List<TripEvent> sampleAndEdgeTrips() {
    List<TripEvent> trips = new ArrayList<>(sampleTrips());
    trips.add(everyFieldSet());
    trips.add(onlyRequiredFields());
    trips.add(
        TripEvent.newBuilder(everyFieldSet())
            .setTripId(-1L)
            .setType("Ye\"l/l\\o\tw\u0001\u007f \u00c9\u20ac\u2028")
            .setPickupZone("Stuy Town/Peter Cooper Village")
            .setPadding("\u0000\u001f")
            .setPickupDatetime(Instant.parse("1969-12-31T23:59:59.999Z"))
            .setDropoffDatetime(Instant.parse("2019-03-01T00:13:12.010Z"))
            .setTripDistance(12345.67)
            .setFareAmount(0.1 + 0.2)
            .setExtra(Double.POSITIVE_INFINITY)
            .setMtaTax(1e-300)
            .setTipAmount(-0.05)
            .setTollsAmount(Double.NEGATIVE_INFINITY)
            .setTotalAmount(9999.99)
            .build());
    return trips;
  }

  public static RawEvent rawFromFile(String payload, String file, long line) {
    return raw(payload.getBytes(StandardCharsets.UTF_8), file, line);
  }

  public static RawEvent raw(byte[] payload, String file, long line) {
    return RawEvent.newBuilder()
        .setPayload(ByteBuffer.wrap(payload))
        .setOrigin(
            EventSource.newBuilder().setSource("file").setFile(file).setLineNumber(line).build())
        .build();
  }

  /** The committed counters of {@link EtlMetrics}' namespace after a run, by name. */
  public static Map<String, Long> counters(PipelineResult result) {
    Map<String, Long> counters = new TreeMap<>();
    List<MetricResult<Long>> results = new ArrayList<>();
    result
        .metrics()
        .queryMetrics(
            MetricsFilter.builder()
                .addNameFilter(MetricNameFilter.inNamespace(EtlMetrics.NAMESPACE))
                .build())
        .getCounters()
        .forEach(results::add);
    results.forEach(r -> counters.merge(r.getName().getName(), r.getCommitted(), Long::sum));
    return counters;
  }

  /** Every Parquet file below {@code folder}, relative to it. */
  public static List<Path> parquetFiles(Path folder) {
    try (Stream<Path> files = Files.walk(folder)) {
      return files
          .filter(file -> file.getFileName().toString().endsWith(".parquet"))
          .map(folder::relativize)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The records of one Parquet file, read with parquet-avro's own reader. */
  public static List<GenericRecord> readParquet(Path file) {
    List<GenericRecord> records = new ArrayList<>();
    try (ParquetReader<GenericRecord> reader =
        AvroParquetReader.<GenericRecord>builder(
                HadoopInputFile.fromPath(
                    new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))
            .build()) {
      GenericRecord record;
      while ((record = reader.read()) != null) {
        records.add(record);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return records;
  }
}
