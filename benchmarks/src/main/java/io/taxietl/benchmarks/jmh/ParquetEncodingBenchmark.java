package io.taxietl.benchmarks.jmh;

import io.taxietl.avro.TripEvent;
import io.taxietl.transforms.io.file.TripParquetModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Parquet encoding of trips (Avro specific records through parquet-avro with our data model,
 * Snappy) into memory: one file of {@value #ROWS} rows per invocation, reported per row. {@code
 * rowsPerFile} also shows what small files cost: the same rows as files of 30 rows (a partition's
 * share of a 10 s window) instead of one file.
 */
public class ParquetEncodingBenchmark extends JmhSettings {
  static final int ROWS = 3_000;

  @Param({"3000", "30"})
  public int rowsPerFile;

  private List<TripEvent> trips;

  @Setup
  public void setup() {
    trips = SampleTrips.trips(ROWS);
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long writeRows() throws IOException {
    long bytes = 0;
    for (int start = 0; start < ROWS; start += rowsPerFile) {
      InMemoryFile file = new InMemoryFile();
      try (ParquetWriter<TripEvent> writer =
          AvroParquetWriter.<TripEvent>builder(file)
              .withSchema(TripEvent.getClassSchema())
              .withDataModel(TripParquetModel.get())
              .withCompressionCodec(CompressionCodecName.SNAPPY)
              .build()) {
        for (int i = start; i < Math.min(ROWS, start + rowsPerFile); i++) {
          writer.write(trips.get(i));
        }
      }
      bytes += file.bytes.size();
    }
    return bytes;
  }

  /** A Parquet output file in a byte array. */
  static final class InMemoryFile implements OutputFile {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);

    @Override
    public PositionOutputStream create(long blockSizeHint) {
      return new PositionOutputStream() {
        @Override
        public long getPos() {
          return bytes.size();
        }

        @Override
        public void write(int b) {
          bytes.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          bytes.write(b, off, len);
        }
      };
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
      return create(blockSizeHint);
    }

    @Override
    public boolean supportsBlockSize() {
      return false;
    }

    @Override
    public long defaultBlockSize() {
      return 0;
    }
  }
}
