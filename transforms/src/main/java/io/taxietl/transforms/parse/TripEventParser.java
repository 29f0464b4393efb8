package io.taxietl.transforms.parse;

import io.taxietl.avro.TripEvent;
import java.io.Serializable;
import java.time.ZoneId;

/**
 * Turns one event payload (UTF-8 JSON) into a {@link TripEvent}, a watermark, or a rejection with
 * one of the contract's reasons: {@link TripJsonReader} reads the payload's values, {@link
 * TripRules} judge them.
 *
 * <p>It accepts what the original AWS sample accepted: timestamps as ISO-8601 with {@code T} or a
 * space, optional fraction and offset, or epoch milliseconds; numbers as JSON numbers or numeric
 * strings; absent, {@code null} or empty optional fields as null. Unknown fields are ignored. It
 * throws only for bugs, never for bad input.
 */
public final class TripEventParser implements Serializable {
  private static final long serialVersionUID = 1L;

  private final TripJsonReader reader;

  /** Reads timestamps without an offset in {@code zone}. */
  public TripEventParser(ZoneId zone) {
    this.reader = new TripJsonReader(zone);
  }

  public ParseOutcome parse(byte[] payload) {
    TripFields fields = new TripFields();
    String malformed = reader.read(payload, fields);
    if (malformed != null) {
      return new ParseOutcome.Rejected(RejectionReason.MALFORMED_JSON, malformed, null);
    }
    return TripRules.judge(fields);
  }
}
