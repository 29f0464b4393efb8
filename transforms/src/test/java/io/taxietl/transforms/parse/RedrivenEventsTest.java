package io.taxietl.transforms.parse;

import static io.taxietl.transforms.TestTrips.rawFromFile;
import static org.assertj.core.api.Assertions.assertThat;

import io.taxietl.avro.FailedEvent;
import io.taxietl.avro.RawEvent;
import io.taxietl.avro.TripEvent;
import io.taxietl.transforms.TestTrips;
import io.taxietl.transforms.deadletter.FailedEventJson;
import io.taxietl.transforms.metrics.EtlMetrics;
import java.time.ZoneOffset;
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

/**
 * Events that {@code replay redrive} sent back: a payload that is valid now becomes a trip, one
 * that is still bad becomes one dead letter again, with the original payload and its history.
 */
class RedrivenEventsTest {
  private static final String FIXED =
      "{\"trip_id\":41,\"type\":\"yellow\",\"pickup_datetime\":\"2019-03-01T00:13:12\","
          + "\"dropoff_datetime\":\"2019-03-01T00:21:40\",\"pickup_location_id\":239,"
          + "\"dropoff_location_id\":142}";
  private static final String STILL_BAD =
      "{\"trip_id\":42,\"type\":\"yellow\",\"pickup_datetime\":\"2019-03-01T00:13:12\","
          + "\"dropoff_datetime\":\"2019-03-01T00:21:40\",\"dropoff_location_id\":142}";
  private static final String HISTORY =
      "{\"count\":2,\"previous_failures\":["
          + "{\"stage\":\"parse\",\"reason\":\"MISSING_FIELD\",\"error_message\":\"first\","
          + "\"failed_at\":\"2026-12-01T00:00:00Z\",\"origin\":{\"source\":\"file\","
          + "\"file\":\"/in/a.jsonl\",\"line_number\":7}},"
          + "{\"stage\":\"parse\",\"reason\":\"MISSING_FIELD\",\"error_message\":\"second\","
          + "\"failed_at\":\"2026-12-02T00:00:00Z\",\"origin\":{\"source\":\"kafka\","
          + "\"topic\":\"trips\",\"partition\":1,\"offset\":99}}]}";

  @Test
  void aFixedPayloadBecomesATripAndAStillBadOneADeadLetterWithItsHistory() {
    List<RawEvent> events =
        List.of(
            rawFromFile(envelope(FIXED), "/redrive.jsonl", 1),
            rawFromFile(envelope(STILL_BAD), "/redrive.jsonl", 2),
            rawFromFile("{\"redrive\":{\"count\":1},\"payload\":", "/redrive.jsonl", 3));

    TestPipeline pipeline = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    PCollectionTuple parsed =
        pipeline
            .apply(Create.of(events).withCoder(AvroCoder.of(RawEvent.class)))
            .apply(ParseTripEvents.withEventTimeZone(ZoneOffset.UTC));

    PAssert.that(
            parsed
                .get(ParseTripEvents.TRIPS)
                .apply(MapElements.into(TypeDescriptors.longs()).via(TripEvent::getTripId)))
        .containsInAnyOrder(41L);
    PAssert.that(parsed.get(ParseTripEvents.DEAD_LETTERS))
        .satisfies(
            deadLetters -> {
              Map<Long, FailedEvent> byLine = new TreeMap<>();
              deadLetters.forEach(d -> byLine.put(d.getOrigin().getLineNumber(), d));
              assertThat(byLine).containsOnlyKeys(2L, 3L);

              FailedEvent again = byLine.get(2L);
              assertThat(again.getReason()).isEqualTo("MISSING_FIELD");
              assertThat(again.getPayload()).as("the original payload").isEqualTo(STILL_BAD);
              assertThat(again.getTripId()).isEqualTo(42L);
              assertThat(again.getRedriveCount()).isEqualTo(2);
              assertThat(again.getPreviousFailures()).hasSize(2);
              assertThat(again.getPreviousFailures().get(1).getOrigin().getOffset()).isEqualTo(99L);
              assertThat(FailedEventJson.toJson(again))
                  .contains(",\"redrive_count\":2,\"previous_failures\":[{\"stage\":\"parse\"")
                  .contains(
                      "\"error_message\":\"second\",\"failed_at\":\"2026-12-02T00:00:00Z\","
                          + "\"origin\":{\"source\":\"kafka\",\"topic\":\"trips\","
                          + "\"partition\":1,\"offset\":99}}]}");

              FailedEvent broken = byLine.get(3L);
              assertThat(broken.getReason()).isEqualTo("MALFORMED_JSON");
              assertThat(broken.getErrorMessage())
                  .startsWith("a redrive envelope that cannot be read: not JSON");
              assertThat(broken.getRedriveCount()).isNull();
              assertThat(FailedEventJson.toJson(broken))
                  .doesNotContain("redrive_count")
                  .doesNotContain("previous_failures");
              return null;
            });
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    Map<String, Long> counters = TestTrips.counters(result);
    assertThat(counters).containsEntry(EtlMetrics.REDRIVEN_EVENTS, 3L);
    assertThat(counters).containsEntry(EtlMetrics.TRIPS_PARSED, 1L);
    assertThat(counters).containsEntry(EtlMetrics.DEAD_LETTERS, 2L);
  }

  private static String envelope(String payload) {
    return "{\"redrive\":" + HISTORY + ",\"payload\":\"" + payload.replace("\"", "\\\"") + "\"}";
  }
}
