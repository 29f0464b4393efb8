package io.taxietl.transforms.parse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The fields of the event contract that a trip reads, by JSON name, in the order the bundled sample
 * and the replay tool write them, and how each one's value is read into {@link TripFields}. Any
 * other name is an unknown field, which readers skip.
 */
enum TripField {
  VENDOR_ID("vendor_id"),
  PICKUP_DATETIME("pickup_datetime"),
  DROPOFF_DATETIME("dropoff_datetime"),
  PASSENGER_COUNT("passenger_count"),
  TRIP_DISTANCE("trip_distance"),
  RATECODE_ID("ratecode_id"),
  STORE_AND_FWD_FLAG("store_and_fwd_flag"),
  PICKUP_LOCATION_ID("pickup_location_id"),
  DROPOFF_LOCATION_ID("dropoff_location_id"),
  PAYMENT_TYPE("payment_type"),
  FARE_AMOUNT("fare_amount"),
  EXTRA("extra"),
  MTA_TAX("mta_tax"),
  TIP_AMOUNT("tip_amount"),
  TOLLS_AMOUNT("tolls_amount"),
  IMPROVEMENT_SURCHARGE("improvement_surcharge"),
  TOTAL_AMOUNT("total_amount"),
  CONGESTION_SURCHARGE("congestion_surcharge"),
  AIRPORT_FEE("airport_fee"),
  TRIP_ID("trip_id"),
  TYPE("type"),
  PADDING("padding");

  private static final TripField[] ALL = values();
  private static final Map<String, TripField> BY_NAME = new HashMap<>();

  static {
    for (TripField field : ALL) {
      BY_NAME.put(field.jsonName, field);
    }
  }

  private final String jsonName;
  private final byte[] asciiName;

  TripField(String jsonName) {
    this.jsonName = jsonName;
    this.asciiName = jsonName.getBytes(StandardCharsets.US_ASCII);
  }

  /** The field named {@code name}, or null for an unknown field. */
  static @Nullable TripField named(String name) {
    return BY_NAME.get(name);
  }

  /** The field whose name is the bytes {@code [start, end)} of {@code json}, or null. */
  static @Nullable TripField named(byte[] json, int start, int end) {
    for (TripField field : ALL) {
      if (Arrays.equals(field.asciiName, 0, field.asciiName.length, json, start, end)) {
        return field;
      }
    }
    return null;
  }

  /**
   * Whether the JSON string whose characters start at {@code json[at]} is this field's name: its
   * bytes, then the closing quote (a name that needs no escape sequence).
   */
  boolean isNameAt(byte[] json, int at) {
    int quote = at + asciiName.length;
    if (quote >= json.length || json[quote] != '"') {
      return false;
    }
    // A plain loop: for names this short, faster than Arrays.equals over ranges.
    for (int i = 0; i < asciiName.length; i++) {
      if (json[at + i] != asciiName[i]) {
        return false;
      }
    }
    return true;
  }

  /** The length of this field's name, in bytes. */
  int nameLength() {
    return asciiName.length;
  }

  /** The field that comes after this one in the usual order, or null after the last. */
  @Nullable TripField next() {
    return ordinal() + 1 < ALL.length ? ALL[ordinal() + 1] : null;
  }

  /** Reads {@code value} as this field's value into {@code f}. */
  void read(ScannedValue value, TripFields f, ZoneId zone) throws IOException {
    String name = jsonName;
    switch (this) {
      case TRIP_ID:
        f.tripId = JsonFieldValues.readLong(name, value, f);
        break;
      case TYPE:
        f.type = JsonFieldValues.readString(name, value, f);
        break;
      case PICKUP_DATETIME:
        f.pickup = JsonFieldValues.readTimestamp(name, value, f, zone);
        break;
      case DROPOFF_DATETIME:
        f.dropoff = JsonFieldValues.readTimestamp(name, value, f, zone);
        break;
      case PICKUP_LOCATION_ID:
        f.pickupLocation = JsonFieldValues.readInt(name, value, f);
        break;
      case DROPOFF_LOCATION_ID:
        f.dropoffLocation = JsonFieldValues.readInt(name, value, f);
        break;
      case VENDOR_ID:
        f.vendorId = JsonFieldValues.readInt(name, value, f);
        break;
      case PASSENGER_COUNT:
        f.passengerCount = JsonFieldValues.readInt(name, value, f);
        break;
      case RATECODE_ID:
        f.ratecodeId = JsonFieldValues.readInt(name, value, f);
        break;
      case PAYMENT_TYPE:
        f.paymentType = JsonFieldValues.readInt(name, value, f);
        break;
      case TRIP_DISTANCE:
        f.tripDistance = JsonFieldValues.readDouble(name, value, f);
        break;
      case FARE_AMOUNT:
        f.fareAmount = JsonFieldValues.readDouble(name, value, f);
        break;
      case EXTRA:
        f.extra = JsonFieldValues.readDouble(name, value, f);
        break;
      case MTA_TAX:
        f.mtaTax = JsonFieldValues.readDouble(name, value, f);
        break;
      case TIP_AMOUNT:
        f.tipAmount = JsonFieldValues.readDouble(name, value, f);
        break;
      case TOLLS_AMOUNT:
        f.tollsAmount = JsonFieldValues.readDouble(name, value, f);
        break;
      case IMPROVEMENT_SURCHARGE:
        f.improvementSurcharge = JsonFieldValues.readDouble(name, value, f);
        break;
      case TOTAL_AMOUNT:
        f.totalAmount = JsonFieldValues.readDouble(name, value, f);
        break;
      case CONGESTION_SURCHARGE:
        f.congestionSurcharge = JsonFieldValues.readDouble(name, value, f);
        break;
      case AIRPORT_FEE:
        f.airportFee = JsonFieldValues.readDouble(name, value, f);
        break;
      case STORE_AND_FWD_FLAG:
        f.storeAndFwdFlag = JsonFieldValues.readString(name, value, f);
        break;
      case PADDING:
        f.padding = JsonFieldValues.readString(name, value, f);
        break;
      default:
        throw new IllegalStateException("no reader for field " + name);
    }
  }
}
