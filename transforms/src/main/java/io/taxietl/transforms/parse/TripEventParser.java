package io.taxietl.transforms.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.taxietl.avro.TripEvent;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Turns one event payload (UTF-8 JSON) into a {@link TripEvent}, a watermark, or a rejection with one
 * of the contract's reasons.
 *
 * <p>It accepts what the original AWS sample accepted: timestamps as ISO-8601 with {@code T} or a
 * space, optional fraction and offset, or epoch milliseconds; numbers as JSON numbers or numeric
 * strings; absent, {@code null} or empty optional fields as null. Unknown fields are ignored. After a
 * check that the bytes are well-formed UTF-8, the parser is a single pass over Jackson's token
 * stream; it throws only for bugs, never for bad input.
 */
public final class TripEventParser implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The smallest and largest location ids of the TLC zone table. */
  public static final int MIN_LOCATION_ID = 1;

  public static final int MAX_LOCATION_ID = 265;

  static final String WATERMARK_TYPE = "watermark";
  private static final int MAX_VALUE_IN_MESSAGE = 60;

  private final ZoneId zone;
  private transient @Nullable JsonFactory jsonFactory;

  public TripEventParser(ZoneId zone) {
    this.zone = zone;
  }

  public ParseOutcome parse(byte[] payload) {
    // Jackson neither rejects overlong forms and encoded surrogates nor insists on UTF-8 (it would
    // read UTF-16 and UTF-32 too), so the bytes are checked before they are parsed.
    int invalid = firstInvalidByte(payload);
    if (invalid >= 0) {
      return new ParseOutcome.Rejected(
          RejectionReason.MALFORMED_JSON,
          String.format(
              Locale.ROOT,
              "not valid UTF-8 JSON: unexpected byte 0x%02X at offset %d",
              payload[invalid] & 0xff,
              invalid),
          null);
    }
    Fields fields = new Fields();
    try (JsonParser json = factory().createParser(payload)) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        return new ParseOutcome.Rejected(
            RejectionReason.MALFORMED_JSON, "payload is not a JSON object", null);
      }
      JsonToken token;
      while ((token = json.nextToken()) == JsonToken.FIELD_NAME) {
        String name = json.currentName();
        json.nextToken();
        readField(name, json, fields);
      }
      if (token != JsonToken.END_OBJECT || json.nextToken() != null) {
        return new ParseOutcome.Rejected(
            RejectionReason.MALFORMED_JSON, "unexpected content after the JSON object", null);
      }
    } catch (JsonProcessingException e) {
      return new ParseOutcome.Rejected(
          RejectionReason.MALFORMED_JSON, "not valid JSON: " + e.getOriginalMessage(), null);
    } catch (IOException e) {
      // Parsing an in-memory byte array performs no I/O: anything else is a bug and must surface.
      throw new IllegalStateException("unexpected I/O error while parsing an in-memory payload", e);
    }
    return toOutcome(fields);
  }

  /**
   * The offset of the first byte that cannot start a well-formed UTF-8 sequence (RFC 3629) there,
   * or of a NUL byte, which no UTF-8 JSON text contains unescaped; -1 when there is none.
   */
  private static int firstInvalidByte(byte[] bytes) {
    int i = 0;
    while (i < bytes.length) {
      int lead = bytes[i] & 0xff;
      if (lead >= 0x01 && lead <= 0x7f) {
        i++;
        continue;
      }
      int continuations;
      int secondMin = 0x80;
      int secondMax = 0xbf;
      if (lead >= 0xc2 && lead <= 0xdf) {
        continuations = 1;
      } else if (lead >= 0xe0 && lead <= 0xef) {
        continuations = 2;
        secondMin = lead == 0xe0 ? 0xa0 : 0x80; // no overlong forms
        secondMax = lead == 0xed ? 0x9f : 0xbf; // no surrogates
      } else if (lead >= 0xf0 && lead <= 0xf4) {
        continuations = 3;
        secondMin = lead == 0xf0 ? 0x90 : 0x80; // no overlong forms
        secondMax = lead == 0xf4 ? 0x8f : 0xbf; // nothing above U+10FFFF
      } else {
        return i;
      }
      if (i + continuations >= bytes.length) {
        return i;
      }
      int second = bytes[i + 1] & 0xff;
      if (second < secondMin || second > secondMax) {
        return i;
      }
      for (int k = 2; k <= continuations; k++) {
        if ((bytes[i + k] & 0xc0) != 0x80) {
          return i;
        }
      }
      i += continuations + 1;
    }
    return -1;
  }

  private JsonFactory factory() {
    JsonFactory factory = jsonFactory;
    if (factory == null) {
      factory =
          JsonFactory.builder()
              .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
              .build();
      jsonFactory = factory;
    }
    return factory;
  }

  private void readField(String name, JsonParser json, Fields f) throws IOException {
    switch (name) {
      case "trip_id":
        f.tripId = readLong(name, json, f);
        break;
      case "type":
        f.type = readString(name, json, f);
        break;
      case "pickup_datetime":
        f.pickup = readTimestamp(name, json, f);
        break;
      case "dropoff_datetime":
        f.dropoff = readTimestamp(name, json, f);
        break;
      case "pickup_location_id":
        f.pickupLocation = readInt(name, json, f);
        break;
      case "dropoff_location_id":
        f.dropoffLocation = readInt(name, json, f);
        break;
      case "vendor_id":
        f.vendorId = readInt(name, json, f);
        break;
      case "passenger_count":
        f.passengerCount = readInt(name, json, f);
        break;
      case "ratecode_id":
        f.ratecodeId = readInt(name, json, f);
        break;
      case "payment_type":
        f.paymentType = readInt(name, json, f);
        break;
      case "trip_distance":
        f.tripDistance = readDouble(name, json, f);
        break;
      case "fare_amount":
        f.fareAmount = readDouble(name, json, f);
        break;
      case "extra":
        f.extra = readDouble(name, json, f);
        break;
      case "mta_tax":
        f.mtaTax = readDouble(name, json, f);
        break;
      case "tip_amount":
        f.tipAmount = readDouble(name, json, f);
        break;
      case "tolls_amount":
        f.tollsAmount = readDouble(name, json, f);
        break;
      case "improvement_surcharge":
        f.improvementSurcharge = readDouble(name, json, f);
        break;
      case "total_amount":
        f.totalAmount = readDouble(name, json, f);
        break;
      case "congestion_surcharge":
        f.congestionSurcharge = readDouble(name, json, f);
        break;
      case "airport_fee":
        f.airportFee = readDouble(name, json, f);
        break;
      case "store_and_fwd_flag":
        f.storeAndFwdFlag = readString(name, json, f);
        break;
      case "padding":
        f.padding = readString(name, json, f);
        break;
      default:
        json.skipChildren();
    }
  }

  private ParseOutcome toOutcome(Fields f) {
    if (WATERMARK_TYPE.equals(f.type)) {
      return new ParseOutcome.Watermark();
    }
    if (f.invalid != null) {
      return new ParseOutcome.Rejected(RejectionReason.INVALID_FIELD, f.invalid, f.tripId);
    }
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
    if (!missing.isEmpty()) {
      return new ParseOutcome.Rejected(
          RejectionReason.MISSING_FIELD,
          "required field" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing)
              + (missing.size() > 1 ? " are" : " is") + " missing or null",
          f.tripId);
    }
    if (f.dropoff < f.pickup) {
      return new ParseOutcome.Rejected(
          RejectionReason.DROPOFF_BEFORE_PICKUP,
          "dropoff_datetime " + Instant.ofEpochMilli(f.dropoff) + " is before pickup_datetime "
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

  private static boolean outOfRange(int locationId) {
    return locationId < MIN_LOCATION_ID || locationId > MAX_LOCATION_ID;
  }

  private static @Nullable Long readLong(String name, JsonParser json, Fields f)
      throws IOException {
    BigDecimal value = readNumber(name, json, f, "an integer");
    if (value == null) {
      return null;
    }
    try {
      return value.longValueExact();
    } catch (ArithmeticException e) {
      f.invalid(name, "expected an integer", json);
      return null;
    }
  }

  private static @Nullable Integer readInt(String name, JsonParser json, Fields f)
      throws IOException {
    if (json.currentToken() == JsonToken.VALUE_NUMBER_INT
        && json.getNumberType() == JsonParser.NumberType.INT) {
      return json.getIntValue();
    }
    BigDecimal value = readNumber(name, json, f, "an integer");
    if (value == null) {
      return null;
    }
    try {
      return value.intValueExact();
    } catch (ArithmeticException e) {
      f.invalid(name, "expected an integer", json);
      return null;
    }
  }

  private static @Nullable Double readDouble(String name, JsonParser json, Fields f)
      throws IOException {
    JsonToken token = json.currentToken();
    double value;
    if (token == JsonToken.VALUE_NUMBER_FLOAT || token == JsonToken.VALUE_NUMBER_INT) {
      value = json.getDoubleValue();
    } else {
      BigDecimal decimal = readNumber(name, json, f, "a number");
      if (decimal == null) {
        return null;
      }
      value = decimal.doubleValue();
    }
    if (Double.isFinite(value)) {
      return value;
    }
    f.invalid(name, "expected a finite number", json);
    return null;
  }

  /** Reads a JSON number or numeric string; null for null or empty; records anything else. */
  private static @Nullable BigDecimal readNumber(
      String name, JsonParser json, Fields f, String expected) throws IOException {
    switch (json.currentToken()) {
      case VALUE_NULL:
        return null;
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return json.getDecimalValue();
      case VALUE_STRING:
        String text = json.getText().trim();
        if (text.isEmpty()) {
          return null;
        }
        try {
          return new BigDecimal(text);
        } catch (NumberFormatException e) {
          f.invalid(name, "expected " + expected, json);
          return null;
        }
      default:
        f.invalid(name, "expected " + expected, json);
        json.skipChildren();
        return null;
    }
  }

  private static @Nullable String readString(String name, JsonParser json, Fields f)
      throws IOException {
    switch (json.currentToken()) {
      case VALUE_NULL:
        return null;
      case VALUE_STRING:
        String text = json.getText();
        return text.isEmpty() ? null : text;
      default:
        f.invalid(name, "expected a string", json);
        json.skipChildren();
        return null;
    }
  }

  private @Nullable Long readTimestamp(String name, JsonParser json, Fields f) throws IOException {
    switch (json.currentToken()) {
      case VALUE_NULL:
        return null;
      case VALUE_NUMBER_INT:
        if (json.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
          f.invalid(name, "epoch milliseconds out of range", json);
          return null;
        }
        return json.getLongValue();
      case VALUE_STRING:
        String text = json.getText().trim();
        if (text.isEmpty()) {
          return null;
        }
        Long millis = IsoTimestamps.toEpochMillis(text, zone);
        if (millis == null) {
          f.invalid(name, "expected an ISO-8601 date-time or epoch milliseconds", json);
        }
        return millis;
      default:
        f.invalid(name, "expected an ISO-8601 date-time or epoch milliseconds", json);
        json.skipChildren();
        return null;
    }
  }

  /** The values read so far, and the first invalid field seen. */
  private static final class Fields {
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
    @Nullable String invalid;

    void invalid(String field, String expected, JsonParser json) throws IOException {
      if (invalid == null) {
        invalid = "field " + field + ": " + expected + ", got " + describe(json);
      }
    }

    private static String describe(JsonParser json) throws IOException {
      JsonToken token = json.currentToken();
      if (token == JsonToken.START_OBJECT) {
        return "an object";
      }
      if (token == JsonToken.START_ARRAY) {
        return "an array";
      }
      String text = json.getText();
      if (text.length() > MAX_VALUE_IN_MESSAGE) {
        text = text.substring(0, MAX_VALUE_IN_MESSAGE) + "...";
      }
      return token == JsonToken.VALUE_STRING ? "\"" + text + "\"" : text;
    }

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
}
