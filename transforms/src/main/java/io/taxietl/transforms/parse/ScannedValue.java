package io.taxietl.transforms.parse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * The JSON value of one field, as a reader scanned it: what {@link JsonFieldValues} converts into a
 * trip field, whichever reader found it ({@link TripJsonReader} with Jackson or {@link
 * FlatTripJsonReader} on the bytes). Each method means what the {@link JsonParser} method of the
 * same name means for the parser's current value.
 */
interface ScannedValue {

  /** The value's kind: a scalar token, or the start of an object or array. */
  JsonToken currentToken();

  /**
   * For an integer ({@link JsonToken#VALUE_NUMBER_INT}): the smallest of {@code INT}, {@code LONG}
   * and {@code BIG_INTEGER} that holds it.
   */
  JsonParser.NumberType getNumberType() throws IOException;

  /** An integer whose number type is {@code INT}. */
  int getIntValue() throws IOException;

  /** An integer whose number type is {@code INT} or {@code LONG}. */
  long getLongValue() throws IOException;

  /** A number, correctly rounded (the value of {@link Double#parseDouble} for its text). */
  double getDoubleValue() throws IOException;

  /** A number, exactly. */
  BigDecimal getDecimalValue() throws IOException;

  /** The value as written: a string's characters, a number's or a literal's text. */
  String getText() throws IOException;

  /** The length of {@link #getText()}, without making it. */
  int getTextLength() throws IOException;

  /** Skips an object's or array's content, so that the reader goes on after it. */
  void skipChildren() throws IOException;
}
