package io.taxietl.pipeline;

import io.taxietl.testing.Await;
import io.taxietl.testing.PrometheusScrape;
import io.taxietl.transforms.metrics.EtlMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Looks for known secrets in everything a secured run shows: texts (its console, every page of
 * Flink's REST API about the running job, the Prometheus scrape, display data) and files (the
 * servers' logs). A hit fails naming the secret, where it was found and the text around it with
 * every secret masked: the failure message, which the test reports keep, never carries a secret (an
 * AssertJ {@code doesNotContain} would print it).
 */
final class SecretScan {
  private static final int CONTEXT = 60;
  private static final String EVENTS_READ = PrometheusScrape.pipelineMetric(EtlMetrics.EVENTS_READ);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Map<String, String> secrets = new LinkedHashMap<>();
  private final Map<String, String> texts = new LinkedHashMap<>();

  /** A secret to look for, by a name the failure can show. */
  SecretScan secret(String name, String value) {
    if (value == null || value.length() < 8) {
      throw new IllegalArgumentException(
          "the "
              + name
              + " is too short to look for ("
              + (value == null ? 0 : value.length())
              + ")");
    }
    secrets.put(name, value);
    return this;
  }

  /**
   * Fails unless a server's {@code password} is the value of the environment variable {@code
   * variable}, when that is set: {@code .ci/run} sets the secured servers' passwords through such
   * variables to search the whole suite's output for them afterwards, a search that would prove
   * nothing if a server made its own. The message shows neither value.
   */
  static void assertTakenFromTheEnvironment(String variable, String password) {
    String given = System.getenv(variable);
    if (given != null && !given.equals(password)) {
      throw new AssertionError(
          "the server's password is not the value of " + variable + ", which is set");
    }
  }

  /** A text to scan, by where it comes from. */
  SecretScan text(String source, String text) {
    texts.merge(source, text, (a, b) -> a + "\n" + b);
    return this;
  }

  /**
   * Every regular file below {@code dir} that {@code which} accepts, read byte for byte (the
   * secrets are ASCII; ISO-8859-1 keeps every byte as one character, so binary files scan too).
   */
  SecretScan files(Path dir, Predicate<Path> which) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(Files::isRegularFile).filter(which).sorted().toList()) {
        text(file.toString(), new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the files below " + dir, e);
    }
    return this;
  }

  /**
   * What a running embedded-Flink job shows: the Prometheus scrape at {@code prometheusPort}, once
   * it counts {@code eventsRead} events read (so the scrape is the job's, not an empty one), and
   * every page of the REST API at {@code webUiPort} about the job, which must be running.
   */
  SecretScan runningJob(int webUiPort, int prometheusPort, int eventsRead, Duration deadline) {
    String url = "http://127.0.0.1:" + prometheusPort + "/metrics";
    text(
        "the Prometheus scrape",
        Await.value(
            () -> {
              String body = get(url);
              return PrometheusScrape.parse(body).sum(EVENTS_READ) == eventsRead
                  ? Optional.of(body)
                  : Optional.empty();
            },
            deadline,
            "the Prometheus scrape to count all " + eventsRead + " events read"));
    EmbeddedFlinkRest rest = new EmbeddedFlinkRest(webUiPort);
    if (!rest.state().equals("RUNNING")) {
      throw new AssertionError("the job is " + rest.state() + ", not RUNNING");
    }
    rest.everyPage().forEach((path, body) -> text("Flink REST " + path, body));
    return this;
  }

  private static String get(String url) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (response.statusCode() != 200) {
      throw new IOException("GET " + url + " answered " + response.statusCode());
    }
    return response.body();
  }

  /** How many sources (texts and files) there are to scan. */
  int sources() {
    return texts.size();
  }

  /** How many characters there are to scan. */
  long characters() {
    return texts.values().stream().mapToLong(String::length).sum();
  }

  /** Fails if any secret appears in any source, masking every secret in the message. */
  void assertNoSecret() {
    if (secrets.isEmpty() || texts.isEmpty()) {
      throw new AssertionError("nothing to scan: " + secrets.size() + " secrets, " + sources());
    }
    List<String> hits = new ArrayList<>();
    texts.forEach(
        (source, text) ->
            secrets.forEach(
                (name, value) -> {
                  int at = text.indexOf(value);
                  if (at >= 0) {
                    String around =
                        text.substring(
                            Math.max(0, at - CONTEXT),
                            Math.min(text.length(), at + value.length() + CONTEXT));
                    hits.add(
                        "the "
                            + name
                            + " appears in "
                            + source
                            + " at character "
                            + at
                            + ": ..."
                            + mask(around)
                            + "...");
                  }
                }));
    if (!hits.isEmpty()) {
      throw new AssertionError(String.join("\n", hits));
    }
  }

  private String mask(String text) {
    String masked = text;
    for (Map.Entry<String, String> secret : secrets.entrySet()) {
      masked = masked.replace(secret.getValue(), "<" + secret.getKey() + ">");
    }
    // A secret cut by the edge of the context would show in part.
    for (String value : secrets.values()) {
      for (int length = value.length() - 1; length >= 4; length--) {
        if (masked.startsWith(value.substring(value.length() - length))) {
          masked = "<...>" + masked.substring(length);
          break;
        }
      }
      for (int length = value.length() - 1; length >= 4; length--) {
        if (masked.endsWith(value.substring(0, length))) {
          masked = masked.substring(0, masked.length() - length) + "<...>";
          break;
        }
      }
    }
    return masked;
  }
}
