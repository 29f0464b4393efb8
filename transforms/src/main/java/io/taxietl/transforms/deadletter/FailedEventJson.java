package io.taxietl.transforms.deadletter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.taxietl.avro.EventSource;
import io.taxietl.avro.FailedEvent;
import io.taxietl.avro.PreviousFailure;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * Writes a dead letter as one line of JSON: {@code stage}, {@code reason}, {@code error_message},
 * {@code error_class}, {@code payload} or {@code payload_base64}, {@code trip_id}, the source
 * coordinates flattened ({@code source}, {@code topic}/{@code stream}/{@code file}, {@code
 * partition}/{@code shard}, {@code offset}/{@code sequence_number}/{@code line_number}), {@code
 * failed_at} as ISO-8601 UTC, and for a redriven payload {@code redrive_count} and {@code
 * previous_failures} (each with its {@code origin} as an object of the same coordinate fields).
 * Fields without a value are left out.
 */
public final class FailedEventJson {
  private static final JsonFactory JSON = new JsonFactory();

  private FailedEventJson() {}

  public static String toJson(FailedEvent event) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("stage", event.getStage());
      json.writeStringField("reason", event.getReason());
      json.writeStringField("error_message", event.getErrorMessage());
      writeIfSet(json, "error_class", event.getErrorClass());
      writeIfSet(json, "payload", event.getPayload());
      writeIfSet(json, "payload_base64", event.getPayloadBase64());
      if (event.getTripId() != null) {
        json.writeNumberField("trip_id", event.getTripId());
      }
      writeOrigin(json, event.getOrigin());
      json.writeStringField("failed_at", event.getFailedAt().toString());
      if (event.getRedriveCount() != null) {
        json.writeNumberField("redrive_count", event.getRedriveCount());
      }
      if (event.getPreviousFailures() != null) {
        json.writeArrayFieldStart("previous_failures");
        for (PreviousFailure failure : event.getPreviousFailures()) {
          json.writeStartObject();
          json.writeStringField("stage", failure.getStage());
          json.writeStringField("reason", failure.getReason());
          json.writeStringField("error_message", failure.getErrorMessage());
          json.writeStringField("failed_at", failure.getFailedAt().toString());
          json.writeObjectFieldStart("origin");
          writeOrigin(json, failure.getOrigin());
          json.writeEndObject();
          json.writeEndObject();
        }
        json.writeEndArray();
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to a StringWriter cannot fail", e);
    }
    return out.toString();
  }

  /** The source coordinates that are set, as fields of the object being written. */
  private static void writeOrigin(JsonGenerator json, EventSource origin) throws IOException {
    json.writeStringField("source", origin.getSource());
    writeIfSet(json, "topic", origin.getTopic());
    writeIfSet(json, "stream", origin.getStream());
    writeIfSet(json, "file", origin.getFile());
    if (origin.getPartition() != null) {
      json.writeNumberField("partition", origin.getPartition());
    }
    writeIfSet(json, "shard", origin.getShard());
    if (origin.getOffset() != null) {
      json.writeNumberField("offset", origin.getOffset());
    }
    writeIfSet(json, "sequence_number", origin.getSequenceNumber());
    if (origin.getSubSequenceNumber() != null) {
      json.writeNumberField("sub_sequence_number", origin.getSubSequenceNumber());
    }
    if (origin.getLineNumber() != null) {
      json.writeNumberField("line_number", origin.getLineNumber());
    }
  }

  private static void writeIfSet(JsonGenerator json, String name, String value) throws IOException {
    if (value != null) {
      json.writeStringField(name, value);
    }
  }
}
