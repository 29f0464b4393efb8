package io.taxietl.transforms.parse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Arrays;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reads the common payload straight from its bytes, without Jackson: one flat JSON object of
 * printable ASCII whose names and strings hold no escape sequence, whose values are strings,
 * numbers, {@code true}, {@code false} or {@code null}, with no name twice and only JSON's own
 * whitespace between tokens. Its values are converted by {@link JsonFieldValues}, the rules {@link
 * TripJsonReader} applies, so a payload it reads gives the very same {@link TripFields}.
 *
 * <p>Anything else it declines, well-formed or not: escape sequences, bytes outside printable
 * ASCII, nested values, a repeated name, more than {@value #MAX_UNKNOWN_FIELDS} unknown fields, a
 * number with an exponent or an integer beyond a long in a trip field, malformed or trailing
 * content. {@link TripJsonReader} then reads the payload, so every rejection and its message stay
 * that reader's.
 */
final class FlatTripJsonReader implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * The most unknown fields read: each one's name is compared with those before it (names must not
   * repeat), which grows with the square of their number.
   */
  static final int MAX_UNKNOWN_FIELDS = 16;

  private final ZoneId zone;

  /** Reads timestamps without an offset in {@code zone}. */
  FlatTripJsonReader(ZoneId zone) {
    this.zone = zone;
  }

  /** The fields of {@code payload}, or null when this reader declines it. */
  @Nullable TripFields read(byte[] payload) {
    TripFields fields = new TripFields();
    try {
      return new Scan(payload).object(fields, zone) ? fields : null;
    } catch (IOException e) {
      // A scanned value converts without I/O and without Jackson: anything else is a bug.
      throw new IllegalStateException("unexpected error while reading a scanned value", e);
    }
  }

  /**
   * One pass over one payload. The scan is also the value it stands on, which {@link
   * JsonFieldValues} reads: the bytes {@code [start, end)} (a string without its quotes).
   */
  private static final class Scan implements ScannedValue {
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    /**
     * The most decimal digits whose integer a double holds exactly (10^15 < 2^53), and so the most
     * digits of a number that {@link #decimalToDouble()} converts itself.
     */
    private static final int EXACT_DIGITS = 15;

    /** The powers of ten up to the {@link #EXACT_DIGITS}th, each exact as a double. */
    private static final double[] POWERS_OF_TEN = {
      1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15
    };

    private final byte[] json;
    private int pos;

    private JsonToken token = JsonToken.NOT_AVAILABLE;
    private int start;
    private int end;
    private boolean exponent;
    private JsonParser.@Nullable NumberType numberType;
    private long longValue;

    /** The known fields read so far, one bit per {@link TripField#ordinal()}. */
    private int knownSeen;

    private int @Nullable [] unknownNames;
    private int unknownCount;

    Scan(byte[] json) {
      this.json = json;
    }

    /** Reads the payload's one object into {@code fields}; false to decline. */
    boolean object(TripFields fields, ZoneId zone) throws IOException {
      skipWhitespace();
      if (!consume('{')) {
        return false;
      }
      skipWhitespace();
      if (consume('}')) {
        return atEndAfterWhitespace();
      }
      TripField likely = TripField.VENDOR_ID;
      while (true) {
        if (!consume('"')) {
          return false;
        }
        int nameStart = pos;
        TripField field;
        if (likely != null && likely.isNameAt(json, nameStart)) {
          // Fields mostly come in the usual order: the expected name needs no scan.
          field = likely;
          pos = nameStart + field.nameLength() + 1;
        } else {
          if (!skipPlainString()) {
            return false;
          }
          field = TripField.named(json, nameStart, pos - 1);
          if (field == null && !firstUnknown(nameStart, pos - 1)) {
            return false;
          }
        }
        if (field != null && !firstTime(field)) {
          return false;
        }
        skipWhitespace();
        if (!consume(':')) {
          return false;
        }
        skipWhitespace();
        if (!scanValue()) {
          return false;
        }
        if (field != null) {
          if (!convertsAsJacksonDoes()) {
            return false;
          }
          field.read(this, fields, zone);
          likely = field.next();
        }
        skipWhitespace();
        if (consume('}')) {
          return atEndAfterWhitespace();
        }
        if (!consume(',')) {
          return false;
        }
        skipWhitespace();
      }
    }

    /**
     * Whether Jackson 2.15 converts the current value of a trip field as this scan does. Not a
     * number with an exponent (an exponent too large for a {@code BigDecimal} makes Jackson call
     * the payload malformed) nor an integer beyond a long (after Jackson has given such an
     * integer's number type, it reads the next integer's double as the big integer's).
     */
    private boolean convertsAsJacksonDoes() {
      if (token == JsonToken.VALUE_NUMBER_FLOAT) {
        return !exponent;
      }
      return token != JsonToken.VALUE_NUMBER_INT
          || getNumberType() != JsonParser.NumberType.BIG_INTEGER;
    }

    private boolean firstTime(TripField field) {
      int bit = 1 << field.ordinal();
      if ((knownSeen & bit) != 0) {
        return false;
      }
      knownSeen |= bit;
      return true;
    }

    private boolean firstUnknown(int nameStart, int nameEnd) {
      int[] names = unknownNames;
      if (names == null) {
        names = new int[2 * MAX_UNKNOWN_FIELDS];
        unknownNames = names;
      }
      for (int i = 0; i < unknownCount; i++) {
        if (Arrays.equals(json, names[2 * i], names[2 * i + 1], json, nameStart, nameEnd)) {
          return false;
        }
      }
      if (unknownCount == MAX_UNKNOWN_FIELDS) {
        return false;
      }
      names[2 * unknownCount] = nameStart;
      names[2 * unknownCount + 1] = nameEnd;
      unknownCount++;
      return true;
    }

    /** Scans a string, number or literal; false for anything else. */
    private boolean scanValue() {
      if (pos >= json.length) {
        return false;
      }
      byte first = json[pos];
      exponent = false;
      numberType = null;
      if (first == '"') {
        start = ++pos;
        if (!skipPlainString()) {
          return false;
        }
        end = pos - 1;
        token = JsonToken.VALUE_STRING;
        return true;
      }
      if (first == '-' || isDigit(first)) {
        return scanNumber();
      }
      switch (first) {
        case 't':
          return scanLiteral(TRUE, JsonToken.VALUE_TRUE);
        case 'f':
          return scanLiteral(FALSE, JsonToken.VALUE_FALSE);
        case 'n':
          return scanLiteral(NULL, JsonToken.VALUE_NULL);
        default:
          return false;
      }
    }

    /**
     * Skips a string's characters and its closing quote; false at an escape sequence, a byte
     * outside printable ASCII (a control character or a byte of a multi-byte character) or the end.
     */
    private boolean skipPlainString() {
      while (pos < json.length) {
        byte b = json[pos++];
        if (b == '"') {
          return true;
        }
        if (b < 0x20 || b == '\\') {
          return false;
        }
      }
      return false;
    }

    /** A number as JSON writes it: {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}. */
    private boolean scanNumber() {
      start = pos;
      consume('-');
      if (!consume('0') && !skipDigits()) {
        return false;
      }
      boolean fraction = consume('.');
      if (fraction && !skipDigits()) {
        return false;
      }
      exponent = consume('e') || consume('E');
      if (exponent) {
        if (!consume('+')) {
          consume('-');
        }
        if (!skipDigits()) {
          return false;
        }
      }
      end = pos;
      token = fraction || exponent ? JsonToken.VALUE_NUMBER_FLOAT : JsonToken.VALUE_NUMBER_INT;
      return true;
    }

    private boolean scanLiteral(byte[] literal, JsonToken literalToken) {
      if (!Arrays.equals(
          json, pos, Math.min(pos + literal.length, json.length), literal, 0, literal.length)) {
        return false;
      }
      start = pos;
      pos += literal.length;
      end = pos;
      token = literalToken;
      return true;
    }

    /** Skips one or more digits; false when there is none. */
    private boolean skipDigits() {
      int first = pos;
      while (pos < json.length && isDigit(json[pos])) {
        pos++;
      }
      return pos > first;
    }

    private void skipWhitespace() {
      while (pos < json.length) {
        byte b = json[pos];
        if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
          return;
        }
        pos++;
      }
    }

    private boolean consume(char expected) {
      if (pos < json.length && json[pos] == expected) {
        pos++;
        return true;
      }
      return false;
    }

    private boolean atEndAfterWhitespace() {
      skipWhitespace();
      return pos == json.length;
    }

    private static boolean isDigit(byte b) {
      return b >= '0' && b <= '9';
    }

    @Override
    public JsonToken currentToken() {
      return token;
    }

    @Override
    public JsonParser.NumberType getNumberType() {
      if (token != JsonToken.VALUE_NUMBER_INT) {
        return JsonParser.NumberType.DOUBLE;
      }
      JsonParser.NumberType type = numberType;
      if (type == null) {
        type = classifyInteger();
        numberType = type;
      }
      return type;
    }

    /** Sets {@link #longValue} when the integer fits a long; its smallest number type. */
    private JsonParser.NumberType classifyInteger() {
      boolean negative = json[start] == '-';
      int firstDigit = negative ? start + 1 : start;
      if (end - firstDigit <= 18) {
        long magnitude = 0;
        for (int i = firstDigit; i < end; i++) {
          magnitude = magnitude * 10 + (json[i] - '0');
        }
        longValue = negative ? -magnitude : magnitude;
        return longValue == (int) longValue
            ? JsonParser.NumberType.INT
            : JsonParser.NumberType.LONG;
      }
      BigInteger value = new BigInteger(getText());
      if (value.bitLength() > 63) {
        return JsonParser.NumberType.BIG_INTEGER;
      }
      longValue = value.longValue();
      return JsonParser.NumberType.LONG;
    }

    @Override
    public int getIntValue() {
      getNumberType();
      return (int) longValue;
    }

    @Override
    public long getLongValue() {
      getNumberType();
      return longValue;
    }

    @Override
    public double getDoubleValue() {
      if (token == JsonToken.VALUE_NUMBER_INT) {
        return getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? Double.parseDouble(getText())
            : (double) longValue;
      }
      return exponent ? Double.parseDouble(getText()) : decimalToDouble();
    }

    /**
     * A number without an exponent as the nearest double. When it has at most {@value
     * #EXACT_DIGITS} digits, its digits and the power of ten of its decimals are exact doubles, and
     * one division rounds correctly (Clinger's fast path); otherwise {@link Double#parseDouble}.
     */
    private double decimalToDouble() {
      boolean negative = json[start] == '-';
      long digits = 0;
      int digitCount = 0;
      int decimals = 0;
      boolean afterPoint = false;
      for (int i = negative ? start + 1 : start; i < end; i++) {
        byte b = json[i];
        if (b == '.') {
          afterPoint = true;
          continue;
        }
        if (++digitCount > EXACT_DIGITS) {
          return Double.parseDouble(getText());
        }
        digits = digits * 10 + (b - '0');
        if (afterPoint) {
          decimals++;
        }
      }
      double magnitude = digits / POWERS_OF_TEN[decimals];
      return negative ? -magnitude : magnitude;
    }

    @Override
    public BigDecimal getDecimalValue() {
      return new BigDecimal(getText());
    }

    @Override
    public String getText() {
      // Only printable ASCII was scanned, which ISO-8859-1 decodes by copying.
      return new String(json, start, end - start, StandardCharsets.ISO_8859_1);
    }

    @Override
    public int getTextLength() {
      return end - start;
    }

    @Override
    public void skipChildren() {
      // The scan never stands on an object or an array: it declines them.
    }
  }
}
