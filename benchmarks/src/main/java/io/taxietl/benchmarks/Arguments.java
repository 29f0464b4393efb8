package io.taxietl.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --name value} or {@code --name=value} pairs of the benchmark's command lines. */
final class Arguments {
  private Arguments() {}

  static Map<String, String> parse(String[] args) {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + arg + "'");
      }
      int eq = arg.indexOf('=');
      if (eq > 0) {
        values.put(arg.substring(2, eq), arg.substring(eq + 1));
      } else if (i + 1 < args.length) {
        values.put(arg.substring(2), args[++i]);
      } else {
        throw new IllegalArgumentException("option '" + arg + "' needs a value");
      }
    }
    return values;
  }
}
