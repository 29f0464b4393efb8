package io.taxietl.transforms.parse;

import static io.taxietl.transforms.TestTrips.raw;
import static io.taxietl.transforms.TestTrips.rawFromFile;
import static org.assertj.core.api.Assertions.assertThat;

import io.taxietl.avro.FailedEvent;
import io.taxietl.avro.RawEvent;
import io.taxietl.avro.TripEvent;
import io.taxietl.transforms.TestTrips;
import io.taxietl.transforms.deadletter.DeadLetters;
import io.taxietl.transforms.deadletter.FailedEventJson;
import io.taxietl.transforms.metrics.EtlMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;

/** The transform around the parser: both outputs, the dead-letter fields, and the counters. */
class ParseTripEventsTest {
  private static final String FILE = "/data/events.jsonl";
  private static final String VALID =
      "{\"trip_id\":%d,\"type\":\"yellow\",\"pickup_datetime\":\"2019-03-01T00:13:12\","
          + "\"dropoff_datetime\":\"2019-03-01T00:21:40\",\"pickup_location_id\":239,"
          + "\"dropoff_location_id\":142,\"trip_distance\":1.53}";

  @Test
  void validTripsGoToTheMainOutputAndEveryBadEventToTheDeadLetters() {
    byte[] notUtf8 = {'{', (byte) 0xff, (byte) 0xfe, '}'};
    List<RawEvent> events =
        List.of(
            rawFromFile(String.format(VALID, 1), FILE, 1),
            rawFromFile("{\"trip_id\":", FILE, 2),
            rawFromFile(String.format(VALID, 3).replace("239", "0"), FILE, 3),
            rawFromFile("{\"watermark\":\"2019-03-01T00:00:00Z\",\"type\":\"watermark\"}", FILE, 4),
            raw(notUtf8, FILE, 5),
            rawFromFile(String.format(VALID, 6).replace("1.53", "-1.0"), FILE, 6),
            rawFromFile(String.format(VALID, 7), FILE, 7));

    TestPipeline pipeline = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    PCollectionTuple parsed =
        pipeline
            .apply(Create.of(events).withCoder(AvroCoder.of(RawEvent.class)))
            .apply(ParseTripEvents.withEventTimeZone(ZoneOffset.UTC));

    PAssert.that(
            parsed
                .get(ParseTripEvents.TRIPS)
                .apply(MapElements.into(TypeDescriptors.longs()).via(TripEvent::getTripId)))
        .containsInAnyOrder(1L, 7L);
    PAssert.that(parsed.get(ParseTripEvents.DEAD_LETTERS))
        .satisfies(
            deadLetters -> {
              Map<Long, FailedEvent> byLine = new TreeMap<>();
              deadLetters.forEach(d -> byLine.put(d.getOrigin().getLineNumber(), d));
              assertThat(byLine).containsOnlyKeys(2L, 3L, 5L, 6L);

              FailedEvent malformed = byLine.get(2L);
              assertThat(malformed.getStage()).isEqualTo("parse");
              assertThat(malformed.getReason()).isEqualTo("MALFORMED_JSON");
              assertThat(malformed.getPayload()).isEqualTo("{\"trip_id\":");
              assertThat(malformed.getPayloadBase64()).isNull();
              assertThat(malformed.getOrigin().getSource()).isEqualTo("file");
              assertThat(malformed.getOrigin().getFile()).isEqualTo(FILE);
              assertThat(malformed.getFailedAt()).isNotNull();

              FailedEvent outOfRange = byLine.get(3L);
              assertThat(outOfRange.getStage()).isEqualTo("validate");
              assertThat(outOfRange.getReason()).isEqualTo("LOCATION_OUT_OF_RANGE");
              assertThat(outOfRange.getErrorMessage()).contains("pickup_location_id 0");
              assertThat(outOfRange.getTripId()).isEqualTo(3L);

              FailedEvent binary = byLine.get(5L);
              assertThat(binary.getReason()).isEqualTo("MALFORMED_JSON");
              assertThat(binary.getPayload()).isNull();
              assertThat(Base64.getDecoder().decode(binary.getPayloadBase64())).isEqualTo(notUtf8);

              assertThat(byLine.get(6L).getReason()).isEqualTo("NEGATIVE_DISTANCE");
              return null;
            });

    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertThat(TestTrips.counters(result))
        .containsEntry(EtlMetrics.TRIPS_PARSED, 2L)
        .containsEntry(EtlMetrics.WATERMARK_EVENTS_SKIPPED, 1L)
        .containsEntry(EtlMetrics.DEAD_LETTERS, 4L)
        .containsEntry("dead_letters.parse.MALFORMED_JSON", 2L)
        .containsEntry("dead_letters.validate.LOCATION_OUT_OF_RANGE", 1L)
        .containsEntry("dead_letters.validate.NEGATIVE_DISTANCE", 1L)
        .doesNotContainKey("dead_letters.parse.MISSING_FIELD");
  }

  @Test
  void deadLetterJsonCarriesTheContractFields() {
    FailedEvent failed =
        DeadLetters.of(
            "parse",
            "INVALID_FIELD",
            "field trip_id: expected an integer, got \"abc\"",
            null,
            "{\"trip_id\":\"abc\"}".getBytes(StandardCharsets.UTF_8),
            TestTrips.rawFromFile("", FILE, 12).getOrigin(),
            null,
            Instant.parse("2026-01-02T03:04:05.678Z"));

    assertThat(FailedEventJson.toJson(failed))
        .isEqualTo(
            "{\"stage\":\"parse\",\"reason\":\"INVALID_FIELD\","
                + "\"error_message\":\"field trip_id: expected an integer, got \\\"abc\\\"\","
                + "\"payload\":\"{\\\"trip_id\\\":\\\"abc\\\"}\",\"source\":\"file\","
                + "\"file\":\"/data/events.jsonl\",\"line_number\":12,"
                + "\"failed_at\":\"2026-01-02T03:04:05.678Z\"}");
  }
}
