package io.taxietl.transforms.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.taxietl.transforms.event.EventSize;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.Locale;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reads one payload's JSON into {@link TripFields}, in a single pass over Jackson's token stream
 * after a check that the bytes are well-formed UTF-8. It knows the contract's field names and the
 * forms their values may take (JSON numbers or numeric strings; ISO-8601 timestamps with {@code T}
 * or a space, optional fraction and offset, or epoch milliseconds; absent, {@code null} or empty
 * values as null); unknown fields are skipped. Which values make a valid trip is {@link TripRules}'
 * business. It throws only for bugs, never for bad input. {@link TripEventParser} uses it for the
 * payloads that {@link FlatTripJsonReader} declines, and so for every malformed one.
 */
final class TripJsonReader implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * The deepest nesting read (Jackson's default): a trip is one flat object, and deeper JSON (in an
   * unknown field, say) is rejected as malformed without recursion.
   */
  static final int MAX_NESTING_DEPTH = 1000;

  private final ZoneId zone;
  private transient @Nullable JsonFactory jsonFactory;

  /** Reads timestamps without an offset in {@code zone}. */
  TripJsonReader(ZoneId zone) {
    this.zone = zone;
  }

  /**
   * Reads {@code payload} into {@code fields}; a value that cannot be read is noted in {@code
   * fields.invalid}.
   *
   * @return null when the payload is one UTF-8 JSON object, else why it is not
   */
  @Nullable String read(byte[] payload, TripFields fields) {
    int invalid = StrictUtf8.firstInvalidByte(payload);
    if (invalid >= 0) {
      return String.format(
          Locale.ROOT,
          "not valid UTF-8 JSON: unexpected byte 0x%02X at offset %d",
          payload[invalid] & 0xff,
          invalid);
    }
    try (JsonParser json = factory().createParser(payload)) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        return "payload is not a JSON object";
      }
      JacksonValue value = new JacksonValue(json);
      JsonToken token;
      while ((token = json.nextToken()) == JsonToken.FIELD_NAME) {
        TripField field = TripField.named(json.currentName());
        json.nextToken();
        if (field == null) {
          json.skipChildren();
        } else {
          field.read(value, fields, zone);
        }
      }
      if (token != JsonToken.END_OBJECT || json.nextToken() != null) {
        return "unexpected content after the JSON object";
      }
    } catch (JsonProcessingException e) {
      return "not valid JSON: " + e.getOriginalMessage();
    } catch (IOException e) {
      // Parsing an in-memory byte array performs no I/O: anything else is a bug and must surface.
      throw new IllegalStateException("unexpected I/O error while parsing an in-memory payload", e);
    }
    return null;
  }

  private JsonFactory factory() {
    JsonFactory factory = jsonFactory;
    if (factory == null) {
      factory =
          JsonFactory.builder()
              .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
              // The fast double parser gives the same, correctly rounded values as
              // Double.parseDouble.
              .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
              // Numbers of any length are tokens like others (a long one in an unknown field is
              // skipped unread); the fields that read numbers refuse long ones before converting.
              .streamReadConstraints(
                  StreamReadConstraints.builder()
                      .maxNestingDepth(MAX_NESTING_DEPTH)
                      .maxNumberLength(EventSize.MAX_BYTES)
                      .maxStringLength(EventSize.MAX_BYTES)
                      .build())
              .build();
      jsonFactory = factory;
    }
    return factory;
  }

  /** Jackson's current value, as {@link JsonFieldValues} reads it. */
  private static final class JacksonValue implements ScannedValue {
    private final JsonParser json;

    JacksonValue(JsonParser json) {
      this.json = json;
    }

    @Override
    public JsonToken currentToken() {
      return json.currentToken();
    }

    @Override
    public JsonParser.NumberType getNumberType() throws IOException {
      return json.getNumberType();
    }

    @Override
    public int getIntValue() throws IOException {
      return json.getIntValue();
    }

    @Override
    public long getLongValue() throws IOException {
      return json.getLongValue();
    }

    @Override
    public double getDoubleValue() throws IOException {
      return json.getDoubleValue();
    }

    @Override
    public BigDecimal getDecimalValue() throws IOException {
      return json.getDecimalValue();
    }

    @Override
    public String getText() throws IOException {
      return json.getText();
    }

    @Override
    public int getTextLength() throws IOException {
      return json.getTextLength();
    }

    @Override
    public void skipChildren() throws IOException {
      json.skipChildren();
    }
  }
}
