package io.taxietl.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The REST API of an embedded-Flink run started with {@code --flinkWebUiPort}: the state of its one
 * job and how often it restarted, for the fault tests; every page about the job, for the secret
 * scans.
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

  /**
   * Every page the REST API serves about the run's one job and the cluster it runs on, by path: the
   * job list, the job, its config, plan, exceptions, accumulators and checkpoints; each vertex with
   * its accumulators, metric names and TaskManagers; the JobManager's and each TaskManager's
   * details, config, environment and logs. The job's own pages must answer 200; of the log pages,
   * those the embedded cluster serves (it writes no log files of its own) are kept.
   */
  Map<String, String> everyPage() {
    Map<String, String> pages = new LinkedHashMap<>();
    String job = "/jobs/" + jobId();
    for (String path :
        List.of(
            "/overview",
            "/config",
            "/jobs",
            "/jobs/overview",
            job,
            job + "/config",
            job + "/plan",
            job + "/exceptions",
            job + "/accumulators",
            job + "/checkpoints",
            job + "/checkpoints/config",
            job + "/metrics",
            job + "/jobmanager/config",
            job + "/jobmanager/environment",
            "/jobmanager/config",
            "/jobmanager/environment",
            "/jobmanager/metrics",
            "/jobmanager/logs",
            "/taskmanagers")) {
      pages.put(path, page(path, true).orElseThrow());
    }
    for (JsonNode vertex : read(pages.get(job)).path("vertices")) {
      String path = job + "/vertices/" + vertex.path("id").asText();
      for (String page :
          List.of("", "/accumulators", "/subtasks/accumulators", "/metrics", "/taskmanagers")) {
        pages.put(path + page, page(path + page, true).orElseThrow());
      }
    }
    List<String> logs = new ArrayList<>(List.of("/jobmanager/log", "/jobmanager/stdout"));
    for (JsonNode log : read(pages.get("/jobmanager/logs")).path("logs")) {
      logs.add("/jobmanager/logs/" + log.path("name").asText());
    }
    for (JsonNode taskManager : read(pages.get("/taskmanagers")).path("taskmanagers")) {
      String path = "/taskmanagers/" + taskManager.path("id").asText();
      pages.put(path, page(path, true).orElseThrow());
      pages.put(path + "/metrics", page(path + "/metrics", true).orElseThrow());
      page(path + "/logs", false)
          .ifPresent(
              list -> {
                pages.put(path + "/logs", list);
                for (JsonNode log : read(list).path("logs")) {
                  logs.add(path + "/logs/" + log.path("name").asText());
                }
              });
      logs.add(path + "/log");
      logs.add(path + "/stdout");
    }
    for (String log : logs) {
      page(log, false).ifPresent(body -> pages.put(log, body));
    }
    return pages;
  }

  private Optional<String> page(String path, boolean required) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (response.statusCode() == 200) {
        return Optional.of(response.body());
      }
      if (required) {
        throw new IllegalStateException(
            "the embedded Flink REST API answered " + response.statusCode() + " to " + path);
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new IllegalStateException("the embedded Flink REST API did not answer " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static JsonNode read(String json) {
    try {
      return TripOutput.JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalStateException("the embedded Flink REST API answered no JSON: " + json, e);
    }
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
