package io.taxietl.launcher;

import java.util.List;

/**
 * The application's properties or arguments cannot start a job. The message lists every problem,
 * each naming the property group and key (or the command-line option) and the value that is wrong.
 */
public final class InvalidApplicationPropertiesException extends IllegalArgumentException {
  private final List<String> problems;

  public InvalidApplicationPropertiesException(List<String> problems) {
    super(
        "The job was not started. Invalid application properties or arguments:\n  - "
            + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
