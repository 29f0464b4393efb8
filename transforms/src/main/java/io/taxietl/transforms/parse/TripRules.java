package io.taxietl.transforms.parse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The contract's rules for a trip, applied to the values a payload gave: a replay-tool watermark is
 * not a trip; a field that could not be read, a missing required field, a dropoff before the
 * pickup, a location outside the TLC zone table and a negative distance are rejections, checked in
 * that order.
 */
final class TripRules {
  /** The smallest and largest location ids of the TLC zone table. */
  static final int MIN_LOCATION_ID = 1;

  static final int MAX_LOCATION_ID = 265;

  static final String WATERMARK_TYPE = "watermark";

  private TripRules() {}

  static ParseOutcome judge(TripFields f) {
    if (WATERMARK_TYPE.equals(f.type)) {
      return new ParseOutcome.Watermark();
    }
    if (f.invalid != null) {
      return new ParseOutcome.Rejected(RejectionReason.INVALID_FIELD, f.invalid, f.tripId);
    }
    List<String> missing = missingRequiredFields(f);
    if (!missing.isEmpty()) {
      return new ParseOutcome.Rejected(
          RejectionReason.MISSING_FIELD,
          "required field"
              + (missing.size() > 1 ? "s " : " ")
              + String.join(", ", missing)
              + (missing.size() > 1 ? " are" : " is")
              + " missing or null",
          f.tripId);
    }
    if (f.dropoff < f.pickup) {
      return new ParseOutcome.Rejected(
          RejectionReason.DROPOFF_BEFORE_PICKUP,
          "dropoff_datetime "
              + Instant.ofEpochMilli(f.dropoff)
              + " is before pickup_datetime "
              + Instant.ofEpochMilli(f.pickup),
          f.tripId);
    }
    if (outOfRange(f.pickupLocation) || outOfRange(f.dropoffLocation)) {
      String field = outOfRange(f.pickupLocation) ? "pickup_location_id" : "dropoff_location_id";
      int value = outOfRange(f.pickupLocation) ? f.pickupLocation : f.dropoffLocation;
      return new ParseOutcome.Rejected(
          RejectionReason.LOCATION_OUT_OF_RANGE,
          field + " " + value + " is outside " + MIN_LOCATION_ID + ".." + MAX_LOCATION_ID,
          f.tripId);
    }
    if (f.tripDistance != null && f.tripDistance < 0) {
      return new ParseOutcome.Rejected(
          RejectionReason.NEGATIVE_DISTANCE,
          "trip_distance " + f.tripDistance + " is negative",
          f.tripId);
    }
    return new ParseOutcome.Trip(f.toTripEvent());
  }

  private static List<String> missingRequiredFields(TripFields f) {
    List<String> missing = new ArrayList<>(0);
    if (f.tripId == null) {
      missing.add("trip_id");
    }
    if (f.type == null) {
      missing.add("type");
    }
    if (f.pickup == null) {
      missing.add("pickup_datetime");
    }
    if (f.dropoff == null) {
      missing.add("dropoff_datetime");
    }
    if (f.pickupLocation == null) {
      missing.add("pickup_location_id");
    }
    if (f.dropoffLocation == null) {
      missing.add("dropoff_location_id");
    }
    return missing;
  }

  private static boolean outOfRange(int locationId) {
    return locationId < MIN_LOCATION_ID || locationId > MAX_LOCATION_ID;
  }
}
