package io.taxietl.replay;

import java.nio.file.Path;
import java.time.YearMonth;

/**
 * One input of {@code replay convert}: a TLC trip file, its kind and month (from its name) and
 * which of its rows to keep.
 *
 * @param path the file
 * @param type the kind of file, which also gives the events' {@code type}
 * @param month the month in the file name, part of every trip id
 * @param sampleEvery keep rows 1, N+1, 2N+1, ...; 1 keeps every row
 * @param limit the most rows to keep after sampling; {@link #NO_LIMIT} for all
 */
record InputFile(Path path, TripType type, YearMonth month, int sampleEvery, long limit) {
  /** The {@link #limit} that keeps every sampled row. */
  static final long NO_LIMIT = Long.MAX_VALUE;

  InputFile {
    if (sampleEvery < 1) {
      throw new IllegalArgumentException("sampleEvery must be at least 1: " + sampleEvery);
    }
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1: " + limit);
    }
  }

  /** Whether sampling keeps the given 1-based data row. */
  boolean samples(long rowNumber) {
    return (rowNumber - 1) % sampleEvery == 0;
  }

  /**
   * The selection in words, for the summary: {@code every row}, {@code 1 row in 7, at most 100}.
   */
  String describeSelection() {
    String rows = sampleEvery == 1 ? "every row" : "1 row in " + sampleEvery;
    return limit == NO_LIMIT ? rows : rows + ", at most " + limit;
  }
}
