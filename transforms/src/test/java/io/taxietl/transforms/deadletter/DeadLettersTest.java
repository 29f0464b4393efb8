package io.taxietl.transforms.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import io.taxietl.avro.EventSource;
import io.taxietl.avro.FailedEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** A dead letter keeps the payload, whole up to its limit and its first bytes beyond. */
class DeadLettersTest {
  private static final EventSource ORIGIN =
      EventSource.newBuilder().setSource("file").setFile("f").setLineNumber(1L).build();

  private static FailedEvent deadLetter(byte[] payload) {
    return DeadLetters.of(
        "parse", "TOO_LARGE", "too large", null, payload, ORIGIN, null, Instant.EPOCH);
  }

  @Test
  void aPayloadWithinTheLimitIsKeptWhole() {
    byte[] payload = "é".repeat(DeadLetters.MAX_PAYLOAD_BYTES / 2).getBytes(StandardCharsets.UTF_8);

    FailedEvent failed = deadLetter(payload);

    assertThat(failed.getPayload()).isEqualTo(new String(payload, StandardCharsets.UTF_8));
    assertThat(failed.getErrorMessage()).isEqualTo("too large");
  }

  @Test
  void aLongerTextIsCutOnACharacterBoundaryAndTheMessageSaysSo() {
    // "x" then three-byte characters: the limit falls inside one of them.
    byte[] payload =
        ("x" + "€".repeat(DeadLetters.MAX_PAYLOAD_BYTES)).getBytes(StandardCharsets.UTF_8);

    FailedEvent failed = deadLetter(payload);

    int kept = failed.getPayload().getBytes(StandardCharsets.UTF_8).length;
    assertThat(kept).isEqualTo(DeadLetters.MAX_PAYLOAD_BYTES - 1);
    assertThat(failed.getPayload()).startsWith("x€€").doesNotContain("\uFFFD");
    assertThat(failed.getPayloadBase64()).isNull();
    assertThat(failed.getErrorMessage())
        .isEqualTo("too large (the dead letter keeps the first 131,071 bytes of the payload)");
  }

  @Test
  void longerBytesThatAreNotUtf8AreCutAtTheLimitAndKeptAsBase64() {
    byte[] payload = new byte[3 * DeadLetters.MAX_PAYLOAD_BYTES];
    Arrays.fill(payload, (byte) 0xff);

    FailedEvent failed = deadLetter(payload);

    assertThat(failed.getPayload()).isNull();
    assertThat(Base64.getDecoder().decode(failed.getPayloadBase64()))
        .isEqualTo(Arrays.copyOf(payload, DeadLetters.MAX_PAYLOAD_BYTES));
    assertThat(failed.getErrorMessage()).endsWith("keeps the first 131,072 bytes of the payload)");
  }
}
