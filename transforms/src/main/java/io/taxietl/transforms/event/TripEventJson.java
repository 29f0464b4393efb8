package io.taxietl.transforms.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.taxietl.avro.TripEvent;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import org.apache.avro.Schema;

/**
 * A trip as JSON in the input contract's shape: every field that has a value, under its contract
 * name (the {@link TripEvent} schema's names, in schema order), timestamps as ISO-8601 UTC strings
 * (e.g. {@code 2019-03-01T00:13:12Z}, which Elasticsearch's dynamic mapping detects as dates).
 * Fields without a value are left out, never written as a made-up 0. The Kafka sink's record value
 * and the Elasticsearch document; another instance of this pipeline reads it back unchanged.
 */
public final class TripEventJson {
  private static final JsonFactory JSON = new JsonFactory();
  private static final Schema SCHEMA = TripEvent.getClassSchema();

  private TripEventJson() {}

  public static String toJson(TripEvent trip) {
    StringWriter out = new StringWriter(512);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      for (Schema.Field field : SCHEMA.getFields()) {
        Object value = trip.get(field.pos());
        if (value == null) {
          continue;
        }
        String name = field.name();
        if (value instanceof Instant || value instanceof CharSequence) {
          json.writeStringField(name, value.toString());
        } else if (value instanceof Integer) {
          json.writeNumberField(name, (Integer) value);
        } else if (value instanceof Long) {
          json.writeNumberField(name, (Long) value);
        } else if (value instanceof Double) {
          json.writeNumberField(name, (Double) value);
        } else {
          throw new IllegalStateException(
              "no JSON form for field " + name + " of type " + value.getClass().getName());
        }
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to a StringWriter cannot fail", e);
    }
    return out.toString();
  }
}
