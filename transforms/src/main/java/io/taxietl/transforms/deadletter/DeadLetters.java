package io.taxietl.transforms.deadletter;

import io.taxietl.avro.EventSource;
import io.taxietl.avro.FailedEvent;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Builds dead-letter records that keep the original payload next to the reason. */
public final class DeadLetters {
  /**
   * The most payload bytes a dead letter keeps: {@value} (128 KiB). A real event is about 400 bytes
   * and is kept whole. Longer payloads (an event over the size limit, a sink's document) are cut,
   * so that every dead letter stays within the 1 MB a Kafka topic accepts by default even when each
   * byte is written as a six-character JSON escape.
   */
  public static final int MAX_PAYLOAD_BYTES = 128 * 1024;

  private DeadLetters() {}

  /**
   * A dead letter for {@code payload}: the payload is kept as text when it is valid UTF-8 and as
   * base64 otherwise, so nothing of the original event is lost; a payload over {@link
   * #MAX_PAYLOAD_BYTES} keeps its first bytes, and the error message says so.
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
    byte[] kept = payload;
    String message = errorMessage;
    if (payload.length > MAX_PAYLOAD_BYTES) {
      kept = Arrays.copyOf(payload, utf8Boundary(payload, MAX_PAYLOAD_BYTES));
      message =
          String.format(
              Locale.ROOT,
              "%s (the dead letter keeps the first %,d bytes of the payload)",
              errorMessage,
              kept.length);
    }
    String text = strictUtf8(kept);
    return FailedEvent.newBuilder()
        .setStage(stage)
        .setReason(reason)
        .setErrorMessage(message)
        .setErrorClass(errorClass)
        .setPayload(text)
        .setPayloadBase64(text == null ? Base64.getEncoder().encodeToString(kept) : null)
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

  /**
   * The largest cut at or below {@code limit} that splits no UTF-8 sequence of {@code bytes} (that
   * is {@code limit} itself when the bytes there are not UTF-8 anyway).
   */
  static int utf8Boundary(byte[] bytes, int limit) {
    int cut = limit;
    // Back over at most three continuation bytes to the start of the sequence that crosses the cut.
    while (cut > limit - 3 && cut > 0 && (bytes[cut] & 0xc0) == 0x80) {
      cut--;
    }
    return (bytes[cut] & 0xc0) == 0x80 ? limit : cut;
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
