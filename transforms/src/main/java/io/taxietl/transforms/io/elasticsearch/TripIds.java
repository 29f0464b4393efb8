package io.taxietl.transforms.io.elasticsearch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import org.apache.beam.sdk.io.elasticsearch.ElasticsearchIO.Document;

/**
 * Reads the trip id back from a document: from the end of the action line that {@link
 * ToBulkActionFn} wrote ({@code ..."_id":"123"} }}), or, for a document without one, from the
 * document's {@code trip_id}, without building a tree of it. The action line is the cheap way: the
 * document has to be read up to {@code trip_id}, its twentieth field.
 */
final class TripIds {
  private static final JsonFactory JSON = new JsonFactory();
  private static final String ID_START = "\"_id\":\"";

  /**
   * How the action line ends. Its only real line feed: one in the index name is escaped, and so is
   * a quote, so neither marker can appear inside the escaped name.
   */
  private static final String ID_END = "\"} }\n";

  private TripIds() {}

  static long of(Document document) throws IOException {
    String directive = document.getBulkDirective();
    if (directive != null) {
      int end = directive.indexOf(ID_END);
      int start = end < 0 ? -1 : directive.lastIndexOf(ID_START, end);
      if (start >= 0) {
        try {
          return Long.parseLong(directive, start + ID_START.length(), end, 10);
        } catch (NumberFormatException e) {
          // Not an action line of ours: the document itself says.
        }
      }
    }
    return fromDocument(document.getInputDoc());
  }

  private static long fromDocument(String json) throws IOException {
    try (JsonParser parser = JSON.createParser(json)) {
      if (parser.nextToken() == JsonToken.START_OBJECT) {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String field = parser.currentName();
          parser.nextToken();
          if (field.equals("trip_id")) {
            return parser.getLongValue();
          }
          parser.skipChildren();
        }
      }
    }
    throw new IOException("a document without trip_id");
  }
}
