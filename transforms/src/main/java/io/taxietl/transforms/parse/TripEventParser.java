package io.taxietl.transforms.parse;

import io.taxietl.avro.TripEvent;
import io.taxietl.transforms.event.EventSize;
import java.io.Serializable;
import java.time.ZoneId;
import java.util.Locale;

/**
 * Turns one event payload (UTF-8 JSON) into a {@link TripEvent}, a watermark, or a rejection with
 * one of the contract's reasons: {@link FlatTripJsonReader} reads the payload's values when it is
 * the common flat ASCII object, {@link TripJsonReader} (Jackson) reads every other payload, and
 * {@link TripRules} judge the values. Both readers give the same values for a payload they both
 * read.
 *
 * <p>It accepts what the original AWS sample accepted: timestamps as ISO-8601 with {@code T} or a
 * space, optional fraction and offset, or epoch milliseconds; numbers as JSON numbers or numeric
 * strings; absent, {@code null} or empty optional fields as null. Unknown fields are ignored. An
 * event over {@link EventSize#MAX_BYTES} is rejected unread. It throws only for bugs, never for bad
 * input, and no input makes it slow: numbers are read only up to {@value
 * JsonFieldValues#MAX_NUMBER_CHARS} characters and JSON only {@value
 * TripJsonReader#MAX_NESTING_DEPTH} levels deep.
 */
public final class TripEventParser implements Serializable {
  private static final long serialVersionUID = 1L;

  private final FlatTripJsonReader flatReader;
  private final TripJsonReader reader;

  /** Reads timestamps without an offset in {@code zone}. */
  public TripEventParser(ZoneId zone) {
    this.flatReader = new FlatTripJsonReader(zone);
    this.reader = new TripJsonReader(zone);
  }

  public ParseOutcome parse(byte[] payload) {
    if (EventSize.tooLarge(payload.length)) {
      return new ParseOutcome.Rejected(
          RejectionReason.TOO_LARGE,
          String.format(
              Locale.ROOT,
              "event larger than %,d bytes, the most one event may have",
              EventSize.MAX_BYTES),
          null);
    }
    TripFields fields = flatReader.read(payload);
    if (fields == null) {
      fields = new TripFields();
      String malformed = reader.read(payload, fields);
      if (malformed != null) {
        return new ParseOutcome.Rejected(RejectionReason.MALFORMED_JSON, malformed, null);
      }
    }
    return TripRules.judge(fields);
  }
}
