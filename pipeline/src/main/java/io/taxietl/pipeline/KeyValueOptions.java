package io.taxietl.pipeline;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Reads list options of {@code key=value} items, such as extra Kafka client properties. */
public final class KeyValueOptions {
  private KeyValueOptions() {}

  /**
   * The items as a map; each is split at its first {@code =}.
   *
   * @throws IllegalArgumentException naming the option and the item when an item has no key or no
   *     {@code =}
   */
  public static Map<String, String> parse(String option, List<String> items) {
    Map<String, String> properties = new LinkedHashMap<>();
    if (items == null) {
      return properties;
    }
    for (String item : items) {
      int eq = item.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "--" + option + " item '" + redact(item) + "' is not key=value");
      }
      properties.put(item.substring(0, eq).trim(), item.substring(eq + 1));
    }
    return properties;
  }

  /** The item without anything that might be a secret: only the part before '=' or a length. */
  private static String redact(String item) {
    return item.length() <= 40 && !item.toLowerCase().contains("pass")
        ? item
        : "<" + item.length() + " characters>";
  }

  /** The comma-separated values of {@code list}, trimmed, without empty ones. */
  public static List<String> splitList(String list) {
    return List.of(list.split(",")).stream()
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toUnmodifiableList());
  }
}
