package io.taxietl.benchmarks.jmh;

import io.taxietl.avro.TripEvent;
import io.taxietl.transforms.io.file.TripParquetModel;
import io.taxietl.transforms.io.file.TripParquetSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.util.SerializableUtils;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The file sink of {@code WriteParquetByEventTime}, the way FileIO drives it: per file a copy of
 * the sink (FileIO clones it per destination), open on a channel, write the rows, flush. {@code
 * parquetio} is Beam's {@code ParquetIO.sink} (before), {@code ours} is {@link TripParquetSink}
 * (after). 30 rows per file is a partition's share of a window of this stream; reported per row.
 */
public class ParquetSinkBenchmark extends JmhSettings {
  static final int ROWS = 3_000;

  @Param({"parquetio", "ours"})
  public String sink;

  @Param({"30", "3000"})
  public int rowsPerFile;

  private List<TripEvent> trips;
  private FileIO.Sink<TripEvent> prototype;

  @Setup
  @SuppressWarnings("unchecked")
  public void setup() {
    trips = SampleTrips.trips(ROWS);
    if (sink.equals("ours")) {
      prototype = TripParquetSink.withCompression(CompressionCodecName.SNAPPY);
    } else {
      FileIO.Sink<GenericRecord> parquetIo =
          ParquetIO.sink(TripEvent.getClassSchema())
              .withAvroDataModel(TripParquetModel.get())
              .withCompressionCodec(CompressionCodecName.SNAPPY);
      prototype = (FileIO.Sink<TripEvent>) (FileIO.Sink<?>) parquetIo;
    }
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long writeFiles() throws IOException {
    long bytes = 0;
    for (int start = 0; start < ROWS; start += rowsPerFile) {
      FileIO.Sink<TripEvent> copy = SerializableUtils.clone(prototype);
      ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
      try (WritableByteChannel channel = Channels.newChannel(out)) {
        copy.open(channel);
        for (int i = start; i < Math.min(ROWS, start + rowsPerFile); i++) {
          copy.write(trips.get(i));
        }
        copy.flush();
      }
      bytes += out.size();
    }
    return bytes;
  }
}
