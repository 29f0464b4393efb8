package io.taxietl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.taxietl.options.StreamingEtlOptions;
import io.taxietl.pipeline.local.RunSummary;
import io.taxietl.testing.LocalElasticsearch;
import io.taxietl.transforms.metrics.EtlMetrics;
import io.taxietl.transforms.parse.RejectionReason;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline's metrics after a DirectRunner run of the whole job (files -> Parquet, dead-letter
 * files and a real Elasticsearch 7.17.29) over part of the bundled sample with bad events of every
 * reason, a watermark and binary poison mixed in: {@code PipelineResult.metrics()} holds exactly
 * the expected counts, reason by reason, and the lag distribution has one value per trip.
 */
class PipelineMetricsIT {
  @RegisterExtension
  static final LocalElasticsearch ES =
      new LocalElasticsearch(LocalElasticsearch.Flavor.ELASTICSEARCH);

  @TempDir Path work;

  @Test
  void metricsHoldExactlyTheExpectedCountsPerReasonRowsAndDocuments() throws Exception {
    List<TestEvents.Event> sample = sampleEvents(10);
    List<TestEvents.Event> bad = new ArrayList<>(TestEvents.badTextEvents("metrics"));
    // Binary poison as lines of a file: payloads with a line break would be two lines.
    TestEvents.poison(50, 8).stream()
        .filter(e -> !contains(e.payload(), (byte) '\n') && !contains(e.payload(), (byte) '\r'))
        .limit(5)
        .forEach(bad::add);
    assertThat(bad).hasSize(9 + 5);
    List<TestEvents.Event> events = TestEvents.mix(sample, bad);
    Path input = work.resolve("events.jsonl");
    try (OutputStream out = Files.newOutputStream(input)) {
      for (TestEvents.Event event : events) {
        out.write(event.payload());
        out.write('\n');
      }
    }
    Map<String, Long> expectedByReason = new TreeMap<>();
    long watermarks = 0;
    for (TestEvents.Event event : events) {
      if (event.expectedReason() != null) {
        RejectionReason reason = RejectionReason.valueOf(event.expectedReason());
        expectedByReason.merge(reason.stage() + "." + reason.name(), 1L, Long::sum);
      } else if (event.text().contains("\"watermark\"")) {
        watermarks++;
      }
    }
    long deadLetters = expectedByReason.values().stream().mapToLong(Long::longValue).sum();
    long trips = events.size() - deadLetters - watermarks;
    assertThat(expectedByReason).containsKeys("parse.MALFORMED_JSON", "validate.NEGATIVE_DISTANCE");
    assertThat(watermarks).isEqualTo(1);

    StreamingEtlOptions options =
        StreamingEtlMain.parseOptions(
            new String[] {
              "--runner=DirectRunner",
              "--inputPath=" + input,
              "--outputPath=" + work.resolve("trips"),
              "--deadLetterPath=" + work.resolve("dead-letters"),
              "--outputElasticsearchEndpoint=" + ES.url(),
              "--elasticsearchIndex=metrics-{type}",
            },
            System.out);
    Instant started = Instant.now();
    PipelineResult result = StreamingEtlPipeline.create(options).run();
    assertThat(result.waitUntilFinish()).isEqualTo(PipelineResult.State.DONE);

    RunSummary summary = RunSummary.from(result.metrics(), 1);
    assertThat(summary.counter(EtlMetrics.EVENTS_READ)).isEqualTo(events.size());
    assertThat(summary.counter(EtlMetrics.eventsReadCounterName("file"))).isEqualTo(events.size());
    assertThat(summary.counter(EtlMetrics.TRIPS_PARSED)).isEqualTo(trips);
    assertThat(summary.counter(EtlMetrics.WATERMARK_EVENTS_SKIPPED)).isEqualTo(watermarks);
    assertThat(summary.counter(EtlMetrics.DEAD_LETTERS)).isEqualTo(deadLetters);
    assertThat(summary.deadLettersByReason()).isEqualTo(expectedByReason);
    assertThat(summary.counter(EtlMetrics.PARQUET_ROWS_WRITTEN)).isEqualTo(trips);
    assertThat(summary.counter(EtlMetrics.PARQUET_FILES_COMMITTED))
        .isEqualTo(summary.counter(EtlMetrics.PARQUET_FILES_WRITTEN))
        .isPositive();
    assertThat(summary.counter(EtlMetrics.ELASTICSEARCH_DOCUMENTS_INDEXED)).isEqualTo(trips);
    assertThat(summary.counter(EtlMetrics.ELASTICSEARCH_DOCUMENTS_REJECTED)).isZero();
    assertThat(summary.counter(EtlMetrics.DEAD_LETTER_FILES_COMMITTED)).isPositive();

    Instant finished = Instant.now();
    DistributionResult eventTimeLag = distribution(result, EtlMetrics.EVENT_TIME_LAG_MILLIS);
    assertThat(eventTimeLag.getCount()).isEqualTo(trips);
    // Each trip's lag was taken between the start and the end of the run, from its own dropoff
    // time.
    List<Instant> dropoffs = validDropoffs(events);
    assertThat(dropoffs).hasSize((int) trips);
    Instant earliest = dropoffs.stream().min(Instant::compareTo).orElseThrow();
    Instant latest = dropoffs.stream().max(Instant::compareTo).orElseThrow();
    assertThat(eventTimeLag.getMin())
        .isBetween(
            started.toEpochMilli() - latest.toEpochMilli(),
            finished.toEpochMilli() - latest.toEpochMilli());
    assertThat(eventTimeLag.getMax())
        .isBetween(
            started.toEpochMilli() - earliest.toEpochMilli(),
            finished.toEpochMilli() - earliest.toEpochMilli());
    // Files carry no arrival time.
    assertThat(distributions(result, EtlMetrics.ARRIVAL_LAG_MILLIS)).isEmpty();
  }

