package io.taxietl.transforms.io.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import io.taxietl.avro.FailedEvent;
import io.taxietl.avro.TripEvent;
import io.taxietl.testing.Await;
import io.taxietl.testing.LocalElasticsearch;
import io.taxietl.testing.ScriptedServer;
import io.taxietl.transforms.TestTrips;
import io.taxietl.transforms.metrics.EtlMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link IndexToElasticsearch} against a real Elasticsearch 7.17 started by {@code
 * scripts/elasticsearch.sh start --secure}, so https with a self-signed certificate and basic auth:
 * a document the index refuses, a whole bulk refused with HTTP 429, batching by interval, a cluster
 * that never answers; and that the trust store and credentials are what make indexing work, while a
 * wrong secret never shows up in a dead letter.
 */
class IndexToElasticsearchIT {
  @RegisterExtension
  static final LocalElasticsearch ES =
      new LocalElasticsearch(LocalElasticsearch.Flavor.ELASTICSEARCH, true);

  private static final String WRONG_SECRET = "not-the-Pa55word";

  private static final RetrySchedule FAST_RETRIES =
      RetrySchedule.of(
          20,
          org.joda.time.Duration.standardSeconds(60),
          org.joda.time.Duration.millis(200),
          org.joda.time.Duration.standardSeconds(2));

  @BeforeEach
  void resetTallies() {
    EtlMetrics.resetLocalTallies();
  }

  /** The sink for the test server, authenticated and trusting its certificate. */
  private static IndexToElasticsearch sink(String index) {
    return IndexToElasticsearch.to(List.of(ES.url()))
        .withIndexTemplate(IndexNameTemplate.parse(index))
        .withRetrySchedule(FAST_RETRIES)
        .withBasicAuth(ES.username(), ES.password())
        .withTrustStore(ES.trustStore().toString(), LocalElasticsearch.TRUST_STORE_PASSWORD);
  }

  private static final RetrySchedule ONE_QUICK_RETRY =
      RetrySchedule.of(
          1,
          org.joda.time.Duration.standardSeconds(5),
          org.joda.time.Duration.millis(100),
          org.joda.time.Duration.millis(100));

  /** The sink for the test server without credentials nor trust store. */
  private static IndexToElasticsearch unauthenticated(String index) {
    return IndexToElasticsearch.to(List.of(ES.url()))
        .withIndexTemplate(IndexNameTemplate.parse(index))
        .withRetrySchedule(FAST_RETRIES);
  }

  private static PCollectionTuple index(
      Pipeline pipeline, List<TripEvent> trips, IndexToElasticsearch sink) {
    return pipeline.apply(Create.of(trips).withCoder(AvroCoder.of(TripEvent.class))).apply(sink);
  }

  private static Pipeline pipeline(boolean blockOnRun) {
    DirectOptions options = PipelineOptionsFactory.as(DirectOptions.class);
    options.setRunner(DirectRunner.class);
    options.setBlockOnRun(blockOnRun);
    return Pipeline.create(options);
  }

  private static List<TripEvent> trips(long firstId, int count) {
    return LongStream.range(firstId, firstId + count)
        .mapToObj(id -> TestTrips.trip(id, "2019-03-01T00:13:12", 239))
        .toList();
  }

