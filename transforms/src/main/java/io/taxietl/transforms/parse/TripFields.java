package io.taxietl.transforms.parse;

import io.taxietl.avro.TripEvent;
import java.time.Instant;
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

  /** The trip; every required field must be set. */
  TripEvent toTripEvent() {
    return TripEvent.newBuilder()
        .setVendorId(vendorId)
        .setPickupDatetime(Instant.ofEpochMilli(pickup))
        .setDropoffDatetime(Instant.ofEpochMilli(dropoff))
        .setPassengerCount(passengerCount)
        .setTripDistance(tripDistance)
        .setRatecodeId(ratecodeId)
        .setStoreAndFwdFlag(storeAndFwdFlag)
        .setPickupLocationId(pickupLocation)
        .setDropoffLocationId(dropoffLocation)
        .setPaymentType(paymentType)
        .setFareAmount(fareAmount)
        .setExtra(extra)
        .setMtaTax(mtaTax)
        .setTipAmount(tipAmount)
        .setTollsAmount(tollsAmount)
        .setImprovementSurcharge(improvementSurcharge)
        .setTotalAmount(totalAmount)
        .setCongestionSurcharge(congestionSurcharge)
        .setAirportFee(airportFee)
        .setTripId(tripId)
        .setType(type)
        .setPadding(padding)
        .build();
  }
}
