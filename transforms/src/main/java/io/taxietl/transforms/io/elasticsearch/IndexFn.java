package io.taxietl.transforms.io.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.beam.sdk.io.elasticsearch.ElasticsearchIO;

/** The index of a document, from the template over the document's fields. */
final class IndexFn implements ElasticsearchIO.Write.FieldValueExtractFn {
  private final IndexNameTemplate template;

  IndexFn(IndexNameTemplate template) {
    this.template = template;
  }

  @Override
  public String apply(JsonNode document) {
    return template.indexOf(document);
  }
}
