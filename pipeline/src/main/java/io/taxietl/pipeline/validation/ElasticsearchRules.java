package io.taxietl.pipeline.validation;

import io.taxietl.options.ElasticsearchOptions;
import io.taxietl.pipeline.ElasticsearchSink;
import io.taxietl.pipeline.EnvironmentSecret;
import io.taxietl.transforms.io.elasticsearch.IndexNameTemplate;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The rules of {@link ElasticsearchOptions}: endpoints, index template and bulk and retry bounds;
 * one way to authenticate; no connection setting without an endpoint.
 */
final class ElasticsearchRules {
  static final int MAX_BULK_ACTIONS = 100_000;

  /**
   * Elasticsearch refuses HTTP requests over 100 MB by default ({@code http.max_content_length}).
   */
  static final int MAX_BULK_SIZE_MB = 100;

  static final long MAX_FLUSH_INTERVAL_MILLIS = 3_600_000;

  /** The pipeline has one retry stage per retry: this bounds the size of the graph. */
  static final int MAX_RETRIES = 20;

  static final int MAX_RETRY_DURATION_SECONDS = 86_400;

  private static final String ENDPOINT_OPTION = "outputElasticsearchEndpoint";

  private ElasticsearchRules() {}

  static void check(ElasticsearchOptions options, Problems problems) {
    if (ElasticsearchSink.enabled(options)) {
      EndpointRule endpointRule = EndpointRule.elasticsearch(ENDPOINT_OPTION);
      options.getOutputElasticsearchEndpoint().forEach(e -> endpointRule.check(e, problems));
    } else {
      refuseWithoutEndpoint("elasticsearchUsername", options.getElasticsearchUsername(), problems);
      refuseWithoutEndpoint("elasticsearchPassword", options.getElasticsearchPassword(), problems);
      refuseWithoutEndpoint("elasticsearchApiKey", options.getElasticsearchApiKey(), problems);
      refuseWithoutEndpoint(
          "elasticsearchTrustStorePath", options.getElasticsearchTrustStorePath(), problems);
    }
    problems.parses(
        "elasticsearchIndex", options.getElasticsearchIndex(), IndexNameTemplate::parse);
    problems.range(
        "elasticsearchBulkFlushMaxActions",
        options.getElasticsearchBulkFlushMaxActions(),
        1,
        MAX_BULK_ACTIONS);
    problems.range(
        "elasticsearchBulkFlushMaxSizeMb",
        options.getElasticsearchBulkFlushMaxSizeMb(),
        1,
        MAX_BULK_SIZE_MB);
    problems.range(
        "elasticsearchBulkFlushInterval",
        options.getElasticsearchBulkFlushInterval(),
        0,
        MAX_FLUSH_INTERVAL_MILLIS);
    problems.range("elasticsearchMaxRetries", options.getElasticsearchMaxRetries(), 0, MAX_RETRIES);
    problems.range(
        "elasticsearchMaxRetryDurationSeconds",
        options.getElasticsearchMaxRetryDurationSeconds(),
        0,
        MAX_RETRY_DURATION_SECONDS);
    checkAuthentication(options, problems);
    checkEnvironmentSecrets(options, problems);
    checkTrustStore(options, problems);
    if (options.getElasticsearchRegion() != null) {
      problems.add(
          "--elasticsearchRegion="
              + options.getElasticsearchRegion()
              + " asks for AWS SigV4 request signing, which Beam's ElasticsearchIO cannot do; for "
              + "Amazon OpenSearch Service enable fine-grained access control and use "
              + "--elasticsearchUsername and --elasticsearchPassword");
    }
  }

  private static void refuseWithoutEndpoint(String option, String value, Problems problems) {
    if (value != null) {
      problems.add("--" + option + " is set but --" + ENDPOINT_OPTION + " is not");
    }
  }

  private static void checkAuthentication(ElasticsearchOptions options, Problems problems) {
    boolean user = options.getElasticsearchUsername() != null;
    boolean password = options.getElasticsearchPassword() != null;
    if (user && !password) {
      problems.add(
          "--elasticsearchUsername="
              + options.getElasticsearchUsername()
              + " needs --elasticsearchPassword");
    } else if (password && !user) {
      problems.add("--elasticsearchPassword is set but --elasticsearchUsername is not");
    }
    if (user && options.getElasticsearchApiKey() != null) {
      problems.add(
          "--elasticsearchUsername and --elasticsearchApiKey can not be combined: choose one");
    }
  }

  /** A secret given as {@code ${env:NAME}} needs that variable set. */
  private static void checkEnvironmentSecrets(ElasticsearchOptions options, Problems problems) {
    checkEnvironmentSecret("elasticsearchPassword", options.getElasticsearchPassword(), problems);
    checkEnvironmentSecret("elasticsearchApiKey", options.getElasticsearchApiKey(), problems);
    checkEnvironmentSecret(
        "elasticsearchTrustStorePassword", options.getElasticsearchTrustStorePassword(), problems);
  }

  private static void checkEnvironmentSecret(String option, String value, Problems problems) {
    String variable = EnvironmentSecret.variable(value);
    if (variable != null && System.getenv(variable) == null) {
      problems.add(
          "--"
              + option
              + "=${env:"
              + variable
              + "} names the environment variable "
              + variable
              + ", which is not set");
    }
  }

  private static void checkTrustStore(ElasticsearchOptions options, Problems problems) {
    String trustStore = options.getElasticsearchTrustStorePath();
    if (trustStore != null && !Files.isReadable(Path.of(trustStore))) {
      problems.add("--elasticsearchTrustStorePath=" + trustStore + " is not a readable file");
    }
    if (trustStore == null && options.getElasticsearchTrustStorePassword() != null) {
      problems.add(
          "--elasticsearchTrustStorePassword is set but --elasticsearchTrustStorePath is not");
    }
  }
}
