package io.taxietl.transforms;

import io.taxietl.avro.TripEvent;
import org.checkerframework.checker.nullness.qual.Nullable;

/** What one payload turned into: a valid trip, a watermark event, or a rejection. */
public sealed interface ParseOutcome {

  /** A payload that parsed and validated into a trip. */
  record Trip(TripEvent event) implements ParseOutcome {}

  /** A replay-tool watermark event: not a trip, counted and skipped. */
  record Watermark() implements ParseOutcome {}

  /**
   * A payload that cannot become a valid trip.
   *
   * @param tripId the trip id when the payload parsed far enough to know it
   */
  record Rejected(RejectionReason reason, String message, @Nullable Long tripId)
      implements ParseOutcome {}
}
