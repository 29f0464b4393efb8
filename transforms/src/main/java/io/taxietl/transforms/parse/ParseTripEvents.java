package io.taxietl.transforms.parse;

import io.taxietl.avro.FailedEvent;
import io.taxietl.avro.RawEvent;
import io.taxietl.avro.TripEvent;
import io.taxietl.transforms.TripEventCoder;
import io.taxietl.transforms.deadletter.DeadLetters;
import io.taxietl.transforms.deadletter.RedriveEnvelope;
import io.taxietl.transforms.metrics.EtlMetrics;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Parses and validates raw events into trips.
 *
 * <pre>{@code
 * PCollectionTuple parsed =
 *     events.apply("ParseTripEvents", ParseTripEvents.withEventTimeZone(ZoneId.of("UTC")));
 * PCollection<TripEvent> trips = parsed.get(ParseTripEvents.TRIPS);
 * PCollection<FailedEvent> rejected = parsed.get(ParseTripEvents.DEAD_LETTERS);
 * }</pre>
 *
 * <p>Input: {@link RawEvent}s from any source. Outputs, as a {@link PCollectionTuple}: {@link
 * #TRIPS} with every valid {@link TripEvent}, and {@link #DEAD_LETTERS} with a {@link FailedEvent}
 * (stage {@code parse} or {@code validate}, a {@link RejectionReason}, the original payload and its
 * coordinates) for every event that is not one. Watermark events of the replay tool are counted and
 * dropped. An event in a {@code replay redrive} envelope ({@link RedriveEnvelope}) is parsed as the
 * original payload it carries; if it fails again, its dead letter carries the original payload and
 * the envelope's history ({@code redrive_count}, {@code previous_failures}). Element timestamps and
 * windows pass through unchanged.
 *
 * <p>Metrics ({@link EtlMetrics}): {@code trips_parsed}, {@code watermark_events_skipped}, {@code
 * redriven_events}, {@code dead_letters}, {@code dead_letters.<stage>.<REASON>}, the distribution
 * {@code event_time_lag_millis} (processing time minus dropoff time of each valid trip) and the
 * gauge {@code event_time_lag_max_millis} (its largest value in the latest bundle). Only bad input
 * goes to the dead letters: an unexpected exception fails the bundle, so a bug is seen, not buried.
 */
public final class ParseTripEvents extends PTransform<PCollection<RawEvent>, PCollectionTuple> {
  public static final TupleTag<TripEvent> TRIPS = new TupleTag<>("trips") {};
  public static final TupleTag<FailedEvent> DEAD_LETTERS = new TupleTag<>("deadLetters") {};

  private final ZoneId eventTimeZone;

  private ParseTripEvents(ZoneId eventTimeZone) {
    this.eventTimeZone = eventTimeZone;
  }

  /** Parses naive timestamps (those without an offset) in {@code eventTimeZone}. */
  public static ParseTripEvents withEventTimeZone(ZoneId eventTimeZone) {
    return new ParseTripEvents(Objects.requireNonNull(eventTimeZone, "eventTimeZone"));
  }

  @Override
  public PCollectionTuple expand(PCollection<RawEvent> events) {
    PCollectionTuple parsed =
        events.apply(
            "ParsePayloads",
            ParDo.of(new ParseFn(new TripEventParser(eventTimeZone)))
                .withOutputTags(TRIPS, TupleTagList.of(DEAD_LETTERS)));
    parsed.get(TRIPS).setCoder(TripEventCoder.of());
    parsed.get(DEAD_LETTERS).setCoder(AvroCoder.of(FailedEvent.class));
    return parsed;
  }

  static final class ParseFn extends DoFn<RawEvent, TripEvent> {
    private final TripEventParser parser;
    private transient EtlMetrics.BundleCounter trips;
    private transient EtlMetrics.EtlCounter watermarks;
    private transient EtlMetrics.EtlCounter redriven;
    private transient EtlMetrics.EtlCounter deadLetters;
    private transient Map<RejectionReason, EtlMetrics.EtlCounter> deadLettersByReason;
    private transient EtlMetrics.EtlLag eventTimeLag;

    ParseFn(TripEventParser parser) {
      this.parser = parser;
    }

    @Setup
    public void setup() {
      trips = EtlMetrics.bundleCounter(EtlMetrics.TRIPS_PARSED);
      watermarks = EtlMetrics.counter(EtlMetrics.WATERMARK_EVENTS_SKIPPED);
      redriven = EtlMetrics.counter(EtlMetrics.REDRIVEN_EVENTS);
      deadLetters = EtlMetrics.counter(EtlMetrics.DEAD_LETTERS);
      eventTimeLag =
          EtlMetrics.lag(EtlMetrics.EVENT_TIME_LAG_MILLIS, EtlMetrics.EVENT_TIME_LAG_MAX_MILLIS);
      deadLettersByReason = new EnumMap<>(RejectionReason.class);
      for (RejectionReason reason : RejectionReason.values()) {
        deadLettersByReason.put(
            reason,
            EtlMetrics.counter(EtlMetrics.deadLetterCounterName(reason.stage(), reason.name())));
      }
    }

    @ProcessElement
    public void processElement(@Element RawEvent event, MultiOutputReceiver out) {
      byte[] payload = bytes(event.getPayload());
      RedriveEnvelope envelope = null;
      String badEnvelope = null;
      if (RedriveEnvelope.looksLikeOne(payload)) {
        redriven.inc();
        try {
          envelope = RedriveEnvelope.read(payload);
          payload = envelope.payload();
        } catch (IllegalArgumentException e) {
          badEnvelope = e.getMessage();
        }
      }
      ParseOutcome outcome =
          badEnvelope == null
              ? parser.parse(payload)
              : new ParseOutcome.Rejected(
                  RejectionReason.MALFORMED_JSON,
                  "a redrive envelope that cannot be read: " + badEnvelope,
                  null);
      if (outcome instanceof ParseOutcome.Trip) {
        ParseOutcome.Trip trip = (ParseOutcome.Trip) outcome;
        trips.inc();
        eventTimeLag.update(
            System.currentTimeMillis() - trip.event().getDropoffDatetime().toEpochMilli());
        out.get(TRIPS).output(trip.event());
      } else if (outcome instanceof ParseOutcome.Watermark) {
        watermarks.inc();
      } else if (outcome instanceof ParseOutcome.Rejected) {
        ParseOutcome.Rejected rejected = (ParseOutcome.Rejected) outcome;
        RejectionReason reason = rejected.reason();
        deadLetters.inc();
        deadLettersByReason.get(reason).inc();
        FailedEvent failed =
            DeadLetters.of(
                reason.stage(),
                reason.name(),
                rejected.message(),
                null,
                payload,
                event.getOrigin(),
                rejected.tripId(),
                Instant.now());
        out.get(DEAD_LETTERS)
            .output(envelope == null ? failed : DeadLetters.redriven(failed, envelope));
      } else {
        throw new IllegalStateException("unknown parse outcome " + outcome);
      }
    }

    @FinishBundle
    public void finishBundle() {
      trips.finishBundle();
      eventTimeLag.finishBundle();
    }

    private static byte[] bytes(ByteBuffer buffer) {
      if (buffer.hasArray()
          && buffer.arrayOffset() == 0
          && buffer.position() == 0
          && buffer.remaining() == buffer.array().length) {
        return buffer.array();
      }
      byte[] copy = new byte[buffer.remaining()];
      buffer.duplicate().get(copy);
      return copy;
    }
  }
}
