package io.taxietl.transforms.io.elasticsearch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.taxietl.avro.EventSource;
import io.taxietl.avro.FailedEvent;
import io.taxietl.avro.TripEvent;
import io.taxietl.transforms.deadletter.DeadLetters;
import io.taxietl.transforms.event.TripEventJson;
import io.taxietl.transforms.metrics.EtlMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.elasticsearch.ElasticsearchIO;
import org.apache.beam.sdk.io.elasticsearch.ElasticsearchIO.ConnectionConfiguration;
import org.apache.beam.sdk.io.elasticsearch.ElasticsearchIO.Document;
import org.apache.beam.sdk.io.elasticsearch.ElasticsearchIO.DocumentCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * Indexes trips into Elasticsearch (or OpenSearch) with Beam's {@link ElasticsearchIO}, one document
 * per trip, so that a replay overwrites instead of duplicating.
 *
 * <p>Input: {@link TripEvent}s. Each becomes the document {@link TripEventJson} writes, indexed
 * ({@code index} action, so a second write of the same trip replaces the first) with {@code _id} =
 * {@code trip_id} into the index that the {@link IndexNameTemplate} computes from the trip. Documents
 * are sent in bulk requests of at most {@link #withBulkFlushMaxActions} documents and {@link
 * #withBulkFlushMaxSizeBytes} bytes, at the end of each runner bundle or, with {@link
 * #withBulkFlushInterval}, at least that often.
 *
 * <p>Retries: ElasticsearchIO 2.62 retries a bulk request only for connection errors and 5xx of the
 * whole request and for 429 items, and when its retries run out it fails the bundle; it never retries
 * a request-level 429 or 5xx items (apache/beam#22160). So this transform runs the IO with {@code
 * withThrowWriteErrors(false)} and no retry configuration, and retries itself: every failed document
 * whose failure is transient ({@link BulkFailure#isTransient()}: no answer, 429, 5xx) waits as long as
 * the {@link RetrySchedule} says (blocking the step: back-pressure while Elasticsearch recovers) and is
 * written again by another {@code BulkIO}, once per retry of the schedule. The pipeline graph has one
 * retry stage per retry, so changing the number of retries changes the graph.
 *
 * <p>Outputs, as a {@link PCollectionTuple}: {@link #INDEXED}, the {@code trip_id} of every document
 * Elasticsearch acknowledged; {@link #DEAD_LETTERS}, a {@link FailedEvent} (stage {@value #STAGE},
 * reason {@value #REASON}, Elasticsearch's error as the message and type as the error class, the
 * document JSON as payload, the trip id) for every document refused for good (a permanent error such
 * as a mapping conflict, or a transient one that outlived the retries). The original event's source
 * coordinates are not carried this far: the dead letter's {@code origin.source} is {@value
 * #UNKNOWN_SOURCE}, and the trip id identifies the event. The job keeps running either way.
 *
 * <p>Metrics ({@link EtlMetrics}): {@code elasticsearch_documents_indexed}, {@code
 * elasticsearch_documents_retried} (one per retry of a document), {@code
 * elasticsearch_documents_rejected}, {@code dead_letters} and {@code
 * dead_letters.elasticsearch.ELASTICSEARCH_REJECTED}.
 *
 * <p>Delivery: at least once into the index (a bundle that fails is retried by the runner, and
 * documents are written before a checkpoint completes), which the fixed {@code _id} makes exactly once
 * per trip in the index. Credentials are handed to ElasticsearchIO's connection configuration and
 * appear in no display data, log line or dead letter.
 */
public final class IndexToElasticsearch extends PTransform<PCollection<TripEvent>, PCollectionTuple> {
  public static final TupleTag<Long> INDEXED = new TupleTag<>("indexed") {};
  public static final TupleTag<FailedEvent> DEAD_LETTERS = new TupleTag<>("deadLetters") {};

  public static final String STAGE = "elasticsearch";
  public static final String REASON = "ELASTICSEARCH_REJECTED";
  static final String UNKNOWN_SOURCE = "unknown";

  /** The bulk format this transform uses ({@code index} with {@code _index} and {@code _id}) is 7.x's, which 8.x and OpenSearch accept too. */
  private static final int BACKEND_VERSION = 7;
  private static final int STATEFUL_PARALLEL_REQUESTS = 2;
  public static final Duration DEFAULT_INITIAL_RETRY_WAIT = Duration.standardSeconds(1);
  public static final Duration DEFAULT_MAX_RETRY_WAIT = Duration.standardSeconds(30);

  private static final TupleTag<Document> RETRY = new TupleTag<>("retry") {};

  private final List<String> endpoints;
  private final IndexNameTemplate indexTemplate;
  private final long maxActions;
  private final long maxSizeBytes;
  private final @Nullable Duration flushInterval;
  private final RetrySchedule retrySchedule;
  private final @Nullable String username;
  private final @Nullable String password;
  private final @Nullable String apiKey;
  private final @Nullable String trustStorePath;
  private final @Nullable String trustStorePassword;

  private IndexToElasticsearch(
      List<String> endpoints,
      IndexNameTemplate indexTemplate,
      long maxActions,
      long maxSizeBytes,
      @Nullable Duration flushInterval,
      RetrySchedule retrySchedule,
      @Nullable String username,
      @Nullable String password,
      @Nullable String apiKey,
      @Nullable String trustStorePath,
      @Nullable String trustStorePassword) {
    this.endpoints = endpoints;
    this.indexTemplate = indexTemplate;
    this.maxActions = maxActions;
    this.maxSizeBytes = maxSizeBytes;
    this.flushInterval = flushInterval;
    this.retrySchedule = retrySchedule;
    this.username = username;
    this.password = password;
    this.apiKey = apiKey;
    this.trustStorePath = trustStorePath;
    this.trustStorePassword = trustStorePassword;
  }

  /**
   * Indexes into the cluster at {@code endpoints} (URLs such as {@code https://host:9200}), into the
   * index {@link IndexNameTemplate#DEFAULT}, with bulks of 1000 documents or 5 MB and 8 retries within
   * 2 minutes.
   */
  public static IndexToElasticsearch to(List<String> endpoints) {
    if (endpoints == null || endpoints.isEmpty()) {
      throw new IllegalArgumentException("endpoints can not be null or empty");
    }
    for (String endpoint : endpoints) {
      if (endpoint == null || !(endpoint.startsWith("http://") || endpoint.startsWith("https://"))) {
        throw new IllegalArgumentException("an endpoint must be an http:// or https:// URL");
      }
    }
    return new IndexToElasticsearch(
        List.copyOf(endpoints),
        IndexNameTemplate.parse(IndexNameTemplate.DEFAULT),
        1000,
        5L * 1024 * 1024,
        null,
        RetrySchedule.of(8, Duration.standardMinutes(2), DEFAULT_INITIAL_RETRY_WAIT, DEFAULT_MAX_RETRY_WAIT),
        null,
        null,
        null,
        null,
        null);
  }

  public IndexToElasticsearch withIndexTemplate(IndexNameTemplate template) {
    return new IndexToElasticsearch(
        endpoints, Objects.requireNonNull(template, "template"), maxActions, maxSizeBytes, flushInterval,
        retrySchedule, username, password, apiKey, trustStorePath, trustStorePassword);
  }

  /** At most this many documents per bulk request. */
  public IndexToElasticsearch withBulkFlushMaxActions(long actions) {
    if (actions < 1) {
      throw new IllegalArgumentException("bulk flush max actions must be at least 1, was " + actions);
    }
    return new IndexToElasticsearch(
        endpoints, indexTemplate, actions, maxSizeBytes, flushInterval, retrySchedule, username, password,
        apiKey, trustStorePath, trustStorePassword);
  }

  /** At most about this many bytes per bulk request (a request closes once it reaches the size). */
  public IndexToElasticsearch withBulkFlushMaxSizeBytes(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("bulk flush max size must be at least 1 byte, was " + bytes);
    }
    return new IndexToElasticsearch(
        endpoints, indexTemplate, maxActions, bytes, flushInterval, retrySchedule, username, password,
        apiKey, trustStorePath, trustStorePassword);
  }

  /**
   * Batches documents across bundles (ElasticsearchIO's stateful batching) and sends a bulk request at
   * least this often; without it a bulk request is sent at the end of every runner bundle.
   */
  public IndexToElasticsearch withBulkFlushInterval(Duration interval) {
    if (interval == null || !interval.isLongerThan(Duration.ZERO)) {
      throw new IllegalArgumentException("bulk flush interval must be positive, was " + interval);
    }
    return new IndexToElasticsearch(
        endpoints, indexTemplate, maxActions, maxSizeBytes, interval, retrySchedule, username, password,
        apiKey, trustStorePath, trustStorePassword);
  }

  /** How often and how long documents that failed for a transient reason are tried again. */
  public IndexToElasticsearch withRetrySchedule(RetrySchedule schedule) {
    return new IndexToElasticsearch(
        endpoints, indexTemplate, maxActions, maxSizeBytes, flushInterval,
        Objects.requireNonNull(schedule, "schedule"), username, password, apiKey, trustStorePath,
        trustStorePassword);
  }

  /** HTTP basic authentication (e.g. Amazon OpenSearch Service's fine-grained access control). */
  public IndexToElasticsearch withBasicAuth(String username, String password) {
    if (username == null || username.isEmpty() || password == null || password.isEmpty()) {
      throw new IllegalArgumentException("basic auth needs a non-empty username and password");
    }
    if (apiKey != null) {
      throw new IllegalArgumentException("basic auth can not be combined with an API key");
    }
    return new IndexToElasticsearch(
        endpoints, indexTemplate, maxActions, maxSizeBytes, flushInterval, retrySchedule, username,
        password, null, trustStorePath, trustStorePassword);
  }

  /** An Elasticsearch API key, the base64 {@code id:api_key} sent as {@code Authorization: ApiKey}. */
  public IndexToElasticsearch withApiKey(String apiKey) {
    if (apiKey == null || apiKey.isEmpty()) {
      throw new IllegalArgumentException("the API key can not be null or empty");
    }
    if (username != null) {
      throw new IllegalArgumentException("an API key can not be combined with basic auth");
    }
    return new IndexToElasticsearch(
        endpoints, indexTemplate, maxActions, maxSizeBytes, flushInterval, retrySchedule, null, null,
        apiKey, trustStorePath, trustStorePassword);
  }

  /**
   * Trusts the certificates in this key store (JKS or PKCS#12) for https endpoints, instead of the
   * JVM's default trust store.
   */
  public IndexToElasticsearch withTrustStore(String path, @Nullable String storePassword) {
    if (path == null || path.isEmpty()) {
      throw new IllegalArgumentException("the trust store path can not be null or empty");
    }
    return new IndexToElasticsearch(
        endpoints, indexTemplate, maxActions, maxSizeBytes, flushInterval, retrySchedule, username,
        password, apiKey, path, storePassword);
  }

  public RetrySchedule retrySchedule() {
    return retrySchedule;
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("endpoints", endpoints.toString()))
        .add(DisplayData.item("indexTemplate", indexTemplate.template()))
        .add(DisplayData.item("bulkFlushMaxActions", maxActions))
        .add(DisplayData.item("bulkFlushMaxSizeBytes", maxSizeBytes))
        .add(DisplayData.item("retryWaits", retrySchedule.toString()))
        .add(DisplayData.item("authentication", username != null ? "basic" : apiKey != null ? "api key" : "none"));
  }

  @Override
  public PCollectionTuple expand(PCollection<TripEvent> trips) {
    ConnectionConfiguration connection = connection();
    PCollection<Document> actions =
        trips
            .apply("ToDocuments", ParDo.of(new ToDocumentFn()))
            .setCoder(StringUtf8Coder.of())
            .apply(
                "ToBulkActions",
                ElasticsearchIO.docToBulk()
                    .withBackendVersion(BACKEND_VERSION)
                    .withIdFn(new TripIdFn())
                    .withIndexFn(new IndexFn(indexTemplate)))
            .setCoder(DocumentCoder.of());

    ElasticsearchIO.BulkIO bulk =
        ElasticsearchIO.bulkIO()
            .withConnectionConfiguration(connection)
            .withMaxBatchSize(maxActions)
            .withMaxBatchSizeBytes(maxSizeBytes)
            .withThrowWriteErrors(false);
    ElasticsearchIO.BulkIO firstBulk =
        flushInterval == null
            ? bulk
            : bulk.withMaxBufferingDuration(flushInterval)
                .withMaxParallelRequests(STATEFUL_PARALLEL_REQUESTS);

    // Successes are counted right after each write, in the same step chain: flattening the written
    // documents first would ship each of them (document, bulk line and response) to another task.
    List<PCollection<Long>> indexed = new ArrayList<>();
    List<PCollection<FailedEvent>> rejected = new ArrayList<>();
    PCollectionTuple written = actions.apply("IndexDocuments", firstBulk);
    indexed.add(countIndexed(written, "CountIndexed"));
    PCollection<Document> failed = written.get(ElasticsearchIO.Write.FAILED_WRITES);

    List<Duration> waits = retrySchedule.waits();
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
    PCollectionTuple last = triage(failed, "TriageFailures" + (waits.size() + 1), retrySchedule);
    rejected.add(last.get(DEAD_LETTERS));

    PCollection<Long> indexedIds =
        PCollectionList.of(indexed).apply("CollectIndexed", Flatten.pCollections()).setCoder(VarLongCoder.of());
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

  /** Splits failed documents into those to retry and dead letters; with {@code exhausted} set, none is retried. */
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

  private ConnectionConfiguration connection() {
    ConnectionConfiguration connection =
        ConnectionConfiguration.create(endpoints.toArray(String[]::new));
    if (username != null && password != null) {
      connection = connection.withUsername(username).withPassword(password);
    }
    if (apiKey != null) {
      connection = connection.withApiKey(apiKey);
    }
    if (trustStorePath != null) {
      connection = connection.withKeystorePath(trustStorePath);
      if (trustStorePassword != null) {
        connection = connection.withKeystorePassword(trustStorePassword);
      }
    }
    return connection;
  }

  /** A trip as its JSON document. */
  static final class ToDocumentFn extends DoFn<TripEvent, String> {
    @ProcessElement
    public void processElement(@Element TripEvent trip, OutputReceiver<String> out) {
      out.output(TripEventJson.toJson(trip));
    }
  }

  /** The document id: the trip id. */
  static final class TripIdFn implements ElasticsearchIO.Write.FieldValueExtractFn {
    @Override
    public String apply(JsonNode document) {
      return document.get("trip_id").asText();
    }
  }

  /** The index, from the template over the document. */
  static final class IndexFn implements ElasticsearchIO.Write.FieldValueExtractFn {
    private final IndexNameTemplate template;

    IndexFn(IndexNameTemplate template) {
      this.template = template;
    }

    @Override
    public String apply(JsonNode document) {
      return template.indexOf(document);
    }
  }

  /** Counts acknowledged documents and emits their trip ids. */
  static final class IndexedFn extends DoFn<Document, Long> {
    private transient EtlMetrics.EtlCounter indexed;

    @Setup
    public void setup() {
      indexed = EtlMetrics.counter(EtlMetrics.ELASTICSEARCH_DOCUMENTS_INDEXED);
    }

    @ProcessElement
    public void processElement(@Element Document document, OutputReceiver<Long> out) throws IOException {
      indexed.inc();
      out.output(TripIds.of(document));
    }
  }

  /**
   * Sends documents whose failure is transient on to the next retry and turns the others into dead
   * letters. With a schedule given, the retries are exhausted and every failure is final.
   */
  static final class TriageFn extends DoFn<Document, Document> {
    private final @Nullable RetrySchedule exhausted;
    private transient EtlMetrics.EtlCounter rejected;
    private transient EtlMetrics.EtlCounter deadLetters;
    private transient EtlMetrics.EtlCounter deadLettersByReason;

    TriageFn(@Nullable RetrySchedule exhausted) {
      this.exhausted = exhausted;
    }

    @Setup
    public void setup() {
      rejected = EtlMetrics.counter(EtlMetrics.ELASTICSEARCH_DOCUMENTS_REJECTED);
      deadLetters = EtlMetrics.counter(EtlMetrics.DEAD_LETTERS);
      deadLettersByReason = EtlMetrics.counter(EtlMetrics.deadLetterCounterName(STAGE, REASON));
    }

    @ProcessElement
    public void processElement(@Element Document document, MultiOutputReceiver out) throws IOException {
      BulkFailure failure = BulkFailure.of(document.getResponseItemJson());
      if (failure.isTransient() && exhausted == null) {
        out.get(RETRY).output(document.withHasError(false).withResponseItemJson(null));
        return;
      }
      String message = failure.message();
      if (failure.isTransient()) {
        message +=
            String.format(
                Locale.ROOT,
                " (still failing after %d retries over %.1f s of backoff)",
                exhausted.retries(),
                exhausted.totalWait().getMillis() / 1000.0);
      }
      rejected.inc();
      deadLetters.inc();
      deadLettersByReason.inc();
      String json = Objects.requireNonNullElse(document.getInputDoc(), "");
      out.get(DEAD_LETTERS)
          .output(
              DeadLetters.of(
                  STAGE,
                  REASON,
                  message,
                  failure.errorType(),
                  json.getBytes(StandardCharsets.UTF_8),
                  EventSource.newBuilder().setSource(UNKNOWN_SOURCE).build(),
                  json.isEmpty() ? null : TripIds.of(document),
                  Instant.now()));
    }
  }

  /**
   * Holds the documents of a bundle until {@code wait} has passed since the last one arrived, then
   * lets them through to the next write. The wait blocks this step on purpose: while Elasticsearch
   * is unavailable the pipeline slows down instead of piling up retries.
   */
  static final class WaitFn extends DoFn<Document, Document> {
    private final Duration wait;
    private transient List<Held> held;
    private transient long lastArrivalNanos;
    private transient EtlMetrics.EtlCounter retried;

    private static final class Held {
      private final Document document;
      private final org.joda.time.Instant timestamp;
      private final BoundedWindow window;

      Held(Document document, org.joda.time.Instant timestamp, BoundedWindow window) {
        this.document = document;
        this.timestamp = timestamp;
        this.window = window;
      }
    }

    WaitFn(Duration wait) {
      this.wait = wait;
    }

    @Setup
    public void setup() {
      retried = EtlMetrics.counter(EtlMetrics.ELASTICSEARCH_DOCUMENTS_RETRIED);
    }

    @StartBundle
    public void startBundle() {
      held = new ArrayList<>();
    }

    @ProcessElement
    public void processElement(
        @Element Document document, @Timestamp org.joda.time.Instant timestamp, BoundedWindow window) {
      retried.inc();
      held.add(new Held(document, timestamp, window));
      lastArrivalNanos = System.nanoTime();
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) throws InterruptedException {
      if (held.isEmpty()) {
        return;
      }
      long until = lastArrivalNanos + wait.getMillis() * 1_000_000L;
      for (long left = until - System.nanoTime(); left > 0; left = until - System.nanoTime()) {
        Thread.sleep(Math.max(1, left / 1_000_000L));
      }
      for (Held document : held) {
        context.output(document.document, document.timestamp, document.window);
      }
      held.clear();
    }
  }

  /** Reads the trip id back from a document, without building a tree of it. */
  static final class TripIds {
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
}
