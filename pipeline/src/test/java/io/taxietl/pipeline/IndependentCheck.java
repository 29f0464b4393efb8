package io.taxietl.pipeline;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The contract's validation rules re-stated over a Jackson tree, as an oracle for real-data lines
 * written by {@code replay convert} (naive ISO timestamps, all required fields present).
 * Independent of the pipeline's own parser on purpose.
 */
final class IndependentCheck {
  private IndependentCheck() {}

  /** The reason the event must be rejected for, or null when it is a valid trip. */
  static String rejection(JsonNode event) {
    for (String required :
        new String[] {
          "trip_id",
          "type",
          "pickup_datetime",
          "dropoff_datetime",
          "pickup_location_id",
          "dropoff_location_id"
        }) {
      if (!event.hasNonNull(required)) {
        return "MISSING_FIELD";
      }
    }
    // Same format on both sides, so the strings order like the times.
    if (event.get("dropoff_datetime").asText().compareTo(event.get("pickup_datetime").asText())
        < 0) {
      return "DROPOFF_BEFORE_PICKUP";
    }
    for (String location : new String[] {"pickup_location_id", "dropoff_location_id"}) {
      int id = event.get(location).asInt();
      if (id < 1 || id > 265) {
        return "LOCATION_OUT_OF_RANGE";
      }
    }
    if (event.has("trip_distance") && event.get("trip_distance").asDouble() < 0) {
      return "NEGATIVE_DISTANCE";
    }
    return null;
  }
}
