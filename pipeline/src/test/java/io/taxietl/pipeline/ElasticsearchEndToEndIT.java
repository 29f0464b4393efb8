package io.taxietl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.taxietl.testing.Await;
import io.taxietl.testing.LocalElasticsearch;
import io.taxietl.transforms.metrics.EtlMetrics;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The end-to-end checks against Elasticsearch 7.17.29, and what an outage of it does to a running
 * job.
 */
class ElasticsearchEndToEndIT extends ElasticsearchSinkContract {
  @RegisterExtension
  static final LocalElasticsearch ES =
      new LocalElasticsearch(LocalElasticsearch.Flavor.ELASTICSEARCH);

  private static final Duration OUTAGE = Duration.ofSeconds(30);

  @Override
  LocalElasticsearch server() {
    return ES;
  }

  /**
   * Elasticsearch is stopped for 30 seconds while the job is indexing, then started again on the
   * same port and data. The job backs off and retries, does not fail, and every valid trip ends up
   * as exactly one document.
   */
  @Test
  void anOutageOfThirtySecondsMidRunLosesNoDocumentAndDoesNotFailTheJob() throws Exception {
    Input input = sampleInput(work, 2);
    CompletableFuture<Run> job =
        CompletableFuture.supplyAsync(
            () ->
                runMain(
                    input.file(),
                    work.resolve("outage"),
                    "--outputElasticsearchEndpoint=" + ES.url(),
                    "--elasticsearchIndex=outage-{type}",
                    // Retries for up to 5 minutes: on a busy machine Elasticsearch may take a while
                    // to
                    // come back after the 30 s.
                    "--elasticsearchMaxRetries=12",
                    "--elasticsearchMaxRetryDurationSeconds=300"));

    Await.until(
        () ->
            ES.countsPerIndex("outage-").values().stream().mapToLong(Long::longValue).sum() >= 200,
        Duration.ofSeconds(120),
        "the job has indexed its first documents");
    ES.stop();
    long stoppedAt = System.nanoTime();
    Await.until(
        () ->
            EtlMetrics.localTally(EtlMetrics.ELASTICSEARCH_DOCUMENTS_RETRIED) > 0
                && System.nanoTime() - stoppedAt >= OUTAGE.toNanos(),
        OUTAGE.plusSeconds(60),
        "the job retried documents during an outage of at least " + OUTAGE.toSeconds() + " s");
    assertThat(job).as("the job is still running after the outage").isNotDone();
    ES.start();

    Run run = job.get(4, TimeUnit.MINUTES);
    assertThat(run.exitCode()).as(run.console()).isZero();
    assertThat(ES.countsPerIndex("outage-")).isEqualTo(input.tripsPerType("outage-"));
    assertThat(run.summary().counter(EtlMetrics.ELASTICSEARCH_DOCUMENTS_RETRIED)).isPositive();
    assertThat(run.summary().counter(EtlMetrics.ELASTICSEARCH_DOCUMENTS_REJECTED)).isZero();
    assertThat(run.summary().counter(EtlMetrics.ELASTICSEARCH_DOCUMENTS_INDEXED))
        .isGreaterThanOrEqualTo(input.validTrips().size());
    assertThat(deadLettersPerStage(work.resolve("outage/dead-letters")))
        .doesNotContainKey("elasticsearch");
  }
}
