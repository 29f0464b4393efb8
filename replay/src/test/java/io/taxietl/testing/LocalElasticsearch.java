package io.taxietl.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A single-node Elasticsearch 7.17 or OpenSearch 2.19 started on 127.0.0.1 by {@code
 * scripts/elasticsearch.sh}, with the few HTTP calls tests need (java.net.http, no client library).
 * Stopping and starting it again keeps its port and its data.
 */
public final class LocalElasticsearch extends ScriptedServer {
  /** Which server the script runs. */
  public enum Flavor {
    ELASTICSEARCH,
    OPENSEARCH;

    String scriptName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private final Flavor flavor;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public LocalElasticsearch(Flavor flavor) {
    super("elasticsearch.sh");
    this.flavor = flavor;
  }

  @Override
  protected List<String> startArguments() {
    return List.of("--flavor", flavor.scriptName());
  }

  public Flavor flavor() {
    return flavor;
  }

  /** The endpoint URL, e.g. {@code http://127.0.0.1:41234}. */
  public String url() {
    return "http://127.0.0.1:" + port();
  }

  @Override
  public String toString() {
    return flavor.scriptName();
  }

  /** Makes everything indexed so far visible to count and search. */
  public void refresh() {
    request("POST", "/_refresh", null);
  }

  /** The number of documents in {@code index} after a refresh; 0 when the index does not exist. */
  public long count(String index) {
    refresh();
    HttpResponse<String> response = send("GET", "/" + index + "/_count", null);
    if (response.statusCode() == 404) {
      return 0;
    }
    return json(checked(response, "GET /" + index + "/_count")).path("count").asLong();
  }

  /** Documents per index whose name starts with {@code prefix}, after a refresh. */
  public Map<String, Long> countsPerIndex(String prefix) {
    refresh();
    JsonNode indices = json(request("GET", "/_cat/indices/" + prefix + "*?format=json&h=index,docs.count", null));
    Map<String, Long> counts = new TreeMap<>();
    for (JsonNode index : indices) {
      counts.put(index.path("index").asText(), index.path("docs.count").asLong());
    }
    return counts;
  }

  /** The {@code _source} of document {@code id} in {@code index}, or empty when there is none. */
  public Optional<JsonNode> source(String index, String id) {
    HttpResponse<String> response = send("GET", "/" + index + "/_doc/" + id, null);
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    return Optional.of(json(checked(response, "GET /" + index + "/_doc/" + id)).path("_source"));
  }

  /** Creates {@code index} with the given {@code mappings} object, e.g. {@code {"properties":{...}}}. */
  public void createIndex(String index, String mappingsJson) {
    request("PUT", "/" + index, "{\"mappings\":" + mappingsJson + "}");
  }

  /** Deletes every index whose name starts with {@code prefix}. */
  public void deleteIndices(String prefix) {
    for (String index : countsPerIndex(prefix).keySet()) {
      request("DELETE", "/" + index, null);
    }
  }

  /** Sets (or with a null value resets) a transient cluster setting. */
  public void putTransientSetting(String name, String value) {
    String quoted = value == null ? "null" : JSON.valueToTree(value).toString();
    request("PUT", "/_cluster/settings", "{\"transient\":{\"" + name + "\":" + quoted + "}}");
  }

  /** Sends a request and returns the body; fails unless the status is 2xx. */
  public String request(String method, String path, String body) {
    return checked(send(method, path, body), method + " " + path);
  }

  private HttpResponse<String> send(String method, String path, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url() + path))
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + method + " " + path, e);
    }
  }

  private static String checked(HttpResponse<String> response, String what) {
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(what + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
