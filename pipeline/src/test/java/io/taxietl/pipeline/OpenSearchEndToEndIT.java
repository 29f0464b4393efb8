package io.taxietl.pipeline;

import io.taxietl.testing.LocalElasticsearch;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The end-to-end checks against OpenSearch 2.19.6 (reporting version 7.10.2, its compatibility
 * mode).
 */
class OpenSearchEndToEndIT extends ElasticsearchSinkContract {
  @RegisterExtension
  static final LocalElasticsearch OPENSEARCH =
      new LocalElasticsearch(LocalElasticsearch.Flavor.OPENSEARCH);

  @Override
  LocalElasticsearch server() {
    return OPENSEARCH;
  }
}
