package io.taxietl.transforms.event;

/**
 * {@link Double#toString(double)}'s text of a double that is a whole number of hundredths (as the
 * TLC's amounts and distances are), without the general algorithm: the JDK's {@code
 * FloatingDecimal} was the largest part of writing a trip's JSON.
 *
 * <p>For {@code d}, the double nearest to {@code c / 100} with {@code |c| < }{@value #LIMIT},
 * {@code Double.toString} writes the digits of {@code c / 100} without trailing zeros (at least one
 * fraction digit), as its contract says: those digits identify {@code d} and no shorter decimal
 * does. {@code CentsTextTest} compares the two for every such {@code c}.
 */
final class CentsText {
  /** Hundredths below this (values below 10,000) take the short path. */
  static final long LIMIT = 1_000_000;

  private CentsText() {}

  /**
   * Appends the text of {@code value} to {@code out} and returns true if it is a whole number of
   * hundredths in range; otherwise appends nothing and returns false.
   */
  static boolean append(double value, StringBuilder out) {
    double scaled = value * 100;
    if (!(scaled > -LIMIT && scaled < LIMIT)) {
      return false;
    }
    long cents = Math.round(scaled);
    if (cents / 100.0 != value || (cents == 0 && 1 / value < 0)) {
      return false;
    }
    long magnitude = cents;
    if (cents < 0) {
      out.append('-');
      magnitude = -cents;
    }
    out.append(magnitude / 100).append('.');
    int fraction = (int) (magnitude % 100);
    out.append((char) ('0' + fraction / 10));
    if (fraction % 10 != 0) {
      out.append((char) ('0' + fraction % 10));
    }
    return true;
  }
}
