package io.taxietl.replay;

import java.time.YearMonth;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Deterministic trip ids: {@code T * 10^14 + YYYYMM * 10^8 + row}, where {@code T} is the {@link
 * TripType}'s prefix, {@code YYYYMM} the month in the input file's name and {@code row} the 1-based
 * data row in that file. The same input row therefore gets the same id whatever other files are
 * converted with it.
 */
final class TripIds {
  /** The largest row number that fits in the id's last eight digits. */
  static final long MAX_ROW_NUMBER = 99_999_999L;

  private static final Pattern MONTH_IN_NAME = Pattern.compile("_(\\d{4})-(\\d{2})\\.");

  private TripIds() {}

  /** The id of the given 1-based data row of a file of the given kind and month. */
  static long tripId(TripType type, YearMonth month, long rowNumber) {
    if (rowNumber < 1 || rowNumber > MAX_ROW_NUMBER) {
      throw new IllegalArgumentException(
          "row number out of range 1.." + MAX_ROW_NUMBER + ": " + rowNumber);
    }
    long yyyymm = month.getYear() * 100L + month.getMonthValue();
    return type.tripIdPrefix() * 100_000_000_000_000L + yyyymm * 100_000_000L + rowNumber;
  }

  /**
   * The month named in a TLC file name such as {@code yellow_tripdata_2019-03.csv}; the last one if
   * several.
   */
  static Optional<YearMonth> monthOfFileName(String fileName) {
    Matcher matcher = MONTH_IN_NAME.matcher(fileName);
    YearMonth month = null;
    while (matcher.find()) {
      int monthValue = Integer.parseInt(matcher.group(2));
      if (monthValue >= 1 && monthValue <= 12) {
        month = YearMonth.of(Integer.parseInt(matcher.group(1)), monthValue);
      }
    }
    return Optional.ofNullable(month);
  }
}
