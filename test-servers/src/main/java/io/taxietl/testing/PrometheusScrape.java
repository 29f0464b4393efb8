package io.taxietl.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One scrape of a Prometheus text endpoint ({@code /metrics}): every sample with its metric name,
 * labels as text, and value. Tests sum samples over labels (e.g. over the subtasks of a Flink job).
 */
public final class PrometheusScrape {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** One sample line: {@code name{labels} value}. */
  public record Sample(String name, String labels, double value) {}

  private final List<Sample> samples;

  private PrometheusScrape(List<Sample> samples) {
    this.samples = List.copyOf(samples);
  }

  /**
   * The name Flink's Prometheus reporter gives the operator metric {@code etl.<name>} of the
   * pipeline: prefixed by its scope, every character other than a letter, digit or {@code _}
   * replaced by {@code _}.
   */
  public static String pipelineMetric(String name) {
    return "flink_taskmanager_job_task_operator_etl_" + name.replaceAll("[^A-Za-z0-9_]", "_");
  }

  /** Scrapes {@code url} over HTTP; fails on a status other than 200. */
  public static PrometheusScrape of(String url) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("GET " + url + " answered " + response.statusCode());
    }
    return parse(response.body());
  }

  /** Parses the Prometheus text format (comments and blank lines skipped). */
  public static PrometheusScrape parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      String series = line.substring(0, space).trim();
      double value = Double.parseDouble(line.substring(space + 1).trim());
      int brace = series.indexOf('{');
      samples.add(
          brace < 0
              ? new Sample(series, "", value)
              : new Sample(series.substring(0, brace), series.substring(brace), value));
    }
    return new PrometheusScrape(samples);
  }

  public List<Sample> samples() {
    return samples;
  }

  /** Whether any sample has metric name {@code name}. */
  public boolean has(String name) {
    return samples.stream().anyMatch(s -> s.name().equals(name));
  }

  /** The sum of the samples named {@code name} (0 if there are none). */
  public double sum(String name) {
    return samples.stream().filter(s -> s.name().equals(name)).mapToDouble(Sample::value).sum();
  }

  /** The sums of the samples whose names start with {@code prefix}, by name. */
  public Map<String, Double> sumsByName(String prefix) {
    Map<String, Double> sums = new TreeMap<>();
    samples.stream()
        .filter(s -> s.name().startsWith(prefix))
        .forEach(s -> sums.merge(s.name(), s.value(), Double::sum));
    return sums;
  }
}
