package io.taxietl.transforms.io.file;

import io.taxietl.avro.TripEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;

/**
 * Collects the trips of a bundle into one {@link TripBatch} per window and partition folder, so
 * that the grouping behind each file handles a batch where it handled every trip. A batch leaves
 * when it holds {@code maxTrips} trips, the rest when the bundle finishes: nothing is held across
 * bundles, so a checkpoint (which finishes the bundle first) never misses a trip.
 */
final class BatchTripsFn extends DoFn<TripEvent, TripBatch> {
  private final PartitionTemplate template;
  private final int maxTrips;
  private transient Map<BoundedWindow, Map<String, Pending>> pending;

  BatchTripsFn(PartitionTemplate template, int maxTrips) {
    this.template = template;
    this.maxTrips = maxTrips;
  }

  @StartBundle
  public void startBundle() {
    pending = new HashMap<>();
  }

  @ProcessElement
  public void processElement(
      @Element TripEvent trip,
      @Timestamp Instant timestamp,
      BoundedWindow window,
      OutputReceiver<TripBatch> out) {
    String partition = template.partitionOf(trip);
    Map<String, Pending> ofWindow = pending.computeIfAbsent(window, w -> new HashMap<>());
    Pending batch = ofWindow.computeIfAbsent(partition, p -> new Pending());
    batch.add(trip, timestamp);
    if (batch.trips.size() >= maxTrips) {
      ofWindow.remove(partition);
      out.output(new TripBatch(partition, batch.trips));
    }
  }

  /** Each remaining batch leaves in its window, stamped with its newest trip's timestamp. */
  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    for (Map.Entry<BoundedWindow, Map<String, Pending>> ofWindow : pending.entrySet()) {
      for (Map.Entry<String, Pending> batch : ofWindow.getValue().entrySet()) {
        context.output(
            new TripBatch(batch.getKey(), batch.getValue().trips),
            batch.getValue().newest,
            ofWindow.getKey());
      }
    }
    pending = new HashMap<>();
  }

  /** The trips of one batch so far and the newest timestamp among them. */
  private static final class Pending {
    private final List<TripEvent> trips = new ArrayList<>();
    private Instant newest = BoundedWindow.TIMESTAMP_MIN_VALUE;

    void add(TripEvent trip, Instant timestamp) {
      trips.add(trip);
      if (timestamp.isAfter(newest)) {
        newest = timestamp;
      }
    }
  }
}
