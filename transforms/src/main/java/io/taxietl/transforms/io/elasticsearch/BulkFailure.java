package io.taxietl.transforms.io.elasticsearch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Why Elasticsearch did not index one document, read from what Beam's {@code ElasticsearchIO}
 * reports for a failed write, and whether trying again can help.
 *
 * <p>ElasticsearchIO reports two kinds of failure in {@code Document.getResponseItemJson()}: the
 * document's own item of the bulk response (with its HTTP {@code status} and {@code error}), or,
 * when the whole bulk request failed (connection refused, a timeout, an HTTP error status for the
 * request), a {@code {"message":"java.io.IOException was thrown in batch flush: ..."}} text that
 * ElasticsearchIO does not JSON-escape. Transient: no status at all (the server could not be
 * reached), 429 (too many requests, e.g. a full write queue or a tripped circuit breaker) and 5xx
 * except 501. Everything else (400 mapping conflicts, 403 blocked index, 401 bad credentials, ...)
 * is permanent.
 *
 * @param status the HTTP status of the item or of the whole request, null when there was no answer
 * @param errorType Elasticsearch's error type (e.g. {@code mapper_parsing_exception}) or, for a
 *     request that got no answer, {@code java.io.IOException}
 * @param message a one-line description for the dead letter; it never contains the document
 */
public final class BulkFailure {
  static final String REQUEST_FAILURE_PREFIX =
      "{\"message\":\"java.io.IOException was thrown in batch flush: ";
  private static final Pattern STATUS_LINE =
      Pattern.compile("status line \\[HTTP/[0-9.]+ (\\d{3})");
  private static final Pattern ERROR_TYPE = Pattern.compile("\"type\"\\s*:\\s*\"([a-z_]+)\"");
  private static final int MAX_MESSAGE_LENGTH = 2000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final @Nullable Integer status;
  private final String errorType;
  private final String message;

  public BulkFailure(@Nullable Integer status, String errorType, String message) {
    this.status = status;
    this.errorType = Objects.requireNonNull(errorType, "errorType");
    this.message = Objects.requireNonNull(message, "message");
  }

  public @Nullable Integer status() {
    return status;
  }

  public String errorType() {
    return errorType;
  }

  public String message() {
    return message;
  }

  /** True when the same request may succeed later. */
  public boolean isTransient() {
    return status == null || status == 429 || (status >= 500 && status != 501);
  }

  /** Reads a failed document's {@code responseItemJson}. */
  public static BulkFailure of(@Nullable String responseItemJson) {
    if (responseItemJson == null || responseItemJson.isBlank()) {
      return new BulkFailure(null, "unknown", "Elasticsearch reported a failure without details");
    }
    if (responseItemJson.startsWith(REQUEST_FAILURE_PREFIX)) {
      return ofRequestFailure(responseItemJson.substring(REQUEST_FAILURE_PREFIX.length()));
    }
    JsonNode item;
    try {
      item = JSON.readTree(responseItemJson);
    } catch (JsonProcessingException e) {
      return new BulkFailure(
          null, "unknown", "unreadable bulk response item: " + shorten(responseItemJson));
    }
    // {"index": {"_index": ..., "_id": ..., "status": 400, "error": {"type", "reason",
    // "caused_by"}}}
    JsonNode action = item.size() == 1 ? item.elements().next() : item;
    Integer status = action.hasNonNull("status") ? action.get("status").asInt() : null;
    JsonNode error = action.path("error");
    String type = error.path("type").asText("unknown");
    StringBuilder message = new StringBuilder("Elasticsearch answered ");
    message.append(status == null ? "an error" : status.toString()).append(' ').append(type);
    if (error.hasNonNull("reason")) {
      message.append(": ").append(error.get("reason").asText());
    } else if (error.isTextual()) {
      message.append(": ").append(error.asText());
    }
    JsonNode causedBy = error.path("caused_by");
    if (!causedBy.isMissingNode()) {
      message
          .append(" (caused by ")
          .append(causedBy.path("type").asText())
          .append(": ")
          .append(causedBy.path("reason").asText())
          .append(')');
    }
    if (action.hasNonNull("_index")) {
      message.append(" [index ").append(action.get("_index").asText()).append(']');
    }
    return new BulkFailure(status, type, shorten(message.toString()));
  }

  private static BulkFailure ofRequestFailure(String text) {
    String detail = text.endsWith("\"}") ? text.substring(0, text.length() - 2) : text;
    Matcher statusLine = STATUS_LINE.matcher(detail);
    Integer status = statusLine.find() ? Integer.valueOf(statusLine.group(1)) : null;
    String type = "java.io.IOException";
    if (status != null) {
      Matcher errorType = ERROR_TYPE.matcher(detail);
      if (errorType.find()) {
        type = errorType.group(1);
      }
    }
    String message =
        status == null
            ? "the bulk request got no answer: " + detail
            : "Elasticsearch refused the whole bulk request with "
                + status
                + " "
                + type
                + ": "
                + detail;
    return new BulkFailure(status, type, shorten(message.replace('\n', ' ')));
  }

  private static String shorten(String text) {
    return text.length() <= MAX_MESSAGE_LENGTH
        ? text
        : text.substring(0, MAX_MESSAGE_LENGTH) + "...";
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof BulkFailure)) {
      return false;
    }
    BulkFailure that = (BulkFailure) other;
    return Objects.equals(status, that.status)
        && errorType.equals(that.errorType)
        && message.equals(that.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(status, errorType, message);
  }

  @Override
  public String toString() {
    return "BulkFailure[status="
        + status
        + ", errorType="
        + errorType
        + ", message="
        + message
        + "]";
  }
}
