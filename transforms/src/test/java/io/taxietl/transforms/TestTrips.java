package io.taxietl.transforms;

import io.taxietl.avro.EventSource;
import io.taxietl.avro.RawEvent;
import io.taxietl.avro.TripEvent;
import io.taxietl.transforms.metrics.EtlMetrics;
import java.io.IOException;
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
