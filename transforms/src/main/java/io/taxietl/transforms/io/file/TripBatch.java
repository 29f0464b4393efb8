package io.taxietl.transforms.io.file;

import io.taxietl.avro.TripEvent;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Trips of one partition folder and one window, travelling together to the file that holds them
 * (see {@link WriteParquetByEventTime}): the runner groups and buffers one batch where it would
 * otherwise group and buffer each trip.
 */
final class TripBatch {
  private final String partition;
  private final List<TripEvent> trips;

  TripBatch(String partition, List<TripEvent> trips) {
    this.partition = Objects.requireNonNull(partition, "partition");
    this.trips = Collections.unmodifiableList(trips);
  }

  /** The partition folder of every trip in the batch. */
  String partition() {
    return partition;
  }

  List<TripEvent> trips() {
    return trips;
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof TripBatch)) {
      return false;
    }
    TripBatch that = (TripBatch) other;
    return partition.equals(that.partition) && trips.equals(that.trips);
  }

  @Override
  public int hashCode() {
    return Objects.hash(partition, trips);
  }

  @Override
  public String toString() {
    return "TripBatch{" + partition + ", " + trips.size() + " trips}";
  }
}
