package io.taxietl.transforms.io.elasticsearch;

import io.taxietl.avro.FailedEvent;
import io.taxietl.avro.TripEvent;
import io.taxietl.transforms.event.TripEventJson;
import io.taxietl.transforms.metrics.EtlMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.elasticsearch.ElasticsearchIO;
import org.apache.beam.sdk.io.elasticsearch.ElasticsearchIO.Document;
import org.apache.beam.sdk.io.elasticsearch.ElasticsearchIO.DocumentCoder;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * Indexes trips into Elasticsearch (or OpenSearch) with Beam's {@link ElasticsearchIO}, one
 * document per trip, so that a replay overwrites instead of duplicating.
 *
 * <pre>{@code
 * PCollectionTuple indexed =
 *     trips.apply(
 *         "IndexToElasticsearch",
 *         IndexToElasticsearch.to(List.of("https://search.example.com:9200"))
 *             .withIndexTemplate(IndexNameTemplate.parse("trips-{type}"))
 *             .withBasicAuth(username, password)
 *             .withBulkFlushInterval(Duration.standardSeconds(5)));
 * PCollection<Long> indexedTripIds = indexed.get(IndexToElasticsearch.INDEXED);
 * PCollection<FailedEvent> refused = indexed.get(IndexToElasticsearch.DEAD_LETTERS);
 * }</pre>
 *
 * <p>Input: {@link TripEvent}s. Each becomes the document {@link TripEventJson} writes, indexed
 * ({@code index} action, so a second write of the same trip replaces the first) with {@code _id} =
 * {@code trip_id} into the index that the {@link IndexNameTemplate} computes from the trip.
 * Documents are sent in bulk requests of at most {@link #withBulkFlushMaxActions} documents and
 * {@link #withBulkFlushMaxSizeBytes} bytes, at the end of each runner bundle or, with {@link
 * #withBulkFlushInterval}, at least that often.
 *
 * <p>Retries: ElasticsearchIO 2.62 retries a bulk request only for connection errors and 5xx of the
 * whole request and for 429 items, and when its retries run out it fails the bundle; it never
 * retries a request-level 429 or 5xx items (apache/beam#22160). So this transform runs the IO with
 * {@code withThrowWriteErrors(false)} and no retry configuration, and retries itself: every failed
 * document whose failure is transient ({@link BulkFailure#isTransient()}: no answer, 429, 5xx)
 * waits as long as the {@link RetrySchedule} says (blocking the step: back-pressure while
 * Elasticsearch recovers) and is written again by another {@code BulkIO}, once per retry of the
 * schedule. The pipeline graph has one retry stage per retry, so changing the number of retries
 * changes the graph.
 *
 * <p>Outputs, as a {@link PCollectionTuple}: {@link #INDEXED}, the {@code trip_id} of every
 * document Elasticsearch acknowledged; {@link #DEAD_LETTERS}, a {@link FailedEvent} (stage {@value
 * #STAGE}, reason {@value #REASON}, Elasticsearch's error as the message and type as the error
 * class, the document JSON as payload, the trip id) for every document refused for good (a
 * permanent error such as a mapping conflict, or a transient one that outlived the retries). The
 * original event's source coordinates are not carried this far: the dead letter's {@code
 * origin.source} is {@value #UNKNOWN_SOURCE}, and the trip id identifies the event. The job keeps
 * running either way.
 *
 * <p>Metrics ({@link EtlMetrics}): {@code elasticsearch_documents_indexed}, {@code
 * elasticsearch_documents_retried} (one per retry of a document), {@code
 * elasticsearch_documents_rejected}, {@code dead_letters} and {@code
 * dead_letters.elasticsearch.ELASTICSEARCH_REJECTED}.
 *
 * <p>Delivery: at least once into the index (a bundle that fails is retried by the runner, and
 * documents are written before a checkpoint completes), which the fixed {@code _id} makes exactly
 * once per trip in the index. Credentials are handed to ElasticsearchIO's connection configuration
 * and appear in no display data, log line or dead letter.
 *
 * <p>(Longer than this project's usual 250 lines because this comment is the transform's manual;
 * its configuration is {@link IndexConfiguration} and its steps' functions are in their own files.)
 */
public final class IndexToElasticsearch
    extends PTransform<PCollection<TripEvent>, PCollectionTuple> {
  public static final TupleTag<Long> INDEXED = new TupleTag<>("indexed") {};
  public static final TupleTag<FailedEvent> DEAD_LETTERS = new TupleTag<>("deadLetters") {};

  public static final String STAGE = "elasticsearch";
  public static final String REASON = "ELASTICSEARCH_REJECTED";
  public static final Duration DEFAULT_INITIAL_RETRY_WAIT =
      IndexConfiguration.DEFAULT_INITIAL_RETRY_WAIT;
  public static final Duration DEFAULT_MAX_RETRY_WAIT = IndexConfiguration.DEFAULT_MAX_RETRY_WAIT;
  static final String UNKNOWN_SOURCE = "unknown";

  /** Documents to write again, between a triage and the next retry. */
  static final TupleTag<Document> RETRY = new TupleTag<>("retry") {};

  private static final int STATEFUL_PARALLEL_REQUESTS = 2;

  private final IndexConfiguration config;

  private IndexToElasticsearch(IndexConfiguration config) {
    this.config = config;
  }

  /**
   * Indexes into the cluster at {@code endpoints} (URLs such as {@code https://host:9200}), into
   * the index {@link IndexNameTemplate#DEFAULT}, with bulks of 1000 documents or 5 MB and 8 retries
   * within 2 minutes.
   */
  public static IndexToElasticsearch to(List<String> endpoints) {
    if (endpoints == null || endpoints.isEmpty()) {
      throw new IllegalArgumentException("endpoints can not be null or empty");
    }
    for (String endpoint : endpoints) {
      if (endpoint == null
          || !(endpoint.startsWith("http://") || endpoint.startsWith("https://"))) {
        throw new IllegalArgumentException("an endpoint must be an http:// or https:// URL");
      }
    }
    return new IndexToElasticsearch(IndexConfiguration.defaults(endpoints));
  }

  /** Into the index that {@code template} computes from each trip. */
  public IndexToElasticsearch withIndexTemplate(IndexNameTemplate template) {
    return with(config.toBuilder().setIndexTemplate(Objects.requireNonNull(template, "template")));
  }

  /** At most this many documents per bulk request. */
  public IndexToElasticsearch withBulkFlushMaxActions(long actions) {
    if (actions < 1) {
      throw new IllegalArgumentException(
          "bulk flush max actions must be at least 1, was " + actions);
    }
    return with(config.toBuilder().setBulkFlushMaxActions(actions));
  }

  /** At most about this many bytes per bulk request (a request closes once it reaches the size). */
  public IndexToElasticsearch withBulkFlushMaxSizeBytes(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException(
          "bulk flush max size must be at least 1 byte, was " + bytes);
    }
    return with(config.toBuilder().setBulkFlushMaxSizeBytes(bytes));
  }

  /**
   * Batches documents across bundles (ElasticsearchIO's stateful batching) and sends a bulk request
   * at least this often; without it a bulk request is sent at the end of every runner bundle.
   */
  public IndexToElasticsearch withBulkFlushInterval(Duration interval) {
    if (interval == null || !interval.isLongerThan(Duration.ZERO)) {
      throw new IllegalArgumentException("bulk flush interval must be positive, was " + interval);
    }
    return with(config.toBuilder().setBulkFlushInterval(interval));
  }

  /** How often and how long documents that failed for a transient reason are tried again. */
  public IndexToElasticsearch withRetrySchedule(RetrySchedule schedule) {
    return with(config.toBuilder().setRetrySchedule(Objects.requireNonNull(schedule, "schedule")));
  }

  /** HTTP basic authentication (e.g. Amazon OpenSearch Service's fine-grained access control). */
  public IndexToElasticsearch withBasicAuth(String username, String password) {
    if (username == null || username.isEmpty() || password == null || password.isEmpty()) {
      throw new IllegalArgumentException("basic auth needs a non-empty username and password");
    }
    if (config.apiKey() != null) {
      throw new IllegalArgumentException("basic auth can not be combined with an API key");
    }
    return with(config.toBuilder().setUsername(username).setPassword(password));
  }

  /**
   * An Elasticsearch API key, the base64 {@code id:api_key} sent as {@code Authorization: ApiKey}.
   */
  public IndexToElasticsearch withApiKey(String apiKey) {
    if (apiKey == null || apiKey.isEmpty()) {
      throw new IllegalArgumentException("the API key can not be null or empty");
    }
    if (config.username() != null) {
      throw new IllegalArgumentException("an API key can not be combined with basic auth");
    }
    return with(config.toBuilder().setApiKey(apiKey));
  }

  /**
   * Trusts the certificates in this key store (JKS or PKCS#12) for https endpoints, instead of the
   * JVM's default trust store.
   */
  public IndexToElasticsearch withTrustStore(String path, @Nullable String storePassword) {
    if (path == null || path.isEmpty()) {
      throw new IllegalArgumentException("the trust store path can not be null or empty");
    }
    return with(config.toBuilder().setTrustStorePath(path).setTrustStorePassword(storePassword));
  }

  public RetrySchedule retrySchedule() {
    return config.retrySchedule();
  }

  private static IndexToElasticsearch with(IndexConfiguration.Builder changed) {
    return new IndexToElasticsearch(changed.build());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("endpoints", config.endpoints().toString()))
        .add(DisplayData.item("indexTemplate", config.indexTemplate().template()))
        .add(DisplayData.item("bulkFlushMaxActions", config.bulkFlushMaxActions()))
        .add(DisplayData.item("bulkFlushMaxSizeBytes", config.bulkFlushMaxSizeBytes()))
        .add(DisplayData.item("retryWaits", config.retrySchedule().toString()))
        .add(DisplayData.item("authentication", config.authentication()));
  }

  @Override
  public PCollectionTuple expand(PCollection<TripEvent> trips) {
    PCollection<Document> actions =
        trips
            .apply("ToBulkActions", ParDo.of(new ToBulkActionFn(config.indexTemplate())))
            .setCoder(DocumentCoder.of());

    ElasticsearchIO.BulkIO bulk =
        ElasticsearchIO.bulkIO()
            .withConnectionConfiguration(config.connection())
            .withMaxBatchSize(config.bulkFlushMaxActions())
            .withMaxBatchSizeBytes(config.bulkFlushMaxSizeBytes())
            .withThrowWriteErrors(false);
    ElasticsearchIO.BulkIO firstBulk =
        config.bulkFlushInterval() == null
            ? bulk
            : bulk.withMaxBufferingDuration(config.bulkFlushInterval())
                .withMaxParallelRequests(STATEFUL_PARALLEL_REQUESTS);

    // Successes are counted right after each write, in the same step chain: flattening the written
    // documents first would ship each of them (document, bulk line and response) to another task.
    List<PCollection<Long>> indexed = new ArrayList<>();
    List<PCollection<FailedEvent>> rejected = new ArrayList<>();
    PCollectionTuple written = actions.apply("IndexDocuments", firstBulk);
    indexed.add(countIndexed(written, "CountIndexed"));
    PCollection<Document> failed = written.get(ElasticsearchIO.Write.FAILED_WRITES);

    RetrySchedule schedule = config.retrySchedule();
    List<Duration> waits = schedule.waits();
    for (int retry = 1; retry <= waits.size(); retry++) {
      PCollectionTuple triaged = triage(failed, "TriageFailures" + retry, null);
      rejected.add(triaged.get(DEAD_LETTERS));
      PCollectionTuple retried =
          triaged
              .get(RETRY)
              .apply("WaitBeforeRetry" + retry, ParDo.of(new WaitFn(waits.get(retry - 1))))
              .setCoder(DocumentCoder.of())
              .apply("RetryIndexing" + retry, bulk);
      indexed.add(countIndexed(retried, "CountIndexed" + retry));
      failed = retried.get(ElasticsearchIO.Write.FAILED_WRITES);
    }
    PCollectionTuple last = triage(failed, "TriageFailures" + (waits.size() + 1), schedule);
    rejected.add(last.get(DEAD_LETTERS));

    PCollection<Long> indexedIds =
        PCollectionList.of(indexed)
            .apply("CollectIndexed", Flatten.pCollections())
            .setCoder(VarLongCoder.of());
    PCollection<FailedEvent> deadLetters =
        PCollectionList.of(rejected)
            .apply("CollectRejected", Flatten.pCollections())
            .setCoder(AvroCoder.of(FailedEvent.class));
    return PCollectionTuple.of(INDEXED, indexedIds).and(DEAD_LETTERS, deadLetters);
  }

  private static PCollection<Long> countIndexed(PCollectionTuple written, String name) {
    return written
        .get(ElasticsearchIO.Write.SUCCESSFUL_WRITES)
        .apply(name, ParDo.of(new IndexedFn()))
        .setCoder(VarLongCoder.of());
  }

  /**
   * Splits failed documents into those to retry and dead letters; with {@code exhausted} set, none
   * is retried.
   */
  private static PCollectionTuple triage(
      PCollection<Document> failed, String name, @Nullable RetrySchedule exhausted) {
    PCollectionTuple triaged =
        failed.apply(
            name,
            ParDo.of(new TriageFn(exhausted)).withOutputTags(RETRY, TupleTagList.of(DEAD_LETTERS)));
    triaged.get(RETRY).setCoder(DocumentCoder.of());
    triaged.get(DEAD_LETTERS).setCoder(AvroCoder.of(FailedEvent.class));
    return triaged;
  }
}
