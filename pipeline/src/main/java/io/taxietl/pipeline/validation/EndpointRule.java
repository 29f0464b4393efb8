package io.taxietl.pipeline.validation;

import java.net.URI;
import java.net.URISyntaxException;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The rule for an option that names a service endpoint: an {@code http://} or {@code https://} URL
 * with a host, without credentials (a URL that carries them is reported without its value), query
 * or fragment, and without a path unless the service allows one.
 */
final class EndpointRule {
  private final String option;
  private final String whereCredentialsGo;
  private final boolean pathAllowed;

  private EndpointRule(String option, String whereCredentialsGo, boolean pathAllowed) {
    this.option = option;
    this.whereCredentialsGo = whereCredentialsGo;
    this.pathAllowed = pathAllowed;
  }

  /** An AWS service endpoint, such as {@code --kinesisEndpoint} or {@code --s3Endpoint}. */
  static EndpointRule aws(String option) {
    return new EndpointRule(
        option, "credentials come from the AWS default credential provider chain", true);
  }

  /** An Elasticsearch or OpenSearch node. */
  static EndpointRule elasticsearch(String option) {
    return new EndpointRule(
        option, "use --elasticsearchUsername and --elasticsearchPassword", false);
  }

  /** Checks {@code endpoint} when it is set. */
  void check(@Nullable String endpoint, Problems problems) {
    if (endpoint == null) {
      return;
    }
    URI uri;
    try {
      uri = new URI(endpoint.trim());
    } catch (URISyntaxException e) {
      problems.add("--" + option + ": '" + endpoint + "' is not a URL");
      return;
    }
    String path = uri.getRawPath();
    boolean hasPath = path != null && !path.isEmpty() && !path.equals("/");
    if (uri.getRawUserInfo() != null) {
      problems.add(
          "--"
              + option
              + ": a URL must not carry credentials (user:password@); "
              + whereCredentialsGo);
    } else if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      problems.add("--" + option + "=" + endpoint + " must start with http:// or https://");
    } else if (uri.getHost() == null) {
      problems.add("--" + option + "=" + endpoint + " has no host name");
    } else if (pathAllowed && (uri.getRawQuery() != null || uri.getRawFragment() != null)) {
      problems.add(
          "--" + option + "=" + endpoint + " must be scheme://host[:port] without a query");
    } else if (!pathAllowed
        && (hasPath || uri.getRawQuery() != null || uri.getRawFragment() != null)) {
      problems.add(
          "--"
              + option
              + "="
              + endpoint
              + " must be scheme://host[:port] only, without a path or query");
    }
  }
}
