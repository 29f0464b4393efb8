package io.taxietl.pipeline.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) or SIGTERM during a run on embedded Flink drains the job instead of killing it:
 * the sources stop, every open window closes and is published, the last checkpoint commits (Kafka
 * offsets included), and the job ends as if its input had ended. This goes through the embedded
 * cluster's REST API on loopback ({@code POST /jobs/ID/stop} with {@code drain}; a savepoint is
 * written to a folder of the run's, as Flink requires). A second signal stops at once: the JVM
 * exits and {@link StopReport} says what was published by then. Without a REST port, or where the
 * signals cannot be handled, signals keep the JVM's own behaviour.
 */
public final class SignalDrain implements AutoCloseable {
  private static final String[] SIGNALS = {"INT", "TERM"};
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI rest;
  private final Path savepoints;
  private final PrintStream out;
  private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
  private volatile Signal received;

  private SignalDrain(int restPort, Path savepoints, PrintStream out) {
    this.rest = URI.create("http://" + LocalRunObservability.LOOPBACK + ":" + restPort + "/");
    this.savepoints = savepoints;
    this.out = out;
  }

  /**
   * Handles SIGINT and SIGTERM until closed, draining the job behind the REST endpoint at {@code
   * restPort} and writing its final savepoint below {@code savepoints}.
   */
  public static SignalDrain install(int restPort, Path savepoints, PrintStream out) {
    SignalDrain drain = new SignalDrain(restPort, savepoints, out);
    for (String name : SIGNALS) {
      try {
        Signal signal = new Signal(name);
        drain.previous.put(signal, Signal.handle(signal, drain::handle));
      } catch (IllegalArgumentException e) {
        // Ignored by the parent (a background job of a shell) or taken by the JVM: left as it is.
      }
    }
    return drain;
  }

  /** 128 + the signal's number if a signal stopped the run, as a shell reports it. */
  public OptionalInt exitCode() {
    Signal signal = received;
    return signal == null ? OptionalInt.empty() : OptionalInt.of(128 + signal.getNumber());
  }

  /** The name of the signal that stopped the run, e.g. {@code SIGTERM}. */
  public String signalName() {
    Signal signal = received;
    return signal == null ? "" : "SIG" + signal.getName();
  }

  private void handle(Signal signal) {
    if (received != null) {
      out.println("SIG" + signal.getName() + " again: stopping at once.");
      stopAtOnce(signal);
      return;
    }
    received = signal;
    out.println(
        "SIG"
            + signal.getName()
            + ": draining the job (every open window is published, then it ends);"
            + " Ctrl-C again stops at once.");
    Thread drain = new Thread(() -> drain(signal), "signal-drain");
    drain.setDaemon(true);
    drain.start();
  }

  private void drain(Signal signal) {
    try {
      HttpClient client = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();
      JsonNode jobs = JSON.readTree(send(client, HttpRequest.newBuilder(rest.resolve("jobs"))));
      String body =
          JSON.writeValueAsString(
              Map.of("drain", true, "targetDirectory", savepoints.toUri().toString()));
      int drained = 0;
      for (JsonNode job : jobs.path("jobs")) {
        if ("RUNNING".equals(job.path("status").asText())) {
          send(
              client,
              HttpRequest.newBuilder(rest.resolve("jobs/" + job.path("id").asText() + "/stop"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
          drained++;
        }
      }
      if (drained == 0) {
        out.println("No running job to drain: stopping at once.");
        stopAtOnce(signal);
      }
    } catch (IOException | RuntimeException e) {
      out.println("Cannot drain the job (" + e.getMessage() + "): stopping at once.");
      stopAtOnce(signal);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopAtOnce(signal);
    }
  }

  private String send(HttpClient client, HttpRequest.Builder request)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        client.send(
            request.timeout(REQUEST_TIMEOUT).build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (response.statusCode() / 100 != 2) {
      throw new IOException("HTTP " + response.statusCode() + " from the embedded Flink cluster");
    }
    return response.body();
  }

  /** Gives the signals back to the JVM and raises {@code signal} again: the JVM exits. */
  private void stopAtOnce(Signal signal) {
    close();
    Signal.raise(signal);
  }

  /** Gives the signals back to the JVM's own handlers. */
  @Override
  public void close() {
    previous.forEach(
        (signal, handler) -> {
          try {
            Signal.handle(signal, handler);
          } catch (IllegalArgumentException e) {
            // Cannot happen for a signal handled before; nothing to restore.
          }
        });
  }
}
