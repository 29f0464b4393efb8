package io.taxietl.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taxietl.avro.TripEvent;
import io.taxietl.transforms.enrich.AddZoneNames;
import io.taxietl.transforms.enrich.ZoneLookup;
import io.taxietl.transforms.event.TripEventJson;
import io.taxietl.transforms.io.elasticsearch.IndexNameTemplate;
import io.taxietl.transforms.metrics.EtlMetrics;
import io.taxietl.transforms.parse.ParseOutcome;
import io.taxietl.transforms.parse.TripEventParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.http.HttpHost;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NStringEntity;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.RestClient;

/**
 * The yardstick of the Elasticsearch path: the documents the pipeline indexes for the same input
 * (each valid trip with its zone names from the bundled zone table, as {@link AddZoneNames} adds
 * them, as {@link TripEventJson} writes it, {@code _id} = trip id, the index from the same {@link
 * IndexNameTemplate}), sent in bulk requests of the same size through the same low-level client
 * ElasticsearchIO uses ({@code elasticsearch-rest-client}), from as many threads as the pipeline
 * has workers, with no Beam. The bulk bodies are built before the clock starts, so the rate is what
 * the node takes from this client.
 *
 * <p>Arguments: {@code --url http://127.0.0.1:9200 --input events.jsonl [--index-template
 * bench-{type}] [--bulk-actions 1000] [--threads 2]}. Prints one line: documents, seconds,
 * documents/s.
 */
public final class ElasticsearchBulkLoader {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ElasticsearchBulkLoader() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = Arguments.parse(args);
    IndexNameTemplate indices =
        IndexNameTemplate.parse(a.getOrDefault("index-template", IndexNameTemplate.DEFAULT));
    int bulkActions = Integer.parseInt(a.getOrDefault("bulk-actions", "1000"));
    int threads = Integer.parseInt(a.getOrDefault("threads", "2"));
    List<String> bulks = bulkBodies(Path.of(a.get("input")), indices, bulkActions);
    long documents =
        bulks.stream().mapToLong(b -> b.chars().filter(c -> c == '\n').count() / 2).sum();

    ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>(bulks);
    AtomicLong failedItems = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (RestClient client = RestClient.builder(HttpHost.create(a.get("url"))).build()) {
      long start = System.nanoTime();
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(pool.submit(() -> sendAll(client, queue, failedItems)));
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "plain bulk loader: %,d documents in %.1f s: %,.0f documents/s (%d threads, bulks of %d,"
              + " %d items refused; client CPU %.1f s)%n",
          documents,
          seconds,
          documents / seconds,
          threads,
          bulkActions,
          failedItems.get(),
          ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                  .getProcessCpuTime()
              / 1e9);
    } finally {
      pool.shutdownNow();
    }
    if (failedItems.get() > 0) {
      System.exit(1);
    }
  }

  private static Void sendAll(
      RestClient client, ConcurrentLinkedQueue<String> queue, AtomicLong failedItems)
      throws IOException {
    for (String body = queue.poll(); body != null; body = queue.poll()) {
      Request request = new Request("POST", "/_bulk");
      request.setEntity(new NStringEntity(body, ContentType.create("application/x-ndjson")));
      Response response = client.performRequest(request);
      JsonNode answer = JSON.readTree(EntityUtils.toString(response.getEntity()));
      if (answer.path("errors").asBoolean()) {
        for (JsonNode item : answer.path("items")) {
          if (item.path("index").has("error")) {
            failedItems.incrementAndGet();
          }
        }
      }
    }
    return null;
  }

  /** The input's valid trips as NDJSON bulk bodies of {@code bulkActions} index actions each. */
  static List<String> bulkBodies(Path input, IndexNameTemplate indices, int bulkActions)
      throws IOException {
    TripEventParser parser = new TripEventParser(ZoneOffset.UTC);
    ZoneLookup zones = ZoneLookup.bundled();
    EtlMetrics.EtlCounter zoneMisses = EtlMetrics.counter(EtlMetrics.ZONE_LOOKUP_MISSES);
    List<String> bulks = new ArrayList<>();
    StringBuilder body = new StringBuilder();
    int inBody = 0;
    try (BufferedReader lines = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        ParseOutcome outcome = parser.parse(line.getBytes(StandardCharsets.UTF_8));
        if (!(outcome instanceof ParseOutcome.Trip trip)) {
          continue;
        }
        TripEvent event = AddZoneNames.withZoneNames(trip.event(), zones, zoneMisses);
        String document = TripEventJson.toJson(event);
        String index = indices.indexOf(event);
        body.append("{\"index\":{\"_index\":")
            .append(JSON.writeValueAsString(index))
            .append(",\"_id\":\"")
            .append(event.getTripId())
            .append("\"}}\n")
            .append(document)
            .append('\n');
        if (++inBody == bulkActions) {
          bulks.add(body.toString());
          body.setLength(0);
          inBody = 0;
        }
      }
    }
    if (inBody > 0) {
      bulks.add(body.toString());
    }
    return bulks;
  }
}
