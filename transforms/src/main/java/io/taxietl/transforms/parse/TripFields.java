package io.taxietl.transforms.parse;

import io.taxietl.avro.TripEvent;
import java.time.Instant;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The values one payload gave, as {@link TripJsonReader} read them (timestamps in epoch
 * milliseconds, absent and empty values as null), and the first field whose value could not be
 * read. What {@link TripRules} judge.
 */
final class TripFields {
  @Nullable Long tripId;
  @Nullable String type;
  @Nullable Long pickup;
  @Nullable Long dropoff;
  @Nullable Integer pickupLocation;
  @Nullable Integer dropoffLocation;
  @Nullable Integer vendorId;
  @Nullable Integer passengerCount;
  @Nullable Integer ratecodeId;
  @Nullable Integer paymentType;
  @Nullable Double tripDistance;
  @Nullable Double fareAmount;
  @Nullable Double extra;
  @Nullable Double mtaTax;
  @Nullable Double tipAmount;
  @Nullable Double tollsAmount;
  @Nullable Double improvementSurcharge;
  @Nullable Double totalAmount;
  @Nullable Double congestionSurcharge;
  @Nullable Double airportFee;
  @Nullable String storeAndFwdFlag;
  @Nullable String padding;

  /** Why the first unreadable field could not be read, e.g. {@code field trip_id: expected ...}. */
  @Nullable String invalid;

  /**
   * The trip; every required field must be set. Filled field by field, not through Avro's builder,
   * whose per-record field array, validation and copies of unset fields' defaults cost more than
   * reading the common payload; the zone names stay null until the enrichment sets them.
   */
  TripEvent toTripEvent() {
    TripEvent trip = new TripEvent();
    trip.put(Position.TRIP_ID, Objects.requireNonNull(tripId, "trip_id"));
    trip.put(Position.TYPE, Objects.requireNonNull(type, "type"));
    trip.put(Position.VENDOR_ID, vendorId);
    trip.put(
        Position.PICKUP, Instant.ofEpochMilli(Objects.requireNonNull(pickup, "pickup_datetime")));
    trip.put(
        Position.DROPOFF,
        Instant.ofEpochMilli(Objects.requireNonNull(dropoff, "dropoff_datetime")));
    trip.put(Position.PASSENGER_COUNT, passengerCount);
    trip.put(Position.TRIP_DISTANCE, tripDistance);
    trip.put(Position.RATECODE_ID, ratecodeId);
    trip.put(Position.STORE_AND_FWD_FLAG, storeAndFwdFlag);
    trip.put(
        Position.PICKUP_LOCATION, Objects.requireNonNull(pickupLocation, "pickup_location_id"));
    trip.put(
        Position.DROPOFF_LOCATION, Objects.requireNonNull(dropoffLocation, "dropoff_location_id"));
    trip.put(Position.PAYMENT_TYPE, paymentType);
    trip.put(Position.FARE_AMOUNT, fareAmount);
    trip.put(Position.EXTRA, extra);
    trip.put(Position.MTA_TAX, mtaTax);
    trip.put(Position.TIP_AMOUNT, tipAmount);
    trip.put(Position.TOLLS_AMOUNT, tollsAmount);
    trip.put(Position.IMPROVEMENT_SURCHARGE, improvementSurcharge);
    trip.put(Position.TOTAL_AMOUNT, totalAmount);
    trip.put(Position.CONGESTION_SURCHARGE, congestionSurcharge);
    trip.put(Position.AIRPORT_FEE, airportFee);
    trip.put(Position.PADDING, padding);
    return trip;
  }

  /** Each field's position in the trip record (apart from the values, which tests list). */
  private static final class Position {
    static final int TRIP_ID = position("trip_id");
    static final int TYPE = position("type");
    static final int VENDOR_ID = position("vendor_id");
    static final int PICKUP = position("pickup_datetime");
    static final int DROPOFF = position("dropoff_datetime");
    static final int PASSENGER_COUNT = position("passenger_count");
    static final int TRIP_DISTANCE = position("trip_distance");
    static final int RATECODE_ID = position("ratecode_id");
    static final int STORE_AND_FWD_FLAG = position("store_and_fwd_flag");
    static final int PICKUP_LOCATION = position("pickup_location_id");
    static final int DROPOFF_LOCATION = position("dropoff_location_id");
    static final int PAYMENT_TYPE = position("payment_type");
    static final int FARE_AMOUNT = position("fare_amount");
    static final int EXTRA = position("extra");
    static final int MTA_TAX = position("mta_tax");
    static final int TIP_AMOUNT = position("tip_amount");
    static final int TOLLS_AMOUNT = position("tolls_amount");
    static final int IMPROVEMENT_SURCHARGE = position("improvement_surcharge");
    static final int TOTAL_AMOUNT = position("total_amount");
    static final int CONGESTION_SURCHARGE = position("congestion_surcharge");
    static final int AIRPORT_FEE = position("airport_fee");
    static final int PADDING = position("padding");

    private static int position(String field) {
      return TripEvent.getClassSchema().getField(field).pos();
    }
  }
}