  /**
   * The dropoff times of the valid trips, read independently (the sample's naive timestamps are
   * UTC).
   */
  private static List<Instant> validDropoffs(List<TestEvents.Event> events)
      throws JsonProcessingException {
    List<Instant> dropoffs = new ArrayList<>();
    for (TestEvents.Event event : events) {
      if (event.expectedReason() != null || event.text().contains("\"watermark\"")) {
        continue;
      }
      String text =
          TripOutput.JSON.readTree(event.text()).get("dropoff_datetime").asText().replace(' ', 'T');
      dropoffs.add(LocalDateTime.parse(text).toInstant(ZoneOffset.UTC));
    }
    return dropoffs;
  }

  private static boolean contains(byte[] bytes, byte wanted) {
    for (byte b : bytes) {
      if (b == wanted) {
        return true;
      }
    }
    return false;
  }

  private static DistributionResult distribution(PipelineResult result, String name) {
    List<DistributionResult> found = distributions(result, name);
    assertThat(found).as("distribution " + name).hasSize(1);
    return found.get(0);
  }

  private static List<DistributionResult> distributions(PipelineResult result, String name) {
    List<DistributionResult> found = new ArrayList<>();
    for (MetricResult<DistributionResult> distribution :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(EtlMetrics.NAMESPACE, name))
                    .build())
            .getDistributions()) {
      found.add(distribution.getCommitted());
    }
    return found;
  }

  /**
   * Every {@code step}-th line of the bundled sample, with its expected outcome (an independent
   * check).
   */
  private static List<TestEvents.Event> sampleEvents(int step) throws Exception {
    List<TestEvents.Event> events = new ArrayList<>();
    try (BufferedReader sample =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(StreamingEtlEndToEndIT.SAMPLE)),
                StandardCharsets.UTF_8))) {
      String line;
      for (int i = 0; (line = sample.readLine()) != null; i++) {
        if (i % step == 0 && !line.isBlank()) {
          events.add(new TestEvents.Event(line.getBytes(StandardCharsets.UTF_8), reason(line)));
        }
      }
    }
    return events;
  }

  private static String reason(String line) throws JsonProcessingException {
    JsonNode event = TripOutput.JSON.readTree(line);
    return IndependentCheck.rejection(event);
  }
}
