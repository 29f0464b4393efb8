package io.taxietl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taxietl.avro.RawEvent;
import io.taxietl.testing.Await;
import io.taxietl.testing.LocalKafka;
import io.taxietl.testing.PrometheusScrape;
import io.taxietl.testing.ScriptedServer;
import io.taxietl.transforms.metrics.EtlMetrics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.util.concurrent.RateLimiter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An embedded-Flink run from a real Kafka broker with {@code --flinkWebUiPort} and {@code
 * --metricsPrometheusPort}: the dashboard's REST API lists the job, the Prometheus endpoint is
 * scraped over HTTP, and with a pipeline deliberately throttled (a test-only step after the source,
 * whose back pressure slows the source down) the consumer lag rises while events are produced
 * faster than it reads, then falls to zero once production stops and the job has caught up.
 */
class ObservabilityKafkaIT {
  @RegisterExtension static final LocalKafka KAFKA = new LocalKafka();

  private static final String EVENTS_READ = PrometheusScrape.pipelineMetric(EtlMetrics.EVENTS_READ);
  private static final String KAFKA_EVENTS_READ =
      PrometheusScrape.pipelineMetric(EtlMetrics.eventsReadCounterName("kafka"));
  private static final String TRIPS_PARSED =
      PrometheusScrape.pipelineMetric(EtlMetrics.TRIPS_PARSED);
  private static final String DEAD_LETTERS =
      PrometheusScrape.pipelineMetric(EtlMetrics.DEAD_LETTERS);
  private static final String CONSUMER_LAG =
      PrometheusScrape.pipelineMetric(EtlMetrics.KAFKA_CONSUMER_LAG);
  private static final String ARRIVAL_LAG_MAX =
      PrometheusScrape.pipelineMetric(EtlMetrics.ARRIVAL_LAG_MAX_MILLIS);
  private static final String EVENT_TIME_LAG_MAX =
      PrometheusScrape.pipelineMetric(EtlMetrics.EVENT_TIME_LAG_MAX_MILLIS);
  private static final int BURST = 10_000;

  /**
   * Per worker, 300 to 600 events/s in all (the step after the source is keyed by partition, so one
   * or both workers throttle). Its back pressure reaches the source once Flink's network buffers
   * between them are full (a few thousand events), hence bursts well above that.
   */
  private static final double EVENTS_PER_SECOND_PER_WORKER = 300;

  private static final Duration STARTUP = Duration.ofSeconds(120);
  private static final Duration DRAIN = Duration.ofSeconds(240);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path work;

  @Test
  void dashboardListsTheJobAndPrometheusShowsCountersGrowAndConsumerLagRiseThenFallToZero()
      throws Exception {
    String topic = "observed";
    KAFKA.createTopic(topic, 2);
    int webUiPort = ScriptedServer.freePort();
    int prometheusPort = ScriptedServer.freePort();
    String dashboard = "http://127.0.0.1:" + webUiPort + "/";
    String metrics = "http://127.0.0.1:" + prometheusPort + "/metrics";
    List<String> args =
        List.of(
            "--source=KAFKA",
            "--inputKafkaBootstrapServers=" + KAFKA.bootstrapServers(),
            "--inputKafkaTopic=" + topic,
            "--kafkaStartingPosition=EARLIEST",
            "--kafkaConsumerGroup=observability-test",
            "--outputPath=" + work.resolve("trips"),
            "--deadLetterPath=" + work.resolve("dead-letters"),
            "--windowSizeSeconds=5",
            "--flinkWebUiPort=" + webUiPort,
            "--metricsPrometheusPort=" + prometheusPort);

    try (PipelineRun run =
        PipelineRun.start(
            args, source -> new ThrottledSource(source, EVENTS_PER_SECOND_PER_WORKER))) {
      JsonNode job =
          Await.value(
              () -> runningJob(get(dashboard + "jobs/overview")),
              STARTUP,
              "the dashboard's REST API to list a job with all its tasks running");
      assertThat(job.path("name").asText()).startsWith("streamingetlmain");
      assertThat(get(dashboard)).contains("<title>Apache Flink Web Dashboard</title>");
      Await.until(
          () -> PrometheusScrape.of(metrics).has("flink_jobmanager_numRunningJobs"),
          STARTUP,
          "the Prometheus endpoint to serve Flink's metrics");

      List<TestEvents.Event> first = burst(0);
      KafkaTestInput.produce(KAFKA, topic, first);
      double lagAfterFirst =
          Await.value(
              () -> {
                double lag = PrometheusScrape.of(metrics).sum(CONSUMER_LAG);
                return lag >= 1_000 ? Optional.of(lag) : Optional.empty();
              },
              STARTUP,
              "a Kafka consumer lag of at least 1,000 records while the throttled job reads the first burst");
      double readAfterFirst = PrometheusScrape.of(metrics).sum(EVENTS_READ);
      assertThat(readAfterFirst).as("events read while lagging").isLessThan(first.size());

      List<TestEvents.Event> second = burst(1);
      KafkaTestInput.produce(KAFKA, topic, second);
      Await.until(
          () -> PrometheusScrape.of(metrics).sum(CONSUMER_LAG) > lagAfterFirst,
          DRAIN,
          "the consumer lag to grow above " + lagAfterFirst + " after a second burst");
      Await.until(
          () -> PrometheusScrape.of(metrics).sum(EVENTS_READ) > readAfterFirst,
          DRAIN,
          "events_read to grow above " + readAfterFirst);

      int total = first.size() + second.size();
      long bad = first.stream().filter(e -> e.expectedReason() != null).count() * 2;
      PrometheusScrape caughtUp =
          Await.value(
              () -> {
                PrometheusScrape scrape = PrometheusScrape.of(metrics);
                // The source is caught up before the throttled steps after it have drained Flink's
                // buffers.
                return scrape.sum(EVENTS_READ) == total
                        && scrape.sum(CONSUMER_LAG) == 0
                        && scrape.sum(TRIPS_PARSED) + scrape.sum(DEAD_LETTERS) == total - 2
                    ? Optional.of(scrape)
                    : Optional.empty();
              },
              DRAIN,
              "all " + total + " events read and parsed, and the consumer lag back to 0");
      assertThat(caughtUp.sum(KAFKA_EVENTS_READ)).isEqualTo(total);
      assertThat(caughtUp.sum(DEAD_LETTERS)).isEqualTo(bad);
      // Two watermark events are neither trips nor dead letters.
      assertThat(caughtUp.sum(TRIPS_PARSED)).isEqualTo(total - bad - 2);
      Map<String, Double> perPartition =
          caughtUp.sumsByName(
              PrometheusScrape.pipelineMetric(EtlMetrics.KAFKA_CONSUMER_LAG_PREFIX + topic + "."));
      assertThat(perPartition)
          .containsOnlyKeys(
              PrometheusScrape.pipelineMetric(EtlMetrics.kafkaConsumerLagGaugeName(topic, 0)),
              PrometheusScrape.pipelineMetric(EtlMetrics.kafkaConsumerLagGaugeName(topic, 1)));
      assertThat(perPartition.values()).containsOnly(0.0);
      // Records were produced seconds before they were read, and their trips are from 2019.
      assertThat(caughtUp.samples().stream().filter(s -> s.name().equals(ARRIVAL_LAG_MAX)))
          .isNotEmpty()
          .allSatisfy(s -> assertThat(s.value()).isPositive());
      assertThat(caughtUp.samples().stream().filter(s -> s.name().equals(EVENT_TIME_LAG_MAX)))
          .isNotEmpty()
          .allSatisfy(s -> assertThat(s.value()).isGreaterThan(Duration.ofDays(365).toMillis()));
      assertThat(run.state().isTerminal()).as("the job is still running").isFalse();
    }
  }

