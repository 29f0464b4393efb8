package io.taxietl.transforms.parse;

/** Why an event became a dead letter, with the pipeline stage that refused it. */
public enum RejectionReason {
  /** Larger than {@link io.taxietl.transforms.event.EventSize#MAX_BYTES}: not parsed at all. */
  TOO_LARGE("parse"),
  /** Not valid UTF-8 JSON, not a JSON object, or nested deeper than the parser reads. */
  MALFORMED_JSON("parse"),
  /** A required field is absent or null. */
  MISSING_FIELD("parse"),
  /** A field has the wrong type or an unparseable value. */
  INVALID_FIELD("parse"),
  /** The dropoff time is earlier than the pickup time. */
  DROPOFF_BEFORE_PICKUP("validate"),
  /** A location id outside the TLC zone table (1..265). */
  LOCATION_OUT_OF_RANGE("validate"),
  /** A negative trip distance. */
  NEGATIVE_DISTANCE("validate");

  private final String stage;

  RejectionReason(String stage) {
    this.stage = stage;
  }

  /** The stage name written into dead letters: {@code parse} or {@code validate}. */
  public String stage() {
    return stage;
  }
}
