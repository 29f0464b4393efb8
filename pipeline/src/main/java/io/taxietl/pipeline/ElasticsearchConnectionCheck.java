package io.taxietl.pipeline;

import io.taxietl.options.ElasticsearchOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Before a job is submitted, asks each Elasticsearch endpoint the options name for {@code GET /}
 * with the job's credentials and trust store, and reports what would make every document of the job
 * a dead letter: credentials the server refuses (HTTP 401), or a TLS handshake that fails (a
 * certificate the trust store does not trust). Without it, a wrong password shows only as one
 * {@code ELASTICSEARCH_REJECTED} dead letter per trip while the job runs.
 *
 * <p>An endpoint that does not answer is not a problem here: the sink waits for it and retries (the
 * job may start before its Elasticsearch). Secrets are never part of a message.
 */
public final class ElasticsearchConnectionCheck {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private ElasticsearchConnectionCheck() {}

  /** The problems of the endpoints {@code options} name, each naming the options; empty if none. */
  public static List<String> problems(ElasticsearchOptions options) {
    List<String> problems = new ArrayList<>();
    if (!ElasticsearchSink.enabled(options)) {
      return problems;
    }
    HttpClient client;
    try {
      client = client(options);
    } catch (IOException | GeneralSecurityException e) {
      problems.add(
          "--elasticsearchTrustStorePath="
              + options.getElasticsearchTrustStorePath()
              + ": cannot read it as a trust store with --elasticsearchTrustStorePassword ("
              + e.getClass().getSimpleName()
              + ")");
      return problems;
    }
    for (String endpoint : options.getOutputElasticsearchEndpoint()) {
      String problem = check(client, endpoint.trim(), options);
      if (problem != null) {
        problems.add(problem);
      }
    }
    return problems;
  }

  private static String check(HttpClient client, String endpoint, ElasticsearchOptions options) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(endpoint.replaceAll("/+$", "") + "/"))
            .timeout(TIMEOUT)
            .GET();
    String credentials = "no credentials";
    if (options.getElasticsearchUsername() != null) {
      String basic =
          options.getElasticsearchUsername()
              + ":"
              + EnvironmentSecret.resolve(options.getElasticsearchPassword());
      request.header(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
      credentials =
          "--elasticsearchUsername=" + options.getElasticsearchUsername() + " and its password";
    } else if (options.getElasticsearchApiKey() != null) {
      request.header(
          "Authorization", "ApiKey " + EnvironmentSecret.resolve(options.getElasticsearchApiKey()));
      credentials = "--elasticsearchApiKey";
    }
    try {
      HttpResponse<Void> response =
          client.send(request.build(), HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() == 401) {
        return "--outputElasticsearchEndpoint="
            + endpoint
            + ": the server refused "
            + credentials
            + " (HTTP 401). Check --elasticsearchUsername and --elasticsearchPassword, or"
            + " --elasticsearchApiKey";
      }
      return null;
    } catch (SSLException e) {
      return "--outputElasticsearchEndpoint="
          + endpoint
          + ": the TLS handshake failed ("
          + e.getMessage()
          + "). If the server's certificate is not signed by a CA this JVM trusts, give"
          + " --elasticsearchTrustStorePath and --elasticsearchTrustStorePassword";
    } catch (IOException e) {
      return null; // not answering: the sink waits and retries
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static HttpClient client(ElasticsearchOptions options)
      throws IOException, GeneralSecurityException {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(TIMEOUT);
    String path = options.getElasticsearchTrustStorePath();
    if (path != null) {
      String password = EnvironmentSecret.resolve(options.getElasticsearchTrustStorePassword());
      KeyStore store =
          KeyStore.getInstance(
              Path.of(path).toFile(), password == null ? null : password.toCharArray());
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, trust.getTrustManagers(), null);
      builder.sslContext(tls);
    }
    return builder.build();
  }
}
