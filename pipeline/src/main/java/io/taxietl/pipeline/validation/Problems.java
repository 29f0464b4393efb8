package io.taxietl.pipeline.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The problems found so far, in the order found; each names the option and the bad value. */
final class Problems {
  private final List<String> found = new ArrayList<>();

  void add(String problem) {
    found.add(problem);
  }

  /** {@code --option=value must be between min and max} unless {@code value} is within. */
  void range(String option, long value, long min, long max) {
    if (value < min || value > max) {
      add("--" + option + "=" + value + " must be between " + min + " and " + max);
    }
  }

  /** {@code --option=value is invalid: why} when {@code parse} refuses {@code value}. */
  void parses(String option, String value, Consumer<String> parse) {
    try {
      parse.accept(value);
    } catch (IllegalArgumentException e) {
      add("--" + option + "=" + value + " is invalid: " + e.getMessage());
    }
  }

  List<String> list() {
    return List.copyOf(found);
  }
}
