package io.taxietl.transforms.io.file;

import io.taxietl.avro.TripEvent;
import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import org.apache.beam.sdk.io.FileIO;

/** Writes the trips of each {@link TripBatch} through a {@link TripParquetSink}. */
final class TripBatchSink implements FileIO.Sink<TripBatch> {
  private static final long serialVersionUID = 1L;

  private final TripParquetSink trips;

  TripBatchSink(TripParquetSink trips) {
    this.trips = trips;
  }

  @Override
  public void open(WritableByteChannel channel) throws IOException {
    trips.open(channel);
  }

  @Override
  public void write(TripBatch batch) throws IOException {
    for (TripEvent trip : batch.trips()) {
      trips.write(trip);
    }
  }

  @Override
  public void flush() throws IOException {
    trips.flush();
  }
}
