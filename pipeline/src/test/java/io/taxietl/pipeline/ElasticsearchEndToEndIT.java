package io.taxietl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taxietl.testing.Await;
import io.taxietl.testing.LocalElasticsearch;
import io.taxietl.transforms.metrics.EtlMetrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

  private static final Duration OUTAGE = Duration.ofSeconds(60);

  @Override
  LocalElasticsearch server() {
    return ES;
  }

  /**
   * Elasticsearch is stopped for 60 seconds while the job is indexing, then started again on the
   * same port and data. The job backs off and retries, does not fail, and every valid trip ends up
   * as exactly one document. One trip among them conflicts with its index's mapping (a {@code
   * passenger_count} of 1,000 into a {@code byte} field): Elasticsearch refuses it for good, and it
   * becomes one dead letter, neither retried nor repeated.
   */
  @Test
  void anOutageOfSixtySecondsMidRunLosesNoDocumentAndAMappingConflictIsOneDeadLetter()
      throws Exception {
    Input input = sampleInput(work, 2);
    JsonNode conflicting = mappingConflict(input);
    ES.createIndex("outage-yellow", "{\"properties\":{\"passenger_count\":{\"type\":\"byte\"}}}");
    long started = System.nanoTime();
    CompletableFuture<Run> job =
        CompletableFuture.supplyAsync(
            () ->
                runMain(
                    input.file(),
                    work.resolve("outage"),
                    "--outputElasticsearchEndpoint=" + ES.url(),
                    "--elasticsearchIndex=outage-{type}",
                    // Retries for up to 5 minutes: on a busy machine Elasticsearch may take a while
                    // to come back after the 60 s.
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
    double away = (System.nanoTime() - stoppedAt) / 1e9;

    Run run = job.get(5, TimeUnit.MINUTES);
    assertThat(run.exitCode()).as(run.console()).isZero();
    Map<String, Long> expected = input.tripsPerType("outage-");
    expected.merge("outage-yellow", -1L, Long::sum);
    assertThat(ES.countsPerIndex("outage-")).isEqualTo(expected);
    String conflictingId = conflicting.get("trip_id").asText();
    assertThat(ES.source("outage-yellow", conflictingId)).isEmpty();
    long retried = run.summary().counter(EtlMetrics.ELASTICSEARCH_DOCUMENTS_RETRIED);
    assertThat(retried).isPositive();
    assertThat(run.summary().counter(EtlMetrics.ELASTICSEARCH_DOCUMENTS_REJECTED)).isEqualTo(1);
    assertThat(run.summary().counter(EtlMetrics.ELASTICSEARCH_DOCUMENTS_INDEXED))
        .isGreaterThanOrEqualTo(input.validTrips().size() - 1);
    assertThat(deadLettersPerStage(work.resolve("outage/dead-letters")))
        .isEqualTo(Map.of("parse", 2L, "elasticsearch", 1L));
    List<JsonNode> refused = new ArrayList<>();
    for (JsonNode deadLetter : TripOutput.deadLetters(work.resolve("outage/dead-letters"))) {
      if (deadLetter.get("stage").asText().equals("elasticsearch")) {
        refused.add(deadLetter);
      }
    }
    assertThat(refused).hasSize(1);
    assertThat(refused.get(0).get("trip_id").asText()).isEqualTo(conflictingId);
    assertThat(refused.get(0).get("reason").asText()).isEqualTo("ELASTICSEARCH_REJECTED");
    assertThat(refused.get(0).get("error_class").asText()).isEqualTo("mapper_parsing_exception");
    System.out.printf(
        "ElasticsearchEndToEndIT outage: %,d valid trips; Elasticsearch away %.1f s; %,d documents"
            + " retried; %,d documents in the indices, once per trip; 1 mapping conflict, 1 dead"
            + " letter; %.1f s in all%n",
        input.validTrips().size(),
        away,
        retried,
        expected.values().stream().mapToLong(Long::longValue).sum(),
        (System.nanoTime() - started) / 1e9);
  }

  /**
   * Appends to the input a valid yellow trip, a copy of one with a new trip id, whose {@code
   * passenger_count} of 1,000 does not fit the {@code byte} the test maps that field to; returns
   * it.
   */
  private static JsonNode mappingConflict(Input input) throws Exception {
    JsonNode yellow =
        input.validTrips().values().stream()
            .filter(trip -> trip.get("type").asText().equals("yellow"))
            .findFirst()
            .orElseThrow();
    ObjectNode conflicting = yellow.deepCopy();
    conflicting.put("trip_id", 999_999_999_999_999L);
    conflicting.put("passenger_count", 1000);
    Files.writeString(
        input.file(), conflicting + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    input.validTrips().put(conflicting.get("trip_id").asLong(), conflicting);
    return conflicting;
  }
}
