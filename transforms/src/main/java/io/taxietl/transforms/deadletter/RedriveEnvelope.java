package io.taxietl.transforms.deadletter;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taxietl.avro.EventSource;
import io.taxietl.avro.PreviousFailure;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads the envelope in which {@code replay redrive} sends a dead letter's original payload back,
 * with the failures it already had (docs/dead-letters.md, "Redrive"):
 *
 * <pre>{@code
 * {"redrive":{"count":1,"previous_failures":[{"stage":"parse","reason":"MISSING_FIELD",
 *   "error_message":"...","failed_at":"2026-12-03T10:15:30.123Z",
 *   "origin":{"source":"kafka","topic":"trips","partition":0,"offset":12}}]},
 *  "payload":"{\"trip_id\":1,...}"}
 * }</pre>
 *
 * <p>{@code payload_base64} replaces {@code payload} for a payload that is not UTF-8. The envelope
 * starts with {@code {"redrive":}, so telling it from an event costs a prefix comparison; only
 * envelopes are parsed here.
 */
public final class RedriveEnvelope {
  private static final byte[] PREFIX = "{\"redrive\":".getBytes(UTF_8);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final byte[] payload;
  private final int count;
  private final List<PreviousFailure> previousFailures;

  private RedriveEnvelope(byte[] payload, int count, List<PreviousFailure> previousFailures) {
    this.payload = payload;
    this.count = count;
    this.previousFailures = previousFailures;
  }

  /** Whether {@code event} starts as an envelope does (leading white space allowed). */
  public static boolean looksLikeOne(byte[] event) {
    int start = 0;
    while (start < event.length && isWhiteSpace(event[start])) {
      start++;
    }
    if (event.length - start < PREFIX.length) {
      return false;
    }
    for (int i = 0; i < PREFIX.length; i++) {
      if (event[start + i] != PREFIX[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The envelope in {@code event}.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  public static RedriveEnvelope read(byte[] event) {
    JsonNode root;
    try {
      root = JSON.readTree(event);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "not JSON: " + e.getOriginalMessage().replace('\n', ' '), e);
    } catch (IOException e) {
      throw new IllegalArgumentException("unreadable: " + e.getMessage(), e);
    }
    JsonNode redrive = root.path("redrive");
    if (!redrive.isObject()) {
      throw new IllegalArgumentException("\"redrive\" is not an object");
    }
    JsonNode count = redrive.path("count");
    if (!count.canConvertToInt() || count.asInt() < 1) {
      throw new IllegalArgumentException("\"redrive.count\" is not a whole number of at least 1");
    }
    List<PreviousFailure> failures = new ArrayList<>();
    for (JsonNode failure : redrive.path("previous_failures")) {
      failures.add(previousFailure(failure));
    }
    return new RedriveEnvelope(payload(root), count.asInt(), List.copyOf(failures));
  }

  /** The original payload, as the source first delivered it. */
  public byte[] payload() {
    return payload.clone();
  }

  /** How many times the payload has been redriven, this time included. */
  public int count() {
    return count;
  }

  /** Its earlier failures, oldest first. */
  public List<PreviousFailure> previousFailures() {
    return previousFailures;
  }

  private static byte[] payload(JsonNode root) {
    JsonNode text = root.get("payload");
    JsonNode base64 = root.get("payload_base64");
    if (text != null && text.isTextual()) {
      return text.asText().getBytes(UTF_8);
    }
    if (base64 != null && base64.isTextual()) {
      try {
        return Base64.getDecoder().decode(base64.asText());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("\"payload_base64\" is not base64", e);
      }
    }
    throw new IllegalArgumentException("neither \"payload\" nor \"payload_base64\" is a string");
  }

  private static PreviousFailure previousFailure(JsonNode failure) {
    Instant failedAt;
    try {
      failedAt = Instant.parse(text(failure, "failed_at"));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "a previous failure's \"failed_at\" is not an ISO-8601 instant", e);
    }
    return PreviousFailure.newBuilder()
        .setStage(text(failure, "stage"))
        .setReason(text(failure, "reason"))
        .setErrorMessage(text(failure, "error_message"))
        .setFailedAt(failedAt)
        .setOrigin(origin(failure.path("origin")))
        .build();
  }

  private static EventSource origin(JsonNode origin) {
    if (!origin.isObject() || !origin.path("source").isTextual()) {
      throw new IllegalArgumentException("a previous failure has no \"origin\" with a \"source\"");
    }
    EventSource.Builder source = EventSource.newBuilder().setSource(origin.get("source").asText());
    for (Iterator<Map.Entry<String, JsonNode>> fields = origin.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode value = field.getValue();
      switch (field.getKey()) {
        case "topic":
          source.setTopic(value.asText());
          break;
        case "stream":
          source.setStream(value.asText());
          break;
        case "file":
          source.setFile(value.asText());
          break;
        case "shard":
          source.setShard(value.asText());
          break;
        case "sequence_number":
          source.setSequenceNumber(value.asText());
          break;
        case "partition":
          source.setPartition(value.asInt());
          break;
        case "offset":
          source.setOffset(value.asLong());
          break;
        case "line_number":
          source.setLineNumber(value.asLong());
          break;
        case "sub_sequence_number":
          source.setSubSequenceNumber(value.asLong());
          break;
        default:
          break;
      }
    }
    return source.build();
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException("a previous failure has no string \"" + field + "\"");
    }
    return value.asText();
  }

  private static boolean isWhiteSpace(byte b) {
    return b == ' ' || b == '\t' || b == '\r' || b == '\n';
  }
}
