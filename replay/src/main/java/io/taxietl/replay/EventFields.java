package io.taxietl.replay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * The two fields of an event line that {@code replay kafka} needs, read without decoding the rest:
 * the pickup time (its event time) and the trip id (its record key). Both are read as the pipeline
 * reads its input events, and either is absent when the line does not carry a readable value: the
 * line is still replayed, verbatim.
 *
 * @param pickupMillis {@code pickup_datetime} in epoch milliseconds, or null
 * @param tripId {@code trip_id} as a decimal string ({@code "00042"} and {@code 42.0} read as
 *     {@code "42"}), or null
 */
record EventFields(Long pickupMillis, String tripId) {
  private static final JsonFactory JSON = new JsonFactory();
  private static final EventFields NONE = new EventFields(null, null);

  /**
   * Reads a line. Timestamps are ISO-8601 with {@code T} or a space, optional seconds and fraction,
   * optional {@code Z} or offset (a time without one is read in {@code zone}), or a JSON number of
   * epoch milliseconds. Trip ids are JSON integers or integral numbers or numeric strings that fit
   * in a long.
   */
  static EventFields read(byte[] line, ZoneId zone) {
    Long pickup = null;
    String tripId = null;
    boolean pickupSeen = false;
    boolean tripIdSeen = false;
    try (JsonParser json = JSON.createParser(line)) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        return NONE;
      }
      while (!(pickupSeen && tripIdSeen) && json.nextToken() == JsonToken.FIELD_NAME) {
        String name = json.currentName();
        JsonToken value = json.nextToken();
        if (name.equals("pickup_datetime") && !pickupSeen) {
          pickupSeen = true;
          pickup = timestamp(json, value, zone);
        } else if (name.equals("trip_id") && !tripIdSeen) {
          tripIdSeen = true;
          tripId = integer(json, value);
        }
        json.skipChildren();
      }
    } catch (IOException e) {
      // Not JSON, or not UTF-8, from some point on: keep what was read before it.
    }
    return new EventFields(pickup, tripId);
  }

  private static Long timestamp(JsonParser json, JsonToken token, ZoneId zone) throws IOException {
    if (token == JsonToken.VALUE_NUMBER_INT
        && json.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
      return json.getLongValue();
    }
    return token == JsonToken.VALUE_STRING ? isoMillis(json.getText().trim(), zone) : null;
  }

  private static String integer(JsonParser json, JsonToken token) throws IOException {
    BigDecimal number;
    try {
      number =
          switch (token) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> json.getDecimalValue();
            case VALUE_STRING -> new BigDecimal(json.getText().trim());
            default -> null;
          };
      return number == null ? null : Long.toString(number.longValueExact());
    } catch (NumberFormatException | ArithmeticException e) {
      return null;
    }
  }

  /**
   * Epoch milliseconds of an ISO-8601 date-time: {@code yyyy-MM-dd}, {@code T} or a space, {@code
   * HH:mm[:ss[.fraction]]}, then optionally {@code Z} or an offset such as {@code +02:00}; or null.
   */
  static Long isoMillis(String text, ZoneId zone) {
    if (text.length() < 16) {
      return null;
    }
    char separator = text.charAt(10);
    if (separator != 'T' && separator != 't' && separator != ' ') {
      return null;
    }
    int offsetStart = 16;
    while (offsetStart < text.length() && "Zz+-".indexOf(text.charAt(offsetStart)) < 0) {
      offsetStart++;
    }
    String local = text.substring(0, 10) + 'T' + text.substring(11, offsetStart).replace(',', '.');
    try {
      LocalDateTime dateTime = LocalDateTime.parse(local);
      if (offsetStart == text.length()) {
        return dateTime.atZone(zone).toInstant().toEpochMilli();
      }
      ZoneOffset offset = ZoneOffset.of(text.substring(offsetStart).toUpperCase(Locale.ROOT));
      return dateTime.toInstant(offset).toEpochMilli();
    } catch (DateTimeException e) {
      return null;
    }
  }
}
