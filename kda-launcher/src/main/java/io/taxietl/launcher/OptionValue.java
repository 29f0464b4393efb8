package io.taxietl.launcher;

import java.util.Objects;

/** One option's value and where it came from: a {@code group.key} of the application properties. */
public final class OptionValue {
  private final String value;
  private final String origin;

  public OptionValue(String value, String origin) {
    this.value = Objects.requireNonNull(value, "value");
    this.origin = Objects.requireNonNull(origin, "origin");
  }

  public String value() {
    return value;
  }

  public String origin() {
    return origin;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof OptionValue
        && value.equals(((OptionValue) other).value)
        && origin.equals(((OptionValue) other).origin);
  }

  @Override
  public int hashCode() {
    return Objects.hash(value, origin);
  }

  @Override
  public String toString() {
    return value + " (from " + origin + ")";
  }
}
