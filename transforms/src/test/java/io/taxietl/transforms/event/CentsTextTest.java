package io.taxietl.transforms.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CentsTextTest {
  @Test
  void writesWhatDoubleToStringWritesForEveryWholeNumberOfHundredthsInRange() {
    List<String> differences = new ArrayList<>();
    long checked = 0;
    for (long cents = -CentsText.LIMIT + 1; cents < CentsText.LIMIT; cents++) {
      double value = cents / 100.0;
      String expected = Double.toString(value);
      String actual = text(value);
      if (!expected.equals(actual) && differences.size() < 20) {
        differences.add(cents + ": Double.toString " + expected + ", CentsText " + actual);
      }
      checked++;
    }
    assertThat(differences).isEmpty();
    assertThat(checked).isEqualTo(2 * CentsText.LIMIT - 1);
  }

  @Test
  void leavesEveryOtherDoubleToTheGeneralAlgorithm() {
    double[] others = {
      -0.0,
      0.001,
      1e-9,
      0.1 + 0.2,
      1.0 / 3,
      CentsText.LIMIT / 100.0,
      -CentsText.LIMIT / 100.0,
      1e300,
      Double.MAX_VALUE,
      Double.MIN_VALUE,
      Double.NaN,
      Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY
    };
    for (double other : others) {
      assertThat(text(other)).as("%s", other).isNull();
    }
  }

  /** What {@link CentsText} appends, or null when it declines. */
  private static String text(double value) {
    StringBuilder out = new StringBuilder();
    return CentsText.append(value, out) ? out.toString() : null;
  }
}
