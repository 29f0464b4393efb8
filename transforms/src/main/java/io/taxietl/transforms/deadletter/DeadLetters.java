package io.taxietl.transforms.deadletter;

import io.taxietl.avro.EventSource;
import io.taxietl.avro.FailedEvent;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Builds dead-letter records that keep the original payload next to the reason. */
public final class DeadLetters {
  private DeadLetters() {}

  /**
   * A dead letter for {@code payload}: the payload is kept as text when it is valid UTF-8 and as
   * base64 otherwise, so nothing of the original event is lost.
   */
  public static FailedEvent of(
      String stage,
      String reason,
      String errorMessage,
      @Nullable String errorClass,
      byte[] payload,
      EventSource origin,
      @Nullable Long tripId,
      Instant failedAt) {
    String text = strictUtf8(payload);
    return FailedEvent.newBuilder()
        .setStage(stage)
        .setReason(reason)
        .setErrorMessage(errorMessage)
        .setErrorClass(errorClass)
        .setPayload(text)
        .setPayloadBase64(text == null ? Base64.getEncoder().encodeToString(payload) : null)
        .setTripId(tripId)
        .setOrigin(origin)
        .setFailedAt(failedAt)
        .build();
  }

  /**
   * {@code failed}, a failure of a payload that {@code replay redrive} sent back, with its history:
   * the redrive count and the earlier failures the envelope carried.
   */
  public static FailedEvent redriven(FailedEvent failed, RedriveEnvelope envelope) {
    return FailedEvent.newBuilder(failed)
        .setRedriveCount(envelope.count())
        .setPreviousFailures(envelope.previousFailures())
        .build();
  }

  private static @Nullable String strictUtf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
