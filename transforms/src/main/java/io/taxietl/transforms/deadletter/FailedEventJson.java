package io.taxietl.transforms.deadletter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.taxietl.avro.EventSource;
import io.taxietl.avro.FailedEvent;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * Writes a dead letter as one line of JSON: {@code stage}, {@code reason}, {@code error_message},
 * {@code error_class}, {@code payload} or {@code payload_base64}, {@code trip_id}, the source
 * coordinates flattened ({@code source}, {@code topic}/{@code stream}/{@code file}, {@code
 * partition}/{@code shard}, {@code offset}/{@code sequence_number}/{@code line_number}) and {@code
 * failed_at} as ISO-8601 UTC. Fields without a value are left out.
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
      EventSource origin = event.getOrigin();
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
      json.writeStringField("failed_at", event.getFailedAt().toString());
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to a StringWriter cannot fail", e);
    }
    return out.toString();
  }

  private static void writeIfSet(JsonGenerator json, String name, String value) throws IOException {
    if (value != null) {
      json.writeStringField(name, value);
    }
  }
}
