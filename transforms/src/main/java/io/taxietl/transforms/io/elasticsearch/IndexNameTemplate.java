package io.taxietl.transforms.io.elasticsearch;

import io.taxietl.avro.TripEvent;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.avro.Schema;

/**
 * The Elasticsearch index a trip goes to, computed from the trip itself: literal text and {@code
 * {field}} placeholders naming any trip field, e.g. {@code {type}} (the original sample's choice)
 * or {@code trips-{type}} (the same with a prefix). A field without a value renders as {@value
 * #NULL_VALUE}. Names are lower-cased, as Elasticsearch requires.
 *
 * <p>The literal parts are checked here against Elasticsearch's rules for index names; a value that
 * makes an invalid name (say a {@code type} with a space) is refused by Elasticsearch for that
 * document alone, which then becomes a dead letter.
 */
public final class IndexNameTemplate implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String DEFAULT = "{type}";
  static final String NULL_VALUE = "none";
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");

  /** Characters Elasticsearch refuses anywhere in an index name. */
  private static final Pattern INVALID_LITERAL = Pattern.compile("[\\\\/*?\"<>|, #:A-Z{}]");

  private static final int MAX_LITERAL_LENGTH = 200;
  private static final Set<String> FIELDS =
      TripEvent.getClassSchema().getFields().stream()
          .map(Schema.Field::name)
          .collect(Collectors.toSet());

  private final String template;
  private final List<String> literals;
  private final int[] positions;

  private IndexNameTemplate(String template, List<String> literals, List<String> fields) {
    this.template = template;
    this.literals = literals;
    this.positions =
        fields.stream()
            .mapToInt(field -> TripEvent.getClassSchema().getField(field).pos())
            .toArray();
  }

  /** Parses {@code template}; the message of the exception says what is wrong. */
  public static IndexNameTemplate parse(String template) {
    if (template == null || template.isBlank()) {
      throw new IllegalArgumentException("the index template is empty");
    }
    List<String> literals = new ArrayList<>();
    List<String> fields = new ArrayList<>();
    Matcher matcher = PLACEHOLDER.matcher(template);
    int end = 0;
    while (matcher.find()) {
      literals.add(checkedLiteral(template.substring(end, matcher.start())));
      String field = matcher.group(1);
      if (!FIELDS.contains(field)) {
        throw new IllegalArgumentException(
            "unknown field '"
                + field
                + "' (fields: "
                + FIELDS.stream().sorted().collect(Collectors.toUnmodifiableList())
                + ")");
      }
      fields.add(field);
      end = matcher.end();
    }
    literals.add(checkedLiteral(template.substring(end)));
    String start = literals.get(0);
    if (start.startsWith("-") || start.startsWith("_") || start.startsWith("+")) {
      throw new IllegalArgumentException("an index name must not start with '-', '_' or '+'");
    }
    if (fields.isEmpty() && (start.equals(".") || start.equals(".."))) {
      throw new IllegalArgumentException("'.' and '..' are not index names");
    }
    return new IndexNameTemplate(template, List.copyOf(literals), List.copyOf(fields));
  }

  private static String checkedLiteral(String literal) {
    Matcher invalid = INVALID_LITERAL.matcher(literal);
    if (invalid.find()) {
      throw new IllegalArgumentException(
          "'"
              + invalid.group()
              + "' is not allowed in an index name (use lower-case letters, digits, "
              + "'-', '_', '.' and {field} placeholders)");
    }
    if (literal.length() > MAX_LITERAL_LENGTH) {
      throw new IllegalArgumentException("the index template is too long");
    }
    return literal;
  }

  /**
   * The index for {@code trip}: each field's value as its text in the trip's JSON document (numbers
   * and strings as written there, timestamps as ISO-8601 UTC), lower-cased.
   */
  public String indexOf(TripEvent trip) {
    StringBuilder index = new StringBuilder(literals.get(0));
    for (int i = 0; i < positions.length; i++) {
      Object value = trip.get(positions[i]);
      index.append(value == null ? NULL_VALUE : value.toString());
      index.append(literals.get(i + 1));
    }
    return index.toString().toLowerCase(Locale.ROOT);
  }

  public String template() {
    return template;
  }

  @Override
  public String toString() {
    return template;
  }
}
