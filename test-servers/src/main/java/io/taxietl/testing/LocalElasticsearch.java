package io.taxietl.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A single-node Elasticsearch 7.17 or OpenSearch 2.19 started on 127.0.0.1 by {@code
 * scripts/elasticsearch.sh}, with the few HTTP calls tests need (java.net.http, no client library).
 * Stopping and starting it again keeps its port and its data. A secure one (Elasticsearch only)
 * serves https with a self-signed certificate and requires basic auth; its trust store and
 * credentials are files the script writes into the data folder.
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

  public static final String TRUST_STORE_PASSWORD = "changeit";

  private final Flavor flavor;
  private final boolean secure;
  private HttpClient http;

  public LocalElasticsearch(Flavor flavor) {
    this(flavor, false);
  }

  /**
   * With {@code secure}, https with a self-signed certificate and basic auth (Elasticsearch only).
   */
  public LocalElasticsearch(Flavor flavor, boolean secure) {
    super("elasticsearch.sh");
    this.flavor = flavor;
    this.secure = secure;
  }

  @Override
  protected List<String> startArguments() {
    return secure
        ? List.of("--flavor", flavor.scriptName(), "--secure")
        : List.of("--flavor", flavor.scriptName());
  }

  /** The PKCS#12 trust store with the server's certificate (secure servers only). */
  public Path trustStore() {
    return dataDir().resolve("truststore.p12");
  }

  /** The user the script created (secure servers only). */
  public String username() {
    return credential("user");
  }

  /** That user's password (secure servers only). */
  public String password() {
    return credential("password");
  }

  private String credential(String name) {
    try {
      Properties credentials = new Properties();
      try (Reader in =
          Files.newBufferedReader(dataDir().resolve("credentials"), StandardCharsets.UTF_8)) {
        credentials.load(in);
      }
      return credentials.getProperty(name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private synchronized HttpClient http() {
    if (http == null) {
      HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
      if (secure) {
        try (InputStream in = Files.newInputStream(trustStore())) {
          KeyStore store = KeyStore.getInstance("PKCS12");
          store.load(in, TRUST_STORE_PASSWORD.toCharArray());
          TrustManagerFactory trust =
              TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
          trust.init(store);
          SSLContext tls = SSLContext.getInstance("TLS");
          tls.init(null, trust.getTrustManagers(), null);
          builder.sslContext(tls);
        } catch (IOException | GeneralSecurityException e) {
          throw new IllegalStateException("cannot read the trust store " + trustStore(), e);
        }
      }
      http = builder.build();
    }
    return http;
  }

  public Flavor flavor() {
    return flavor;
  }

  /** The endpoint URL, e.g. {@code http://127.0.0.1:41234}. */
  public String url() {
    return (secure ? "https" : "http") + "://127.0.0.1:" + port();
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
    JsonNode indices =
        json(request("GET", "/_cat/indices/" + prefix + "*?format=json&h=index,docs.count", null));
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

  /**
   * Creates {@code index} with the given {@code mappings} object, e.g. {@code
   * {"properties":{...}}}.
   */
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
            .header("Content-Type", "application/json");
    if (secure) {
      String basic = username() + ":" + password();
      request.header(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
    }
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    try {
      return http()
          .send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + method + " " + path, e);
    }
  }

  private static String checked(HttpResponse<String> response, String what) {
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(
          what + " answered " + response.statusCode() + ": " + response.body());
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
