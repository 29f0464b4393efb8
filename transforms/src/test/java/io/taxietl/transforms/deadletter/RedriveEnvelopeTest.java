package io.taxietl.transforms.deadletter;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taxietl.avro.PreviousFailure;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The envelope of docs/dead-letters.md, as {@code replay redrive} writes it. */
class RedriveEnvelopeTest {
  /** The example of docs/dead-letters.md. */
  static final String EXAMPLE =
      "{\"redrive\":{\"count\":1,\"previous_failures\":[{\"stage\":\"parse\","
          + "\"reason\":\"MISSING_FIELD\",\"error_message\":\"required field pickup_location_id is"
          + " missing or null\",\"failed_at\":\"2026-12-03T10:15:30.123Z\",\"origin\":{\"source\":"
          + "\"kafka\",\"topic\":\"trips\",\"partition\":0,\"offset\":12}}]},"
          + "\"payload\":\"{\\\"trip_id\\\":1,\\\"type\\\":\\\"yellow\\\"}\"}";

  @Test
  void theDocumentedEnvelopeGivesBackThePayloadAndItsHistory() {
    byte[] event = EXAMPLE.getBytes(UTF_8);
    assertThat(RedriveEnvelope.looksLikeOne(event)).isTrue();

    RedriveEnvelope envelope = RedriveEnvelope.read(event);

    assertThat(new String(envelope.payload(), UTF_8))
        .isEqualTo("{\"trip_id\":1,\"type\":\"yellow\"}");
    assertThat(envelope.count()).isEqualTo(1);
    assertThat(envelope.previousFailures()).hasSize(1);
    PreviousFailure first = envelope.previousFailures().get(0);
    assertThat(first.getStage()).isEqualTo("parse");
    assertThat(first.getReason()).isEqualTo("MISSING_FIELD");
    assertThat(first.getErrorMessage()).contains("pickup_location_id");
    assertThat(first.getFailedAt()).isEqualTo(Instant.parse("2026-12-03T10:15:30.123Z"));
    assertThat(first.getOrigin().getSource()).isEqualTo("kafka");
    assertThat(first.getOrigin().getTopic()).isEqualTo("trips");
    assertThat(first.getOrigin().getPartition()).isEqualTo(0);
    assertThat(first.getOrigin().getOffset()).isEqualTo(12L);
    assertThat(first.getOrigin().getFile()).isNull();
  }

  @Test
  void aPayloadThatIsNotUtf8TravelsAsBase64ByteForByte() {
    byte[] original = {'{', (byte) 0xff, (byte) 0xfe, '}'};
    String event =
        "  {\"redrive\":{\"count\":2,\"previous_failures\":[]},\"payload_base64\":\"e//+fQ==\"}";
    assertThat(RedriveEnvelope.looksLikeOne(event.getBytes(UTF_8))).isTrue();
    RedriveEnvelope envelope = RedriveEnvelope.read(event.getBytes(UTF_8));
    assertThat(envelope.payload()).isEqualTo(original);
    assertThat(envelope.count()).isEqualTo(2);
    assertThat(envelope.previousFailures()).isEmpty();
  }

  @Test
  void eventsAreNotEnvelopes() {
    for (String event :
        new String[] {
          "{\"trip_id\":1,\"redrive\":{}}", "{ \"redrive\":{}}", "", "{\"redrive\"", "[1]"
        }) {
      assertThat(RedriveEnvelope.looksLikeOne(event.getBytes(UTF_8))).as(event).isFalse();
    }
  }

  @Test
  void aBrokenEnvelopeSaysWhatIsWrong() {
    assertThat(problem("{\"redrive\":1,\"payload\":\"x\"}"))
        .isEqualTo("\"redrive\" is not an object");
    assertThat(problem("{\"redrive\":{\"count\":0},\"payload\":\"x\"}"))
        .isEqualTo("\"redrive.count\" is not a whole number of at least 1");
    assertThat(problem("{\"redrive\":{\"count\":1}}"))
        .isEqualTo("neither \"payload\" nor \"payload_base64\" is a string");
    assertThat(problem("{\"redrive\":{\"count\":1},\"payload_base64\":\"%%\"}"))
        .isEqualTo("\"payload_base64\" is not base64");
    assertThat(
            problem(
                "{\"redrive\":{\"count\":1,\"previous_failures\":[{\"stage\":\"parse\"}]},"
                    + "\"payload\":\"x\"}"))
        .isEqualTo("a previous failure has no string \"failed_at\"");
    assertThat(problem("{\"redrive\":{\"count\":1},\"payload\":")).startsWith("not JSON: ");
  }

  private static String problem(String event) {
    assertThatThrownBy(() -> RedriveEnvelope.read(event.getBytes(UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
    try {
      RedriveEnvelope.read(event.getBytes(UTF_8));
      throw new AssertionError("accepted " + event);
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }
}
