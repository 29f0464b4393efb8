package io.taxietl.transforms.parse;

import io.taxietl.avro.TripEvent;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What one payload turned into: a valid {@link Trip}, a {@link Watermark} event, or a {@link
 * Rejected} payload. The three kinds are the only subclasses (the constructor is private).
 */
public abstract class ParseOutcome {
  private ParseOutcome() {}

  /** A payload that parsed and validated into a trip. */
  public static final class Trip extends ParseOutcome {
    private final TripEvent event;

    public Trip(TripEvent event) {
      this.event = Objects.requireNonNull(event, "event");
    }

    public TripEvent event() {
      return event;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Trip && ((Trip) other).event.equals(event);
    }

    @Override
    public int hashCode() {
      return event.hashCode();
    }

    @Override
    public String toString() {
      return "Trip[" + event + "]";
    }
  }

  /** A replay-tool watermark event: not a trip, counted and skipped. */
  public static final class Watermark extends ParseOutcome {
    @Override
    public boolean equals(Object other) {
      return other instanceof Watermark;
    }

    @Override
    public int hashCode() {
      return Watermark.class.hashCode();
    }

    @Override
    public String toString() {
      return "Watermark[]";
    }
  }

  /** A payload that cannot become a valid trip. */
  public static final class Rejected extends ParseOutcome {
    private final RejectionReason reason;
    private final String message;
    private final @Nullable Long tripId;

    /**
     * @param tripId the trip id when the payload parsed far enough to know it
     */
    public Rejected(RejectionReason reason, String message, @Nullable Long tripId) {
      this.reason = Objects.requireNonNull(reason, "reason");
      this.message = Objects.requireNonNull(message, "message");
      this.tripId = tripId;
    }

    public RejectionReason reason() {
      return reason;
    }

    public String message() {
      return message;
    }

    public @Nullable Long tripId() {
      return tripId;
    }

    @Override
    public boolean equals(Object other) {
      if (!(other instanceof Rejected)) {
        return false;
      }
      Rejected that = (Rejected) other;
      return reason == that.reason
          && message.equals(that.message)
          && Objects.equals(tripId, that.tripId);
    }

    @Override
    public int hashCode() {
      return Objects.hash(reason, message, tripId);
    }

    @Override
    public String toString() {
      return "Rejected[reason=" + reason + ", message=" + message + ", tripId=" + tripId + "]";
    }
  }
}
