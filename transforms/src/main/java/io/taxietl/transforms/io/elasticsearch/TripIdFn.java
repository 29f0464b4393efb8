package io.taxietl.transforms.io.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.beam.sdk.io.elasticsearch.ElasticsearchIO;

/** The document id: the trip id, so that a second write of the same trip replaces the first. */
final class TripIdFn implements ElasticsearchIO.Write.FieldValueExtractFn {
  @Override
  public String apply(JsonNode document) {
    return document.get("trip_id").asText();
  }
}