  private static long counter(PipelineResult result, String name) {
    long sum = 0;
    for (MetricResult<Long> counter :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(EtlMetrics.NAMESPACE, name))
                    .build())
            .getCounters()) {
      sum += counter.getAttempted();
    }
    return sum;
  }

  @Test
  void aDocumentWhoseFieldConflictsWithTheMappingBecomesADeadLetterAndTheRestOfItsBulkIsIndexed() {
    ES.createIndex(
        "conflict-yellow", "{\"properties\":{\"store_and_fwd_flag\":{\"type\":\"long\"}}}");
    List<TripEvent> trips = new ArrayList<>(trips(1, 20));
    trips.set(6, TripEvent.newBuilder(trips.get(6)).setStoreAndFwdFlag("Y").build());

    Pipeline pipeline = pipeline(true);
    PCollectionTuple result =
        pipeline
            .apply(Create.of(trips).withCoder(AvroCoder.of(TripEvent.class)))
            .apply(sink("conflict-{type}"));
    PAssert.that(result.get(IndexToElasticsearch.INDEXED))
        .containsInAnyOrder(LongStream.rangeClosed(1, 20).filter(id -> id != 7).boxed().toList());
    PAssert.that(result.get(IndexToElasticsearch.DEAD_LETTERS))
        .satisfies(
            deadLetters -> {
              assertThat(deadLetters).hasSize(1);
              FailedEvent deadLetter = deadLetters.iterator().next();
              assertThat(deadLetter.getStage()).isEqualTo("elasticsearch");
              assertThat(deadLetter.getReason()).isEqualTo("ELASTICSEARCH_REJECTED");
              assertThat(deadLetter.getTripId()).isEqualTo(7L);
              assertThat(deadLetter.getErrorClass()).isEqualTo("mapper_parsing_exception");
              assertThat(deadLetter.getErrorMessage())
                  .startsWith("Elasticsearch answered 400 mapper_parsing_exception")
                  .contains("store_and_fwd_flag", "[index conflict-yellow]");
              assertThat(deadLetter.getPayload())
                  .contains("\"trip_id\":7,", "\"store_and_fwd_flag\":\"Y\"");
              assertThat(deadLetter.getOrigin().getSource()).isEqualTo("unknown");
              return null;
            });
    PipelineResult run = pipeline.run();
    run.waitUntilFinish();

    assertThat(ES.count("conflict-yellow")).isEqualTo(19);
    assertThat(ES.source("conflict-yellow", "7")).isEmpty();
    assertThat(ES.source("conflict-yellow", "8"))
        .hasValueSatisfying(
            doc ->
                assertThat(doc.get("pickup_datetime").asText()).isEqualTo("2019-03-01T00:13:12Z"));
    assertThat(counter(run, EtlMetrics.ELASTICSEARCH_DOCUMENTS_INDEXED)).isEqualTo(19);
    assertThat(counter(run, EtlMetrics.ELASTICSEARCH_DOCUMENTS_REJECTED)).isEqualTo(1);
    assertThat(counter(run, EtlMetrics.ELASTICSEARCH_DOCUMENTS_RETRIED))
        .as("a mapping conflict is not retried")
        .isZero();
    assertThat(
            counter(
                run, EtlMetrics.deadLetterCounterName("elasticsearch", "ELASTICSEARCH_REJECTED")))
        .isEqualTo(1);
  }

  @Test
  void aBulkRefusedWithTooManyRequestsIsRetriedWithBackoffUntilElasticsearchAcceptsIt() {
    // A real 429 from a real server: the in-flight-requests circuit breaker refuses every request
    // bigger than 1 kB (the bulk requests) and still accepts the small request that resets it.
    ES.putTransientSetting("network.breaker.inflight_requests.limit", "1kb");
    try {
      Pipeline pipeline = pipeline(false);
      PCollectionTuple result =
          pipeline
              .apply(Create.of(trips(1001, 100)).withCoder(AvroCoder.of(TripEvent.class)))
              .apply(sink("breaker-{type}"));
      PAssert.that(result.get(IndexToElasticsearch.DEAD_LETTERS)).empty();
      PAssert.that(result.get(IndexToElasticsearch.INDEXED))
          .containsInAnyOrder(LongStream.range(1001, 1101).boxed().toList());
      PipelineResult run = pipeline.run();

      Await.until(
          () -> EtlMetrics.localTally(EtlMetrics.ELASTICSEARCH_DOCUMENTS_RETRIED) >= 200,
          Duration.ofSeconds(60),
          "every document was refused with 429 and retried twice");
      assertThat(ES.count("breaker-yellow")).isZero();
      ES.putTransientSetting("network.breaker.inflight_requests.limit", null);

      assertThat(run.waitUntilFinish()).isEqualTo(PipelineResult.State.DONE);
      assertThat(ES.count("breaker-yellow")).isEqualTo(100);
      assertThat(counter(run, EtlMetrics.ELASTICSEARCH_DOCUMENTS_INDEXED)).isEqualTo(100);
      assertThat(counter(run, EtlMetrics.ELASTICSEARCH_DOCUMENTS_REJECTED)).isZero();
    } finally {
      ES.putTransientSetting("network.breaker.inflight_requests.limit", null);
    }
  }

  @Test
  void withAFlushIntervalDocumentsAreBatchedAcrossBundlesAndAllIndexed() {
    Pipeline pipeline = pipeline(true);
    PCollectionTuple result =
        pipeline
            .apply(Create.of(trips(2001, 250)).withCoder(AvroCoder.of(TripEvent.class)))
            .apply(
                sink("interval-{type}")
                    .withBulkFlushMaxActions(100)
                    .withBulkFlushInterval(org.joda.time.Duration.millis(500)));
    PAssert.that(result.get(IndexToElasticsearch.INDEXED))
        .containsInAnyOrder(LongStream.range(2001, 2251).boxed().toList());
    PAssert.that(result.get(IndexToElasticsearch.DEAD_LETTERS)).empty();
    assertThat(pipeline.run().waitUntilFinish()).isEqualTo(PipelineResult.State.DONE);
    assertThat(ES.count("interval-yellow")).isEqualTo(250);
  }

  @Test
  void documentsStillFailingWhenTheRetriesRunOutBecomeDeadLettersAndThePipelineFinishes() {
    String nobody = "http://127.0.0.1:" + ScriptedServer.freePort();
    RetrySchedule twoRetries =
        RetrySchedule.of(
            2,
            org.joda.time.Duration.standardSeconds(10),
            org.joda.time.Duration.millis(100),
            org.joda.time.Duration.millis(200));
    Pipeline pipeline = pipeline(true);
    PCollectionTuple result =
        pipeline
            .apply(Create.of(trips(1, 5)).withCoder(AvroCoder.of(TripEvent.class)))
            .apply(IndexToElasticsearch.to(List.of(nobody)).withRetrySchedule(twoRetries));
    PAssert.that(result.get(IndexToElasticsearch.INDEXED)).empty();
    PAssert.that(result.get(IndexToElasticsearch.DEAD_LETTERS))
        .satisfies(
            deadLetters -> {
              assertThat(deadLetters).hasSize(5);
              assertThat(deadLetters)
                  .allSatisfy(
                      deadLetter -> {
                        assertThat(deadLetter.getErrorMessage())
                            .startsWith("the bulk request got no answer")
                            .endsWith("(still failing after 2 retries over 0.3 s of backoff)");
                        assertThat(deadLetter.getErrorClass()).isEqualTo("java.io.IOException");
                      });
              assertThat(deadLetters)
                  .extracting(FailedEvent::getTripId)
                  .containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L);
              return null;
            });
    PipelineResult run = pipeline.run();
    assertThat(run.waitUntilFinish()).isEqualTo(PipelineResult.State.DONE);
    assertThat(counter(run, EtlMetrics.ELASTICSEARCH_DOCUMENTS_RETRIED)).isEqualTo(10);
    assertThat(counter(run, EtlMetrics.ELASTICSEARCH_DOCUMENTS_REJECTED)).isEqualTo(5);
  }

  @Test
  void aWrongPasswordOrApiKeyIsRefusedForGoodWithoutTheSecretInTheDeadLetters() {
    Pipeline pipeline = pipeline(true);
    PCollectionTuple wrongPassword =
        index(
            pipeline,
            trips(101, 3),
            unauthenticated("refused-{type}")
                .withBasicAuth(ES.username(), WRONG_SECRET)
                .withTrustStore(
                    ES.trustStore().toString(), LocalElasticsearch.TRUST_STORE_PASSWORD));
    PCollectionTuple wrongKey =
        index(
            pipeline,
            trips(201, 3),
            unauthenticated("refused-{type}")
                .withApiKey(WRONG_SECRET)
                .withTrustStore(
                    ES.trustStore().toString(), LocalElasticsearch.TRUST_STORE_PASSWORD));
    for (PCollectionTuple result : List.of(wrongPassword, wrongKey)) {
      PAssert.that(result.get(IndexToElasticsearch.INDEXED)).empty();
      PAssert.that(result.get(IndexToElasticsearch.DEAD_LETTERS))
          .satisfies(
              deadLetters -> {
                assertThat(deadLetters).hasSize(3);
                for (FailedEvent deadLetter : deadLetters) {
                  assertThat(deadLetter.getErrorMessage())
                      .contains("refused the whole bulk request with 401 security_exception")
                      .doesNotContain(WRONG_SECRET)
                      .doesNotContain("still failing");
                  assertThat(deadLetter.toString()).doesNotContain(WRONG_SECRET);
                }
                return null;
              });
    }
    assertThat(pipeline.run().waitUntilFinish()).isEqualTo(PipelineResult.State.DONE);
    assertThat(ES.count("refused-yellow")).isZero();
  }

  @Test
  void withoutTheTrustStoreTheSelfSignedCertificateIsNotTrusted() {
    Pipeline pipeline = pipeline(true);
    PCollectionTuple result =
        index(
            pipeline,
            trips(301, 2),
            unauthenticated("untrusted-{type}")
                .withRetrySchedule(ONE_QUICK_RETRY)
                .withBasicAuth(ES.username(), ES.password()));
    PAssert.that(result.get(IndexToElasticsearch.DEAD_LETTERS))
        .satisfies(
            deadLetters -> {
              assertThat(deadLetters).hasSize(2);
              assertThat(deadLetters)
                  .allSatisfy(
                      deadLetter ->
                          assertThat(deadLetter.getErrorMessage())
                              .startsWith("the bulk request got no answer")
                              .containsIgnoringCase("certificat")
                              .contains("still failing after 1 retries"));
              return null;
            });
    assertThat(pipeline.run().waitUntilFinish()).isEqualTo(PipelineResult.State.DONE);
    assertThat(ES.count("untrusted-yellow")).isZero();
  }
}
