package io.taxietl.replay;

import java.util.Locale;
import java.util.Optional;

/** The kind of TLC trip file an input is, chosen by its file name extension. */
enum TripType {
  /** Yellow taxi trips as CSV with a snake_case header, optionally gzip-compressed. */
  YELLOW("yellow", 1),
  /** Green taxi trips as Parquet with the TLC column names. */
  GREEN("green", 2);

  private final String eventType;
  private final int tripIdPrefix;

  TripType(String eventType, int tripIdPrefix) {
    this.eventType = eventType;
    this.tripIdPrefix = tripIdPrefix;
  }

  /** The value of the event's {@code type} field. */
  String eventType() {
    return eventType;
  }

  /** The leading digit {@code T} of the trip ids of this kind of file. */
  int tripIdPrefix() {
    return tripIdPrefix;
  }

  /**
   * The kind of a file from its name: {@code .csv} or {@code .csv.gz} is yellow, {@code .parquet}
   * is green.
   */
  static Optional<TripType> ofFileName(String fileName) {
    String name = fileName.toLowerCase(Locale.ROOT);
    if (name.endsWith(".csv") || name.endsWith(".csv.gz")) {
      return Optional.of(YELLOW);
    }
    if (name.endsWith(".parquet")) {
      return Optional.of(GREEN);
    }
    return Optional.empty();
  }
}
