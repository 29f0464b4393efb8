package io.taxietl.transforms.io.elasticsearch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import org.apache.beam.sdk.io.elasticsearch.ElasticsearchIO.Document;

/** Reads the trip id back from a document, without building a tree of it. */
final class TripIds {
  private static final JsonFactory JSON = new JsonFactory();

  private TripIds() {}

  static long of(Document document) throws IOException {
    try (JsonParser parser = JSON.createParser(document.getInputDoc())) {
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
