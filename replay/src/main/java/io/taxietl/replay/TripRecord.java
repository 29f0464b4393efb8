package io.taxietl.replay;

import java.time.LocalDateTime;
import java.util.Objects;

/**
 * One taxi trip as an input event carries it (docs/input-events.md). Every field but {@code tripId} and
 * {@code type} may be null, meaning the source left it empty; such fields are absent from the event, never 0.
 * Times are naive local wall-clock times, as in the TLC files. Amounts are never NaN or infinite: the
 * {@link Builder} turns those into null.
 *
 * @param vendorId TLC vendor id
 * @param pickupDatetime local pickup time
 * @param dropoffDatetime local drop-off time
 * @param passengerCount number of passengers
 * @param tripDistance miles
 * @param ratecodeId TLC rate code
 * @param storeAndFwdFlag {@code Y} or {@code N}
 * @param pickupLocationId TLC zone of the pickup
 * @param dropoffLocationId TLC zone of the drop-off
 * @param paymentType TLC payment type
 * @param fareAmount dollars
 * @param extra dollars
 * @param mtaTax dollars
 * @param tipAmount dollars
 * @param tollsAmount dollars
 * @param improvementSurcharge dollars
 * @param totalAmount dollars
 * @param congestionSurcharge dollars
 * @param airportFee dollars
 * @param tripId the deterministic id from {@link TripIds}
 * @param type the kind of trip, which gives the event's {@code type}
 */
record TripRecord(
    Integer vendorId,
    LocalDateTime pickupDatetime,
    LocalDateTime dropoffDatetime,
    Integer passengerCount,
    Double tripDistance,
    Integer ratecodeId,
    String storeAndFwdFlag,
    Integer pickupLocationId,
    Integer dropoffLocationId,
    Integer paymentType,
    Double fareAmount,
    Double extra,
    Double mtaTax,
    Double tipAmount,
    Double tollsAmount,
    Double improvementSurcharge,
    Double totalAmount,
    Double congestionSurcharge,
    Double airportFee,
    long tripId,
    TripType type) {

  TripRecord {
    Objects.requireNonNull(type, "type");
  }

  /** A builder with every field unset (null). */
  static Builder builder() {
    return new Builder();
  }

  /** Collects the fields of one trip; a file reader sets the trip fields, the converter the id and type. */
  static final class Builder {
    private Integer vendorId;
    private LocalDateTime pickupDatetime;
    private LocalDateTime dropoffDatetime;
    private Integer passengerCount;
    private Double tripDistance;
    private Integer ratecodeId;
    private String storeAndFwdFlag;
    private Integer pickupLocationId;
    private Integer dropoffLocationId;
    private Integer paymentType;
    private Double fareAmount;
    private Double extra;
    private Double mtaTax;
    private Double tipAmount;
    private Double tollsAmount;
    private Double improvementSurcharge;
    private Double totalAmount;
    private Double congestionSurcharge;
    private Double airportFee;
    private long tripId;
    private TripType type;

    private Builder() {}

    Builder vendorId(Integer value) {
      vendorId = value;
      return this;
    }

    Builder pickupDatetime(LocalDateTime value) {
      pickupDatetime = value;
      return this;
    }

    Builder dropoffDatetime(LocalDateTime value) {
      dropoffDatetime = value;
      return this;
    }

    Builder passengerCount(Integer value) {
      passengerCount = value;
      return this;
    }

    Builder tripDistance(Double value) {
      tripDistance = finite(value);
      return this;
    }

    Builder ratecodeId(Integer value) {
      ratecodeId = value;
      return this;
    }

    Builder storeAndFwdFlag(String value) {
      storeAndFwdFlag = value == null || value.isEmpty() ? null : value;
      return this;
    }

    Builder pickupLocationId(Integer value) {
      pickupLocationId = value;
      return this;
    }

    Builder dropoffLocationId(Integer value) {
      dropoffLocationId = value;
      return this;
    }

    Builder paymentType(Integer value) {
      paymentType = value;
      return this;
    }

    Builder fareAmount(Double value) {
      fareAmount = finite(value);
      return this;
    }

    Builder extra(Double value) {
      extra = finite(value);
      return this;
    }

    Builder mtaTax(Double value) {
      mtaTax = finite(value);
      return this;
    }

    Builder tipAmount(Double value) {
      tipAmount = finite(value);
      return this;
    }

    Builder tollsAmount(Double value) {
      tollsAmount = finite(value);
      return this;
    }

    Builder improvementSurcharge(Double value) {
      improvementSurcharge = finite(value);
      return this;
    }

    Builder totalAmount(Double value) {
      totalAmount = finite(value);
      return this;
    }

    Builder congestionSurcharge(Double value) {
      congestionSurcharge = finite(value);
      return this;
    }

    Builder airportFee(Double value) {
      airportFee = finite(value);
      return this;
    }

    Builder tripId(long value) {
      tripId = value;
      return this;
    }

    Builder type(TripType value) {
      type = value;
      return this;
    }

    TripRecord build() {
      return new TripRecord(
          vendorId,
          pickupDatetime,
          dropoffDatetime,
          passengerCount,
          tripDistance,
          ratecodeId,
          storeAndFwdFlag,
          pickupLocationId,
          dropoffLocationId,
          paymentType,
          fareAmount,
          extra,
          mtaTax,
          tipAmount,
          tollsAmount,
          improvementSurcharge,
          totalAmount,
          congestionSurcharge,
          airportFee,
          tripId,
          type);
    }

    private static Double finite(Double value) {
      return value == null || !Double.isFinite(value) ? null : value;
    }
  }
}
