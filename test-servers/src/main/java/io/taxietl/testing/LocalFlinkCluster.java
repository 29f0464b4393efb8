package io.taxietl.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A real Flink 1.19 session cluster (a JobManager and a TaskManager JVM on 127.0.0.1) started by
 * {@code scripts/flink-cluster.sh}, with helpers for its REST API: upload a JAR, run it, follow the
 * job, stop it with a savepoint. Jobs run exactly as a cluster runs a user's JAR.
 *
 * <p>Longer than most classes here on purpose: it is the one client of the cluster's REST API that
 * every cluster test shares (upload, run, state, checkpoints, savepoints, metrics, failures), so
 * the tests read as the steps an operator takes.
 */
public final class LocalFlinkCluster extends ScriptedServer {
  /** States after which a job does nothing more. */
  public static final Set<String> TERMINAL_STATES =
      Set.of("FINISHED", "FAILED", "CANCELED", "SUSPENDED");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);

  private final int slots;
  private final long checkpointIntervalMillis;
  private final Map<String, String> environment;
  private Duration restartDelay;
  private Duration heartbeatInterval;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private Duration startDuration;

  /**
   * @param slots task slots of the one TaskManager (also the cluster's default parallelism)
   * @param checkpointIntervalMillis the checkpoint interval the cluster configures for every job,
   *     as the managed service does; 0 for none
   */
  public LocalFlinkCluster(int slots, long checkpointIntervalMillis) {
    this(slots, checkpointIntervalMillis, Map.of());
  }

  /**
   * @param environment variables for the cluster's JVMs, e.g. {@code FLINK_JAVA_OPTS} and AWS
   *     credentials for jobs that reach kinesalite and S3Mock (see {@code
   *     scripts/flink-cluster.sh})
   */
  public LocalFlinkCluster(
      int slots, long checkpointIntervalMillis, Map<String, String> environment) {
    super("flink-cluster.sh");
    this.slots = slots;
    this.checkpointIntervalMillis = checkpointIntervalMillis;
    this.environment = Map.copyOf(environment);
  }

  /**
   * Makes the cluster restart a failed job from its last checkpoint without limit, {@code
   * restartDelay} apart, as the managed service does (instead of failing it at once), and heartbeat
   * every {@code heartbeatInterval}, so that a TaskManager that died is noticed after two missed
   * heartbeats. Call before the cluster starts.
   */
  public LocalFlinkCluster restartingFailedJobs(Duration restartDelay, Duration heartbeatInterval) {
    this.restartDelay = restartDelay;
    this.heartbeatInterval = heartbeatInterval;
    return this;
  }

  @Override
  protected Map<String, String> environment() {
    return environment;
  }

  @Override
  protected List<String> startArguments() {
    List<String> args = new ArrayList<>(List.of("--slots", Integer.toString(slots)));
    if (checkpointIntervalMillis > 0) {
      args.addAll(List.of("--checkpoint-interval-ms", Long.toString(checkpointIntervalMillis)));
    }
    if (restartDelay != null) {
      args.addAll(
          List.of(
              "--restart-strategy",
              "fixed-delay",
              "--restart-delay-ms",
              Long.toString(restartDelay.toMillis()),
              "--heartbeat-interval-ms",
              Long.toString(heartbeatInterval.toMillis())));
    }
    return args;
  }

  /** Kills the TaskManager with SIGKILL, as a machine that dies: no shutdown, no goodbye. */
  public void killTaskManager() {
    runScript(List.of("kill-taskmanager", "--dir", dataDir().toString()));
  }

  /** Starts a fresh TaskManager (after {@link #killTaskManager}); returns once it registered. */
  public void startTaskManager() {
    runScript(List.of("start-taskmanager", "--dir", dataDir().toString()));
  }

  /** How often the job has restarted ({@code numRestarts}, a job metric of Flink). */
  public long restarts(String jobId) {
    for (JsonNode metric : get("/jobs/" + jobId + "/metrics?get=numRestarts")) {
      return metric.path("value").asLong();
    }
    return 0;
  }

  /** The id of the checkpoint the job last restored from, or -1 when it never restored one. */
  public long restoredCheckpointId(String jobId) {
    JsonNode restored = get("/jobs/" + jobId + "/checkpoints").path("latest").path("restored");
    return restored.isMissingNode() || restored.isNull() ? -1 : restored.path("id").asLong();
  }

  @Override
  public synchronized void start() {
    long begin = System.nanoTime();
    super.start();
    if (startDuration == null) {
      startDuration = Duration.ofNanos(System.nanoTime() - begin);
    }
  }

  /**
   * Stops the cluster and deletes the uploaded JARs (large); logs, checkpoints and savepoints stay.
   */
  @Override
  public synchronized void stop() {
    super.stop();
    Path uploads = dataDir().resolve("uploads");
    if (Files.isDirectory(uploads)) {
      try (Stream<Path> files = Files.walk(uploads)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(file);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete the uploaded JARs in " + uploads, e);
      }
    }
  }

  /** How long {@code start} took, from running the script to the TaskManager's slots registered. */
  public Duration startDuration() {
    return startDuration;
  }

  public URI restUri() {
    return URI.create("http://127.0.0.1:" + port());
  }

  /** The folder of the JobManager's and TaskManager's logs. */
  public Path logDir() {
    return dataDir().resolve("log");
  }

  /** Uploads {@code jar} ({@code POST /jars/upload}) and returns its id on the cluster. */
  public String uploadJar(Path jar) {
    String boundary = "----taxietl-" + UUID.randomUUID();
    String head =
        "--"
            + boundary
            + "\r\n"
            + "Content-Disposition: form-data; name=\"jarfile\"; filename=\""
            + jar.getFileName()
            + "\"\r\n"
            + "Content-Type: application/x-java-archive\r\n\r\n";
    // Streamed from the file: the launcher JAR is over 170 MB, too much to hold (twice) in the
    // test JVM's heap.
    HttpRequest.BodyPublisher body;
    try {
      body =
          HttpRequest.BodyPublishers.concat(
              HttpRequest.BodyPublishers.ofString(head, StandardCharsets.UTF_8),
              HttpRequest.BodyPublishers.ofFile(jar),
              HttpRequest.BodyPublishers.ofString(
                  "\r\n--" + boundary + "--\r\n", StandardCharsets.UTF_8));
    } catch (FileNotFoundException e) {
      throw new UncheckedIOException(e);
    }
    JsonNode answer =
        send(
            HttpRequest.newBuilder(restUri().resolve("/jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(body));
    if (!"success".equals(answer.path("status").asText())) {
      throw new FlinkRestException(200, answer.toString());
    }
    return Path.of(answer.path("filename").asText()).getFileName().toString();
  }

  /**
   * Runs an uploaded JAR ({@code POST /jars/:id/run}) and returns the job id.
   *
   * @param entryClass the main class, or null for the JAR's manifest
   * @param savepointPath a savepoint to restore from, or null
   * @throws FlinkRestException when the cluster refuses, e.g. because the program's main threw
   */
  public String runJar(
      String jarId, String entryClass, List<String> programArgs, String savepointPath) {
    return runJar(jarId, entryClass, programArgs, savepointPath, 0);
  }

  /**
   * Runs an uploaded JAR at {@code parallelism} (the job's default parallelism, as the managed
   * service sets it; 0 for the cluster's default) and returns the job id.
   */
  public String runJar(
      String jarId,
      String entryClass,
      List<String> programArgs,
      String savepointPath,
      int parallelism) {
    ObjectNode request = JSON.createObjectNode();
    if (parallelism > 0) {
      request.put("parallelism", parallelism);
    }
    if (entryClass != null) {
      request.put("entryClass", entryClass);
    }
    ArrayNode args = request.putArray("programArgsList");
    programArgs.forEach(args::add);
    if (savepointPath != null) {
      request.put("savepointPath", savepointPath);
      request.put("allowNonRestoredState", false);
    }
    return post("/jars/" + jarId + "/run", request).path("jobid").asText();
  }

  /** The job's details ({@code GET /jobs/:id}): name, state, vertices. */
  public JsonNode job(String jobId) {
    return get("/jobs/" + jobId);
  }

  public String jobState(String jobId) {
    return job(jobId).path("state").asText();
  }

  /** The parallelism of each of the job's tasks, by task name. */
  public Map<String, Integer> taskParallelism(String jobId) {
    Map<String, Integer> parallelism = new LinkedHashMap<>();
    job(jobId)
        .path("vertices")
        .forEach(v -> parallelism.put(v.path("name").asText(), v.path("parallelism").asInt()));
    return parallelism;
  }

  /** Ids of every job the cluster knows, running or done. */
  public List<String> jobIds() {
    List<String> ids = new ArrayList<>();
    get("/jobs").path("jobs").forEach(job -> ids.add(job.path("id").asText()));
    return ids;
  }

  /**
   * Cancels every job that has not ended, and waits until each has; so that a test which failed
   * with its job still running leaves the slots free for the next.
   */
  public void cancelUnfinishedJobs(Duration timeout) {
    for (JsonNode job : get("/jobs").path("jobs")) {
      if (!TERMINAL_STATES.contains(job.path("status").asText())) {
        cancel(job.path("id").asText(), timeout);
      }
    }
  }

  /** Waits until the job reaches a terminal state and returns that state. */
  public String awaitTerminalState(String jobId, Duration timeout) {
    return Await.value(
        () -> Optional.of(jobState(jobId)).filter(TERMINAL_STATES::contains),
        timeout,
        "job " + jobId + " to end");
  }

  /** Waits until the job is RUNNING with every task running. */
  public void awaitAllTasksRunning(String jobId, Duration timeout) {
    Await.until(
        () -> {
          JsonNode job = job(jobId);
          if (!job.path("state").asText().equals("RUNNING")) {
            return false;
          }
          for (JsonNode vertex : job.path("vertices")) {
            if (!vertex.path("status").asText().equals("RUNNING")) {
              return false;
            }
          }
          return true;
        },
        timeout,
        "every task of job " + jobId + " to run");
  }

  /** Cancels the job ({@code PATCH /jobs/:id?mode=cancel}) and waits until it is CANCELED. */
  public void cancel(String jobId, Duration timeout) {
    send(
        HttpRequest.newBuilder(restUri().resolve("/jobs/" + jobId + "?mode=cancel"))
            .method("PATCH", HttpRequest.BodyPublishers.noBody()));
    String state = awaitTerminalState(jobId, timeout);
    if (!state.equals("CANCELED")) {
      throw new IllegalStateException(
          "job " + jobId + " ended " + state + " instead of CANCELED: " + failure(jobId));
    }
  }

  /** How many checkpoints of the job have completed ({@code GET /jobs/:id/checkpoints}). */
  public long completedCheckpoints(String jobId) {
    return get("/jobs/" + jobId + "/checkpoints").path("counts").path("completed").asLong();
  }

  /**
   * Waits until {@code more} checkpoints of the job have completed after the ones completed now.
   */
  public void awaitMoreCompletedCheckpoints(String jobId, int more, Duration timeout) {
    long target = completedCheckpoints(jobId) + more;
    Await.until(
        () -> completedCheckpoints(jobId) >= target,
        timeout,
        more + " more completed checkpoints of job " + jobId);
  }

  /**
   * The sum over all operators and subtasks of the job's metrics whose name ends with {@code
   * suffix}, e.g. a Beam counter {@code "kafka_records_read_twice"} ({@code GET
   * /jobs/:id/vertices/:vid/subtasks/metrics}); 0 while no such metric is reported yet.
   */
  public long metricSum(String jobId, String suffix) {
    long sum = 0;
    for (JsonNode vertex : get("/jobs/" + jobId).path("vertices")) {
      String base =
          "/jobs/" + jobId + "/vertices/" + vertex.path("id").asText() + "/subtasks/metrics";
      for (JsonNode metric : get(base)) {
        String id = metric.path("id").asText();
        if (id.endsWith(suffix)) {
          String query = base + "?agg=sum&get=" + URLEncoder.encode(id, StandardCharsets.UTF_8);
          for (JsonNode value : get(query)) {
            sum += (long) value.path("sum").asDouble();
          }
        }
      }
    }
    return sum;
  }

  /**
   * The job's failure as the cluster reports it ({@code GET /jobs/:id/exceptions}), for messages.
   */
  public String failure(String jobId) {
    JsonNode exceptions = get("/jobs/" + jobId + "/exceptions");
    JsonNode history = exceptions.path("exceptionHistory").path("entries");
    if (history.isArray() && history.size() > 0) {
      return history.get(0).path("stacktrace").asText();
    }
    return exceptions.path("root-exception").asText(exceptions.toString());
  }

  /** The checkpoint configuration the job runs with ({@code GET /jobs/:id/checkpoints/config}). */
  public JsonNode checkpointConfig(String jobId) {
    return get("/jobs/" + jobId + "/checkpoints/config");
  }

  /**
   * Stops the job with a savepoint into {@code targetDirectory} ({@code POST /jobs/:id/stop}, then
   * polls the trigger) and returns the savepoint's location; the job ends FINISHED.
   */
  public String stopWithSavepoint(String jobId, Path targetDirectory, Duration timeout) {
    ObjectNode request = JSON.createObjectNode();
    request.put("targetDirectory", targetDirectory.toUri().toString());
    request.put("drain", false);
    String trigger = post("/jobs/" + jobId + "/stop", request).path("request-id").asText();
    JsonNode operation =
        Await.value(
            () -> {
              JsonNode status = get("/jobs/" + jobId + "/savepoints/" + trigger);
              return status.path("status").path("id").asText().equals("COMPLETED")
                  ? Optional.of(status.path("operation"))
                  : Optional.empty();
            },
            timeout,
            "the savepoint of job " + jobId);
    if (operation.has("failure-cause")) {
      throw new IllegalStateException(
          "stop-with-savepoint of job " + jobId + " failed: " + operation.path("failure-cause"));
    }
    return operation.path("location").asText();
  }

  public JsonNode get(String path) {
    return send(HttpRequest.newBuilder(restUri().resolve(path)).GET());
  }

  public JsonNode post(String path, JsonNode body) {
    try {
      return send(
          HttpRequest.newBuilder(restUri().resolve(path))
              .header("Content-Type", "application/json")
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      JSON.writeValueAsString(body), StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private JsonNode send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          http.send(
              request.timeout(REQUEST_TIMEOUT).build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (response.statusCode() / 100 != 2) {
        throw new FlinkRestException(response.statusCode(), response.body());
      }
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while calling the Flink REST API", e);
    }
  }

  /** The REST API answered with an error status; the body holds Flink's {@code errors}. */
  public static final class FlinkRestException extends RuntimeException {
    private final int status;
    private final String body;

    FlinkRestException(int status, String body) {
      super("Flink REST API answered " + status + ": " + body);
      this.status = status;
      this.body = body;
    }

    public int status() {
      return status;
    }

    public String body() {
      return body;
    }
  }
}
