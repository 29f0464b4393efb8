package io.taxietl.launcher;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The option values that property groups set so far, by option name, and the problems found: a
 * value is taken only for an option this build has, when it is not empty, when Beam can read it as
 * the option's type, and when no other key set the option already.
 */
final class MappedOptions {
  private final OptionCatalog catalog;
  private final Map<String, OptionValue> values = new TreeMap<>();
  private final List<String> problems = new ArrayList<>();

  MappedOptions(OptionCatalog catalog) {
    this.catalog = catalog;
  }

  /** Sets {@code option} to {@code value}, read from {@code origin} ({@code group.key}). */
  void put(String option, String value, String origin) {
    if (!catalog.has(option)) {
      problem(origin + " is not supported by this build yet: it has no --" + option + " option");
      return;
    }
    if (value.isBlank()) {
      problem(origin + " is empty");
      return;
    }
    String badType = catalog.typeProblem(option, value);
    if (badType != null) {
      problem(origin + "=" + value + " is not a valid value for --" + option + ": " + badType);
      return;
    }
    OptionValue previous = values.putIfAbsent(option, new OptionValue(value, origin));
    if (previous != null) {
      problem(origin + " and " + previous.origin() + " both set --" + option + ": keep one");
    }
  }

  void problem(String problem) {
    problems.add(problem);
  }

  List<String> problems() {
    return Collections.unmodifiableList(problems);
  }

  Map<String, OptionValue> values() {
    return Collections.unmodifiableMap(values);
  }
}
