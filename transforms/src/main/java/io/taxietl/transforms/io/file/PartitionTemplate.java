package io.taxietl.transforms.io.file;

import io.taxietl.avro.TripEvent;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IllegalFormatException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Computes a trip's partition folder from its own fields, never from processing time.
 *
 * <p>A template is text with placeholders {@code {field}} or {@code {field:%format}}, e.g. the
 * default {@code pickup_location={pickup_location_id:%03d}/year={pickup_year:%04d}/month={pickup_month:%02d}}.
 * Fields are the trip's integer fields and {@code type}, and the parts {@code year}, {@code month},
 * {@code day}, {@code hour} and {@code date} of {@code pickup_} and {@code dropoff_} times, taken in
 * the event time zone. A null value becomes {@value #NULL_VALUE}, as Hive writes it; characters
 * other than letters, digits, {@code -} and {@code _} in string values are escaped as {@code %XX}.
 */
public final class PartitionTemplate implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String NULL_VALUE = "__HIVE_DEFAULT_PARTITION__";

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)(?::(%[^}]+))?}");
  private static final Pattern ZERO_PADDED_INT = Pattern.compile("%0?(\\d*)d");
  private static final Map<String, Field> FIELDS = fields();

  private final String template;
  private final ZoneId zone;
  private final List<Segment> segments;

  private PartitionTemplate(String template, ZoneId zone, List<Segment> segments) {
    this.template = template;
    this.zone = zone;
    this.segments = segments;
  }

  /**
   * Compiles {@code template}.
   *
   * @throws IllegalArgumentException naming the problem when the template is empty, names an unknown
   *     field, has a format that does not fit its field, or would leave the output folder
   */
  public static PartitionTemplate parse(String template, ZoneId zone) {
    if (template == null || template.isBlank()) {
      throw new IllegalArgumentException("partition template is empty");
    }
    if (template.startsWith("/") || template.endsWith("/") || template.contains("//")) {
      throw new IllegalArgumentException(
          "partition template '" + template + "' must be a relative folder path without empty segments");
    }
    for (String segment : template.split("/")) {
      if (segment.equals("..") || segment.equals(".")) {
        throw new IllegalArgumentException(
            "partition template '" + template + "' must not contain '.' or '..' segments");
      }
    }
    List<Segment> segments = new ArrayList<>();
    Matcher matcher = PLACEHOLDER.matcher(template);
    int end = 0;
    while (matcher.find()) {
      addLiteral(segments, template, template.substring(end, matcher.start()));
      String name = matcher.group(1);
      Field field = FIELDS.get(name);
      if (field == null) {
        throw new IllegalArgumentException(
            "partition template '" + template + "' names unknown field '" + name + "'; known fields: "
                + String.join(", ", FIELDS.keySet()));
      }
      segments.add(new Placeholder(name, field, matcher.group(2), template));
      end = matcher.end();
    }
    addLiteral(segments, template, template.substring(end));
    return new PartitionTemplate(template, zone, List.copyOf(segments));
  }

  private static void addLiteral(List<Segment> segments, String template, String literal) {
    if (literal.indexOf('{') >= 0 || literal.indexOf('}') >= 0) {
      throw new IllegalArgumentException(
          "partition template '" + template + "' has a malformed placeholder near '" + literal + "'");
    }
    if (!literal.isEmpty()) {
      segments.add(new Literal(literal));
    }
  }

  /** The partition folder of {@code trip}, relative to the output folder, without a trailing slash. */
  public String partitionOf(TripEvent trip) {
    StringBuilder path = new StringBuilder(48);
    Times times = new Times(trip, zone);
    for (Segment segment : segments) {
      segment.appendTo(path, trip, times);
    }
    return path.toString();
  }

  public String template() {
    return template;
  }

  @Override
  public String toString() {
    return template;
  }

  private interface Segment extends Serializable {
    void appendTo(StringBuilder path, TripEvent trip, Times times);
  }

  private static final class Literal implements Segment {
    private static final long serialVersionUID = 1L;
    private final String text;

    Literal(String text) {
      this.text = text;
    }

    @Override
    public void appendTo(StringBuilder path, TripEvent trip, Times times) {
      path.append(text);
    }
  }

  private static final class Placeholder implements Segment {
    private static final long serialVersionUID = 1L;
    private final String name;
    private transient Field field;
    private final String format;
    private final int zeroPadWidth;

    Placeholder(String name, Field field, String format, String template) {
      this.name = name;
      this.field = field;
      this.format = format;
      Matcher padded = format == null ? null : ZERO_PADDED_INT.matcher(format);
      if (format != null && padded.matches() && field.integral()) {
        this.zeroPadWidth = padded.group(1).isEmpty() ? 0 : Integer.parseInt(padded.group(1));
        if (!format.startsWith("%0") && zeroPadWidth > 0) {
          throw new IllegalArgumentException(
              "partition template '" + template + "': format '" + format + "' of field '" + name
                  + "' would pad with spaces; use %0" + zeroPadWidth + "d");
        }
      } else {
        this.zeroPadWidth = -1;
        if (format != null) {
          Object sample = field.integral() ? (Object) 1 : "x";
          String formatted;
          try {
            formatted = String.format(Locale.ROOT, format, sample);
          } catch (IllegalFormatException e) {
            throw new IllegalArgumentException(
                "partition template '" + template + "': format '" + format + "' does not fit field '"
                    + name + "' (" + e.getMessage() + ")");
          }
          // The shortest sample shows any width, '-' or ' ' flag that pads, e.g. %-5d or %10s.
          if (formatted.indexOf(' ') >= 0) {
            throw new IllegalArgumentException(
                "partition template '" + template + "': format '" + format + "' of field '" + name
                    + "' would pad with spaces");
          }
        }
      }
    }

    @Override
    public void appendTo(StringBuilder path, TripEvent trip, Times times) {
      if (field == null) {
        field = FIELDS.get(name);
      }
      Object value = field.extractor().apply(new Source(trip, times));
      if (value == null) {
        path.append(NULL_VALUE);
      } else if (zeroPadWidth >= 0) {
        appendZeroPadded(path, ((Number) value).longValue(), zeroPadWidth);
      } else if (format != null) {
        appendEscaped(path, String.format(Locale.ROOT, format, value));
      } else {
        appendEscaped(path, value.toString());
      }
    }
  }

  private static void appendZeroPadded(StringBuilder path, long value, int width) {
    if (value < 0) {
      path.append('-');
      value = -value;
      width--;
    }
    String digits = Long.toString(value);
    for (int i = digits.length(); i < width; i++) {
      path.append('0');
    }
    path.append(digits);
  }

  private static void appendEscaped(StringBuilder path, String value) {
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
          || c == '_') {
        path.append(c);
      } else {
        path.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
  }

  /** The pickup and dropoff wall-clock times in the event time zone, computed once per trip. */
  private static final class Times {
    private final TripEvent trip;
    private final ZoneId zone;
    private LocalDateTime pickup;
    private LocalDateTime dropoff;

    Times(TripEvent trip, ZoneId zone) {
      this.trip = trip;
      this.zone = zone;
    }

    LocalDateTime pickup() {
      if (pickup == null) {
        pickup = LocalDateTime.ofInstant(trip.getPickupDatetime(), zone);
      }
      return pickup;
    }

    LocalDateTime dropoff() {
      if (dropoff == null) {
        dropoff = LocalDateTime.ofInstant(trip.getDropoffDatetime(), zone);
      }
      return dropoff;
    }
  }

  private static final class Source {
    private final TripEvent trip;
    private final Times times;

    Source(TripEvent trip, Times times) {
      this.trip = trip;
      this.times = times;
    }

    TripEvent trip() {
      return trip;
    }

    Times times() {
      return times;
    }
  }

  private static final class Field {
    private final boolean integral;
    private final Function<Source, Object> extractor;

    Field(boolean integral, Function<Source, Object> extractor) {
      this.integral = integral;
      this.extractor = extractor;
    }

    boolean integral() {
      return integral;
    }

    Function<Source, Object> extractor() {
      return extractor;
    }
  }

  private static Map<String, Field> fields() {
    Map<String, Field> fields = new LinkedHashMap<>();
    fields.put("pickup_location_id", integral(s -> s.trip().getPickupLocationId()));
    fields.put("dropoff_location_id", integral(s -> s.trip().getDropoffLocationId()));
    fields.put("vendor_id", integral(s -> s.trip().getVendorId()));
    fields.put("payment_type", integral(s -> s.trip().getPaymentType()));
    fields.put("ratecode_id", integral(s -> s.trip().getRatecodeId()));
    fields.put("passenger_count", integral(s -> s.trip().getPassengerCount()));
    fields.put("type", new Field(false, s -> s.trip().getType()));
    addTimeParts(fields, "pickup", s -> s.times().pickup());
    addTimeParts(fields, "dropoff", s -> s.times().dropoff());
    return Collections.unmodifiableMap(fields);
  }

  private static void addTimeParts(
      Map<String, Field> fields, String prefix, Function<Source, LocalDateTime> time) {
    fields.put(prefix + "_year", integral(s -> time.apply(s).getYear()));
    fields.put(prefix + "_month", integral(s -> time.apply(s).getMonthValue()));
    fields.put(prefix + "_day", integral(s -> time.apply(s).getDayOfMonth()));
    fields.put(prefix + "_hour", integral(s -> time.apply(s).getHour()));
    fields.put(prefix + "_date", new Field(false, s -> time.apply(s).toLocalDate().toString()));
  }

  private static Field integral(Function<Source, Object> extractor) {
    return new Field(true, extractor);
  }
}
