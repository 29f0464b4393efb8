package io.taxietl.pipeline.validation;

import io.taxietl.options.EventTimeOptions;
import java.time.DateTimeException;
import java.time.ZoneId;
import org.checkerframework.checker.nullness.qual.Nullable;

/** The rules of {@link EventTimeOptions}: a time zone id. */
final class EventTimeRules {
  private EventTimeRules() {}

  /** The zone of {@code --eventTimeZone}, or null (and a problem) when it is not a zone id. */
  static @Nullable ZoneId zone(EventTimeOptions options, Problems problems) {
    String zone = options.getEventTimeZone();
    try {
      return ZoneId.of(zone);
    } catch (DateTimeException | NullPointerException e) {
      problems.add(
          "--eventTimeZone=" + zone + " is not a time zone id (use e.g. UTC or America/New_York)");
      return null;
    }
  }
}