  /**
   * {@link #BURST} events: valid trips with every kind of bad event and a watermark spread through.
   */
  private static List<TestEvents.Event> burst(int index) {
    List<TestEvents.Event> trips = new ArrayList<>();
    for (int i = 0; i < BURST; i++) {
      long tripId = 1_000_000L * (index + 1) + i;
      String json =
          "{\"trip_id\":"
              + tripId
              + ",\"type\":\"yellow\",\"pickup_datetime\":\"2019-03-01T00:13:12\","
              + "\"dropoff_datetime\":\"2019-03-01T00:21:40\",\"pickup_location_id\":"
              + (1 + i % 265)
              + ",\"dropoff_location_id\":142,\"trip_distance\":1.53,\"total_amount\":10.56}";
      trips.add(new TestEvents.Event(json.getBytes(StandardCharsets.UTF_8), null));
    }
    List<TestEvents.Event> bad = TestEvents.badTextEvents("burst" + index);
    return TestEvents.mix(trips.subList(0, BURST - bad.size()), bad);
  }

  private static Optional<JsonNode> runningJob(String overview) throws IOException {
    for (JsonNode job : JSON.readTree(overview).path("jobs")) {
      JsonNode tasks = job.path("tasks");
      if ("RUNNING".equals(job.path("state").asText())
          && tasks.path("total").asInt() > 0
          && tasks.path("running").asInt() == tasks.path("total").asInt()) {
        return Optional.of(job);
      }
    }
    return Optional.empty();
  }

  private static String get(String url) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("GET " + url + " answered " + response.statusCode());
    }
    return response.body();
  }

  /** The source followed by a step that lets each worker pass at most {@code eventsPerSecond}. */
  static final class ThrottledSource extends PTransform<PBegin, PCollection<RawEvent>> {
    private final PTransform<PBegin, PCollection<RawEvent>> source;
    private final double eventsPerSecond;

    ThrottledSource(PTransform<PBegin, PCollection<RawEvent>> source, double eventsPerSecond) {
      this.source = source;
      this.eventsPerSecond = eventsPerSecond;
    }

    @Override
    public PCollection<RawEvent> expand(PBegin input) {
      return input
          .apply("Source", source)
          .apply("Throttle", ParDo.of(new ThrottleFn(eventsPerSecond)))
          .setCoder(AvroCoder.of(RawEvent.class));
    }
  }

  static final class ThrottleFn extends DoFn<RawEvent, RawEvent> {
    private final double eventsPerSecond;
    private transient RateLimiter limiter;

    ThrottleFn(double eventsPerSecond) {
      this.eventsPerSecond = eventsPerSecond;
    }

    @Setup
    public void setup() {
      limiter = RateLimiter.create(eventsPerSecond);
    }

    @ProcessElement
    public void processElement(@Element RawEvent event, OutputReceiver<RawEvent> out) {
      limiter.acquire();
      out.output(event);
    }
  }
}
