package io.taxietl.transforms.parse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.ZoneId;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reads a field's scanned JSON value as the kind a trip field needs: null for {@code null}, an
 * empty string or (for numbers) a blank one; a value of another kind is noted in {@link
 * TripFields#invalid} (the first one only) and read as null. The one place of these rules,
 * whichever reader scanned the value.
 */
final class JsonFieldValues {
  private static final int MAX_VALUE_IN_MESSAGE = 60;

  /**
   * The longest number read, JSON number or numeric string (Jackson's default limit for numbers):
   * far more than any trip value needs, and short enough that converting it is quick (a number of a
   * million digits takes seconds).
   */
  static final int MAX_NUMBER_CHARS = 1000;

  private JsonFieldValues() {}

  static @Nullable Long readLong(String name, ScannedValue json, TripFields f) throws IOException {
    if (json.currentToken() == JsonToken.VALUE_NUMBER_INT
        && json.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
      return json.getLongValue();
    }
    BigDecimal value = readNumber(name, json, f, "an integer");
    if (value == null) {
      return null;
    }
    try {
      return value.longValueExact();
    } catch (ArithmeticException e) {
      invalid(f, name, "expected an integer", json);
      return null;
    }
  }

  static @Nullable Integer readInt(String name, ScannedValue json, TripFields f)
      throws IOException {
    if (tooLong(name, json, f)) {
      return null;
    }
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
      invalid(f, name, "expected an integer", json);
      return null;
    }
  }

  static @Nullable Double readDouble(String name, ScannedValue json, TripFields f)
      throws IOException {
    if (tooLong(name, json, f)) {
      return null;
    }
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
    invalid(f, name, "expected a finite number", json);
    return null;
  }

  /** Reads a JSON number or numeric string; null for null or empty; records anything else. */
  private static @Nullable BigDecimal readNumber(
      String name, ScannedValue json, TripFields f, String expected) throws IOException {
    if (tooLong(name, json, f)) {
      return null;
    }
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
          invalid(f, name, "expected " + expected, json);
          return null;
        }
      default:
        invalid(f, name, "expected " + expected, json);
        json.skipChildren();
        return null;
    }
  }

  static @Nullable String readString(String name, ScannedValue json, TripFields f)
      throws IOException {
    switch (json.currentToken()) {
      case VALUE_NULL:
        return null;
      case VALUE_STRING:
        String text = json.getText();
        return text.isEmpty() ? null : text;
      default:
        invalid(f, name, "expected a string", json);
        json.skipChildren();
        return null;
    }
  }

  static @Nullable Long readTimestamp(String name, ScannedValue json, TripFields f, ZoneId zone)
      throws IOException {
    if (json.currentToken() == JsonToken.VALUE_NUMBER_INT && tooLong(name, json, f)) {
      return null;
    }
    switch (json.currentToken()) {
      case VALUE_NULL:
        return null;
      case VALUE_NUMBER_INT:
        if (json.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
          invalid(f, name, "epoch milliseconds out of range", json);
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
          invalid(f, name, "expected an ISO-8601 date-time or epoch milliseconds", json);
        }
        return millis;
      default:
        invalid(f, name, "expected an ISO-8601 date-time or epoch milliseconds", json);
        json.skipChildren();
        return null;
    }
  }

  /**
   * Whether the current value is a number, or a string to be read as one, longer than {@value
   * #MAX_NUMBER_CHARS} characters; noted as invalid when it is. Checked before any conversion.
   */
  private static boolean tooLong(String name, ScannedValue json, TripFields f) throws IOException {
    JsonToken token = json.currentToken();
    boolean numeric =
        token == JsonToken.VALUE_NUMBER_INT
            || token == JsonToken.VALUE_NUMBER_FLOAT
            || token == JsonToken.VALUE_STRING;
    if (numeric && json.getTextLength() > MAX_NUMBER_CHARS) {
      invalid(f, name, "expected a number of at most " + MAX_NUMBER_CHARS + " characters", json);
      return true;
    }
    return false;
  }

  /** Notes the first field whose value could not be read, with the value that was there. */
  private static void invalid(TripFields f, String field, String expected, ScannedValue json)
      throws IOException {
    if (f.invalid == null) {
      f.invalid = "field " + field + ": " + expected + ", got " + describe(json);
    }
  }

  private static String describe(ScannedValue json) throws IOException {
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
}
