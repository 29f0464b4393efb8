package io.taxietl.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The REST API of an embedded-Flink run started with {@code --flinkWebUiPort}: the state of its one
 * job and how often it restarted, for the fault tests.
 */
final class EmbeddedFlinkRest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final URI base;

  EmbeddedFlinkRest(int port) {
    this.base = URI.create("http://127.0.0.1:" + port);
  }

  /** The run's one job: its id, or empty text while there is none yet. */
  String jobId() {
    JsonNode jobs = get("/jobs").path("jobs");
    return jobs.size() == 0 ? "" : jobs.get(0).path("id").asText();
  }

  /** The job's state, e.g. RUNNING or RESTARTING. */
  String state() {
    return get("/jobs/" + jobId()).path("state").asText();
  }

  /** How often the job restarted ({@code numRestarts}). */
  long restarts() {
    for (JsonNode metric : get("/jobs/" + jobId() + "/metrics?get=numRestarts")) {
      return metric.path("value").asLong();
    }
    return 0;
  }

  private JsonNode get(String path) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return TripOutput.JSON.readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException("the embedded Flink REST API did not answer " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
