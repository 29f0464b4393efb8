package io.taxietl.transforms.io.file;

import io.taxietl.avro.TripEvent;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.IllegalFormatException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Computes a trip's partition folder from its own fields, never from processing time.
 *
 * <p>A template is text with placeholders {@code {field}} or {@code {field:%format}}, e.g. the
 * default {@code
 * pickup_location={pickup_location_id:%03d}/year={pickup_year:%04d}/month={pickup_month:%02d}}.
 * Fields are the trip's integer fields and {@code type}, and the parts {@code year}, {@code month},
 * {@code day}, {@code hour} and {@code date} of {@code pickup_} and {@code dropoff_} times, taken
 * in the event time zone. A null value becomes {@value #NULL_VALUE}, as Hive writes it; characters
 * other than letters, digits, {@code -} and {@code _} in string values are escaped as {@code %XX}.
 */
public final class PartitionTemplate implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String NULL_VALUE = "__HIVE_DEFAULT_PARTITION__";

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)(?::(%[^}]+))?}");
  private static final Pattern ZERO_PADDED_INT = Pattern.compile("%0?(\\d*)d");

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
   * @throws IllegalArgumentException naming the problem when the template is empty, names an
   *     unknown field, has a format that does not fit its field, or would leave the output folder
   */
  public static PartitionTemplate parse(String template, ZoneId zone) {
    if (template == null || template.isBlank()) {
      throw new IllegalArgumentException("partition template is empty");
    }
    if (template.startsWith("/") || template.endsWith("/") || template.contains("//")) {
      throw new IllegalArgumentException(
          "partition template '"
              + template
              + "' must be a relative folder path without empty segments");
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
      PartitionFields.Field field = PartitionFields.get(name);
      if (field == null) {
        throw new IllegalArgumentException(
            "partition template '"
                + template
                + "' names unknown field '"
                + name
                + "'; known fields: "
                + String.join(", ", PartitionFields.names()));
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
          "partition template '"
              + template
              + "' has a malformed placeholder near '"
              + literal
              + "'");
    }
    if (!literal.isEmpty()) {
      segments.add(new Literal(literal));
    }
  }

  /**
   * The partition folder of {@code trip}, relative to the output folder, without a trailing slash.
   */
  public String partitionOf(TripEvent trip) {
    StringBuilder path = new StringBuilder(48);
    PartitionFields.Times times = new PartitionFields.Times(trip, zone);
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
    void appendTo(StringBuilder path, TripEvent trip, PartitionFields.Times times);
  }

  private static final class Literal implements Segment {
    private static final long serialVersionUID = 1L;
    private final String text;

    Literal(String text) {
      this.text = text;
    }

    @Override
    public void appendTo(StringBuilder path, TripEvent trip, PartitionFields.Times times) {
      path.append(text);
    }
  }

  private static final class Placeholder implements Segment {
    private static final long serialVersionUID = 1L;
    private final String name;
    private transient PartitionFields.Field field;
    private final String format;
    private final int zeroPadWidth;

    Placeholder(String name, PartitionFields.Field field, String format, String template) {
      this.name = name;
      this.field = field;
      this.format = format;
      Matcher padded = format == null ? null : ZERO_PADDED_INT.matcher(format);
      if (format != null && padded.matches() && field.integral()) {
        this.zeroPadWidth = padded.group(1).isEmpty() ? 0 : Integer.parseInt(padded.group(1));
        if (!format.startsWith("%0") && zeroPadWidth > 0) {
          throw new IllegalArgumentException(
              "partition template '"
                  + template
                  + "': format '"
                  + format
                  + "' of field '"
                  + name
                  + "' would pad with spaces; use %0"
                  + zeroPadWidth
                  + "d");
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
                "partition template '"
                    + template
                    + "': format '"
                    + format
                    + "' does not fit field '"
                    + name
                    + "' ("
                    + e.getMessage()
                    + ")");
          }
          // The shortest sample shows any width, '-' or ' ' flag that pads, e.g. %-5d or %10s.
          if (formatted.indexOf(' ') >= 0) {
            throw new IllegalArgumentException(
                "partition template '"
                    + template
                    + "': format '"
                    + format
                    + "' of field '"
                    + name
                    + "' would pad with spaces");
          }
        }
      }
    }

    @Override
    public void appendTo(StringBuilder path, TripEvent trip, PartitionFields.Times times) {
      if (field == null) {
        field = PartitionFields.get(name);
      }
      Object value = field.extractor().apply(new PartitionFields.Source(trip, times));
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
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_') {
        path.append(c);
      } else {
        path.append('%')
            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
  }
}
