package io.taxietl.transforms.event;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.taxietl.avro.TripEvent;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;

/**
 * A trip as JSON in the input contract's shape: every field that has a value, under its contract
 * name (the {@link TripEvent} schema's names, in schema order), timestamps as ISO-8601 UTC strings
 * (e.g. {@code 2019-03-01T00:13:12Z}, which Elasticsearch's dynamic mapping detects as dates).
 * Fields without a value are left out, never written as a made-up 0. The Kafka sink's record value
 * and the Elasticsearch document; another instance of this pipeline reads it back unchanged.
 *
 * <p>The text is character for character what Jackson's {@code JsonGenerator} writes with its
 * method for each field's type (numbers as {@code Integer}/{@code Long}/{@code Double.toString},
 * non-finite doubles as strings, strings escaped as Jackson escapes them), which {@code
 * TripEventJsonTest} checks over the whole bundled sample; it is written straight into one builder
 * because the generator, {@code Double.toString} and {@code Instant.toString} were most of the CPU
 * the Elasticsearch sink spent per document.
 */
public final class TripEventJson {
  private static final JsonStringEncoder STRINGS = JsonStringEncoder.getInstance();

  /** Per schema position, the quoted field name and colon, e.g. {@code "trip_id":}. */
  private static final String[] NAMES = fieldNames(TripEvent.getClassSchema().getFields());

  private TripEventJson() {}

  public static String toJson(TripEvent trip) {
    StringBuilder json = new StringBuilder(512).append('{');
    for (int pos = 0; pos < NAMES.length; pos++) {
      Object value = trip.get(pos);
      if (value == null) {
        continue;
      }
      if (json.length() > 1) {
        json.append(',');
      }
      json.append(NAMES[pos]);
      if (value instanceof Instant) {
        InstantText.append((Instant) value, json.append('"'));
        json.append('"');
      } else if (value instanceof CharSequence) {
        STRINGS.quoteAsString((CharSequence) value, json.append('"'));
        json.append('"');
      } else if (value instanceof Integer) {
        json.append((int) (Integer) value);
      } else if (value instanceof Long) {
        json.append((long) (Long) value);
      } else if (value instanceof Double) {
        appendDouble((Double) value, json);
      } else {
        throw new IllegalStateException(
            "no JSON form for field " + NAMES[pos] + " of type " + value.getClass().getName());
      }
    }
    return json.append('}').toString();
  }

  /** As Jackson writes a double: {@code Double.toString}, quoted when not finite. */
  private static void appendDouble(double value, StringBuilder json) {
    if (CentsText.append(value, json)) {
      return;
    }
    if (Double.isFinite(value)) {
      json.append(Double.toString(value));
    } else {
      json.append('"').append(Double.toString(value)).append('"');
    }
  }

  private static String[] fieldNames(List<Schema.Field> fields) {
    String[] names = new String[fields.size()];
    for (Schema.Field field : fields) {
      StringBuilder name = new StringBuilder().append('"');
      STRINGS.quoteAsString(field.name(), name);
      names[field.pos()] = name.append("\":").toString();
    }
    return names;
  }
}
