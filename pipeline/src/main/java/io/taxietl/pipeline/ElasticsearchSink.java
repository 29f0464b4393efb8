package io.taxietl.pipeline;

import io.taxietl.options.ElasticsearchOptions;
import io.taxietl.transforms.io.elasticsearch.IndexNameTemplate;
import io.taxietl.transforms.io.elasticsearch.IndexToElasticsearch;
import io.taxietl.transforms.io.elasticsearch.RetrySchedule;
import java.util.List;
import org.joda.time.Duration;

/** Builds the Elasticsearch sink from its options; the options must be valid. */
public final class ElasticsearchSink {
  private ElasticsearchSink() {}

  /** True when {@code --outputElasticsearchEndpoint} names at least one endpoint. */
  public static boolean enabled(ElasticsearchOptions options) {
    List<String> endpoints = options.getOutputElasticsearchEndpoint();
    return endpoints != null && !endpoints.isEmpty();
  }

  static RetrySchedule retrySchedule(ElasticsearchOptions options) {
    return RetrySchedule.of(
        options.getElasticsearchMaxRetries(),
        Duration.standardSeconds(options.getElasticsearchMaxRetryDurationSeconds()),
        IndexToElasticsearch.DEFAULT_INITIAL_RETRY_WAIT,
        IndexToElasticsearch.DEFAULT_MAX_RETRY_WAIT);
  }

  static IndexToElasticsearch fromOptions(ElasticsearchOptions options) {
    IndexToElasticsearch index =
        IndexToElasticsearch.to(options.getOutputElasticsearchEndpoint())
            .withIndexTemplate(IndexNameTemplate.parse(options.getElasticsearchIndex()))
            .withBulkFlushMaxActions(options.getElasticsearchBulkFlushMaxActions())
            .withBulkFlushMaxSizeBytes(options.getElasticsearchBulkFlushMaxSizeMb() * 1024L * 1024L)
            .withRetrySchedule(retrySchedule(options));
    if (options.getElasticsearchBulkFlushInterval() > 0) {
      index =
          index.withBulkFlushInterval(Duration.millis(options.getElasticsearchBulkFlushInterval()));
    }
    if (options.getElasticsearchUsername() != null) {
      index =
          index.withBasicAuth(
              options.getElasticsearchUsername(),
              EnvironmentSecret.resolve(options.getElasticsearchPassword()));
    }
    if (options.getElasticsearchApiKey() != null) {
      index = index.withApiKey(EnvironmentSecret.resolve(options.getElasticsearchApiKey()));
    }
    if (options.getElasticsearchTrustStorePath() != null) {
      index =
          index.withTrustStore(
              options.getElasticsearchTrustStorePath(),
              EnvironmentSecret.resolve(options.getElasticsearchTrustStorePassword()));
    }
    return index;
  }
}
