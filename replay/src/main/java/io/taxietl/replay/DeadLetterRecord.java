package io.taxietl.replay;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * One dead letter as the pipeline writes it (a line of a {@code .jsonl} file or a record of the
 * dead-letter topic, docs/dead-letters.md), read far enough to pick it and to send its original
 * payload back.
 *
 * @param stage the stage that refused it
 * @param reason the reason code
 * @param failedAt when it was refused
 * @param payload the original payload's bytes ({@code payload} as UTF-8, or {@code payload_base64}
 *     decoded)
 * @param tripId the trip id, when the payload parsed far enough to know it
 * @param json the whole record, for its message, coordinates and history
 */
record DeadLetterRecord(
    String stage,
    String reason,
    Instant failedAt,
    byte[] payload,
    Optional<Long> tripId,
    ObjectNode json) {

  /** The fields that hold where the event came from, flat in the record (docs/dead-letters.md). */
  static final List<String> ORIGIN_FIELDS =
      List.of(
          "source",
          "topic",
          "stream",
          "file",
          "partition",
          "shard",
          "offset",
          "sequence_number",
          "sub_sequence_number",
          "line_number");

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The dead letter in {@code line}.
   *
   * @throws IllegalArgumentException saying why the line is not a dead-letter record
   */
  static DeadLetterRecord parse(String line) {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON");
    }
    if (!(node instanceof ObjectNode record)) {
      throw new IllegalArgumentException("not a JSON object");
    }
    Instant failedAt;
    try {
      failedAt = Instant.parse(text(record, "failed_at"));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("failed_at is not an ISO-8601 instant");
    }
    byte[] payload;
    if (record.path("payload").isTextual()) {
      payload = record.get("payload").asText().getBytes(UTF_8);
    } else if (record.path("payload_base64").isTextual()) {
      try {
        payload = Base64.getDecoder().decode(record.get("payload_base64").asText());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("payload_base64 is not base64");
      }
    } else {
      throw new IllegalArgumentException("it has neither payload nor payload_base64");
    }
    Optional<Long> tripId =
        record.path("trip_id").canConvertToLong()
            ? Optional.of(record.get("trip_id").asLong())
            : Optional.empty();
    return new DeadLetterRecord(
        text(record, "stage"), text(record, "reason"), failedAt, payload, tripId, record);
  }

  /** How many times the payload was redriven before this failure (0 for a first failure). */
  int redriveCount() {
    return json.path("redrive_count").asInt(0);
  }

  /**
   * The envelope that sends the payload back with its history: {@code redrive.count} one more than
   * this record's, {@code redrive.previous_failures} its own earlier failures and then this one,
   * and the payload as the record kept it. The pipeline unwraps it (RedriveEnvelope in module
   * transforms), and a payload that fails again is dead-lettered with that history.
   */
  byte[] envelope() {
    ObjectNode envelope = JSON.createObjectNode();
    ObjectNode redrive = envelope.putObject("redrive");
    redrive.put("count", redriveCount() + 1);
    ArrayNode failures = redrive.putArray("previous_failures");
    if (json.path("previous_failures").isArray()) {
      failures.addAll((ArrayNode) json.get("previous_failures"));
    }
    ObjectNode failure = failures.addObject();
    failure.put("stage", stage);
    failure.put("reason", reason);
    failure.put("error_message", json.path("error_message").asText(""));
    failure.put("failed_at", failedAt.toString());
    ObjectNode origin = failure.putObject("origin");
    for (String field : ORIGIN_FIELDS) {
      if (json.has(field)) {
        origin.set(field, json.get(field));
      }
    }
    if (json.path("payload").isTextual()) {
      envelope.set("payload", json.get("payload"));
    } else {
      envelope.set("payload_base64", json.get("payload_base64"));
    }
    try {
      return JSON.writeValueAsBytes(envelope);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of JSON nodes always serializes", e);
    }
  }

  /** The record key for the payload's topic: the trip id as text, or none. */
  byte[] key() {
    return tripId.map(id -> Long.toString(id).getBytes(UTF_8)).orElse(null);
  }

  private static String text(ObjectNode record, String field) {
    JsonNode value = record.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException("it has no " + field);
    }
    return value.asText();
  }
}
