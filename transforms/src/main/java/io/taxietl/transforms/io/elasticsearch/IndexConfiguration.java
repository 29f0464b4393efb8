package io.taxietl.transforms.io.elasticsearch;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import java.util.List;
import org.apache.beam.sdk.io.elasticsearch.ElasticsearchIO.ConnectionConfiguration;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * Everything {@link IndexToElasticsearch} is configured with, as one immutable value; the defaults
 * are in {@link #defaults}. Its {@code toString} leaves the password, API key and trust-store
 * password out.
 */
@AutoValue
abstract class IndexConfiguration implements Serializable {
  private static final long serialVersionUID = 1L;

  static final long DEFAULT_BULK_FLUSH_MAX_ACTIONS = 1000;
  static final long DEFAULT_BULK_FLUSH_MAX_SIZE_BYTES = 5L * 1024 * 1024;
  static final int DEFAULT_MAX_RETRIES = 8;
  static final Duration DEFAULT_MAX_RETRY_DURATION = Duration.standardMinutes(2);
  static final Duration DEFAULT_INITIAL_RETRY_WAIT = Duration.standardSeconds(1);
  static final Duration DEFAULT_MAX_RETRY_WAIT = Duration.standardSeconds(30);

  abstract List<String> endpoints();

  abstract IndexNameTemplate indexTemplate();

  abstract long bulkFlushMaxActions();

  abstract long bulkFlushMaxSizeBytes();

  /** Null: a bulk request at the end of every bundle, no batching across bundles. */
  abstract @Nullable Duration bulkFlushInterval();

  abstract RetrySchedule retrySchedule();

  abstract @Nullable String username();

  abstract @Nullable String password();

  abstract @Nullable String apiKey();

  abstract @Nullable String trustStorePath();

  abstract @Nullable String trustStorePassword();

  abstract Builder toBuilder();

  /**
   * The cluster at {@code endpoints}, index {@link IndexNameTemplate#DEFAULT}, bulks of 1000
   * documents or 5 MB, 8 retries within 2 minutes, no authentication.
   */
  static IndexConfiguration defaults(List<String> endpoints) {
    return new AutoValue_IndexConfiguration.Builder()
        .setEndpoints(List.copyOf(endpoints))
        .setIndexTemplate(IndexNameTemplate.parse(IndexNameTemplate.DEFAULT))
        .setBulkFlushMaxActions(DEFAULT_BULK_FLUSH_MAX_ACTIONS)
        .setBulkFlushMaxSizeBytes(DEFAULT_BULK_FLUSH_MAX_SIZE_BYTES)
        .setRetrySchedule(
            RetrySchedule.of(
                DEFAULT_MAX_RETRIES,
                DEFAULT_MAX_RETRY_DURATION,
                DEFAULT_INITIAL_RETRY_WAIT,
                DEFAULT_MAX_RETRY_WAIT))
        .build();
  }

  /** Beam's connection settings: the endpoints, the credentials and the trust store. */
  ConnectionConfiguration connection() {
    ConnectionConfiguration connection =
        ConnectionConfiguration.create(endpoints().toArray(String[]::new));
    if (username() != null && password() != null) {
      connection = connection.withUsername(username()).withPassword(password());
    }
    if (apiKey() != null) {
      connection = connection.withApiKey(apiKey());
    }
    if (trustStorePath() != null) {
      connection = connection.withKeystorePath(trustStorePath());
      if (trustStorePassword() != null) {
        connection = connection.withKeystorePassword(trustStorePassword());
      }
    }
    return connection;
  }

  /**
   * {@code basic}, {@code api key} or {@code none}: how requests authenticate, without the secret.
   */
  String authentication() {
    return username() != null ? "basic" : apiKey() != null ? "api key" : "none";
  }

  @Override
  public final String toString() {
    return "IndexConfiguration{endpoints="
        + endpoints()
        + ", indexTemplate="
        + indexTemplate()
        + ", bulkFlushMaxActions="
        + bulkFlushMaxActions()
        + ", bulkFlushMaxSizeBytes="
        + bulkFlushMaxSizeBytes()
        + ", bulkFlushInterval="
        + bulkFlushInterval()
        + ", retryWaits="
        + retrySchedule()
        + ", authentication="
        + authentication()
        + ", trustStorePath="
        + trustStorePath()
        + "}";
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setEndpoints(List<String> endpoints);

    abstract Builder setIndexTemplate(IndexNameTemplate template);

    abstract Builder setBulkFlushMaxActions(long actions);

    abstract Builder setBulkFlushMaxSizeBytes(long bytes);

    abstract Builder setBulkFlushInterval(@Nullable Duration interval);

    abstract Builder setRetrySchedule(RetrySchedule schedule);

    abstract Builder setUsername(@Nullable String username);

    abstract Builder setPassword(@Nullable String password);

    abstract Builder setApiKey(@Nullable String apiKey);

    abstract Builder setTrustStorePath(@Nullable String path);

    abstract Builder setTrustStorePassword(@Nullable String password);

    abstract IndexConfiguration build();
  }
}
