package io.taxietl.pipeline;

import io.taxietl.options.ElasticsearchOptions;
import io.taxietl.options.StreamingEtlOptions;
import io.taxietl.transforms.IndexNameTemplate;
import io.taxietl.transforms.PartitionTemplate;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Checks option values and their combinations before anything is read or written. Every problem is
 * reported, each naming the option and the value that is wrong.
 */
public final class OptionsValidator {
  static final int MAX_WINDOW_SIZE_SECONDS = 24 * 60 * 60;
  static final int MAX_NUM_SHARDS = 1000;
  static final int MAX_ELASTICSEARCH_BULK_ACTIONS = 100_000;
  /** Elasticsearch refuses HTTP requests over 100 MB by default ({@code http.max_content_length}). */
  static final int MAX_ELASTICSEARCH_BULK_SIZE_MB = 100;
  static final long MAX_ELASTICSEARCH_FLUSH_INTERVAL_MILLIS = 3_600_000;
  /** The pipeline has one retry stage per retry: this bounds the size of the graph. */
  static final int MAX_ELASTICSEARCH_RETRIES = 20;
  static final int MAX_ELASTICSEARCH_RETRY_DURATION_SECONDS = 86_400;

  private OptionsValidator() {}

  /** The problems found, empty when the options are valid. */
  public static List<String> validate(StreamingEtlOptions options) {
    FileSystems.setDefaultPipelineOptions(options);
    List<String> problems = new ArrayList<>();
    ZoneId zone = validateZone(options, problems);
    switch (options.getSource()) {
      case FILE -> validateInputPath(options.getInputPath(), problems);
      case KAFKA, KINESIS ->
          problems.add("--source=" + options.getSource() + " is not available in this build yet; use FILE");
    }
    ResourceId output = validateFolder("outputPath", options.getOutputPath(), problems);
    ResourceId deadLetters = validateFolder("deadLetterPath", options.getDeadLetterPath(), problems);
    if (output != null && deadLetters != null && overlap(output, deadLetters)) {
      problems.add(
          "--deadLetterPath=" + options.getDeadLetterPath() + " and --outputPath=" + options.getOutputPath()
              + " must be separate folders, neither inside the other: readers of the trip folder would "
              + "see the dead-letter files");
    }
    if (zone != null) {
      try {
        PartitionTemplate.parse(options.getPartitionTemplate(), zone);
      } catch (IllegalArgumentException e) {
        problems.add("--partitionTemplate=" + options.getPartitionTemplate() + " is invalid: " + e.getMessage());
      }
    }
    int window = options.getWindowSizeSeconds();
    if (window < 1 || window > MAX_WINDOW_SIZE_SECONDS) {
      problems.add(
          "--windowSizeSeconds=" + window + " must be between 1 and " + MAX_WINDOW_SIZE_SECONDS);
    }
    int shards = options.getNumShards();
    if (shards < 1 || shards > MAX_NUM_SHARDS) {
      problems.add("--numShards=" + shards + " must be between 1 and " + MAX_NUM_SHARDS);
    }
    validateElasticsearch(options, problems);
    return problems;
  }

  private static ZoneId validateZone(StreamingEtlOptions options, List<String> problems) {
    String zone = options.getEventTimeZone();
    try {
      return ZoneId.of(zone);
    } catch (DateTimeException | NullPointerException e) {
      problems.add(
          "--eventTimeZone=" + zone + " is not a time zone id (use e.g. UTC or America/New_York)");
      return null;
    }
  }

  private static void validateInputPath(String inputPath, List<String> problems) {
    if (inputPath == null || inputPath.isBlank()) {
      problems.add("--inputPath is required with --source=FILE");
      return;
    }
    try {
      MatchResult match = FileSystems.match(inputPath, EmptyMatchTreatment.ALLOW);
      if (match.status() != MatchResult.Status.OK || match.metadata().isEmpty()) {
        problems.add("--inputPath=" + inputPath + " matches no files");
      }
    } catch (IOException | IllegalArgumentException e) {
      problems.add("--inputPath=" + inputPath + " cannot be listed: " + e.getMessage());
    }
  }

  private static ResourceId validateFolder(String option, String path, List<String> problems) {
    if (path == null || path.isBlank()) {
      problems.add("--" + option + " is required");
      return null;
    }
    try {
      return FileSystems.matchNewResource(path, true);
    } catch (IllegalArgumentException e) {
      problems.add("--" + option + "=" + path + " is not a usable folder: " + e.getMessage());
      return null;
    }
  }

  private static void validateElasticsearch(ElasticsearchOptions options, List<String> problems) {
    List<String> endpoints = options.getOutputElasticsearchEndpoint();
    boolean enabled = endpoints != null && !endpoints.isEmpty();
    if (enabled) {
      endpoints.forEach(endpoint -> validateEndpoint(endpoint, problems));
    } else {
      for (String[] setting :
          new String[][] {
            {"elasticsearchUsername", options.getElasticsearchUsername()},
            {"elasticsearchPassword", options.getElasticsearchPassword()},
            {"elasticsearchApiKey", options.getElasticsearchApiKey()},
            {"elasticsearchTrustStorePath", options.getElasticsearchTrustStorePath()},
          }) {
        if (setting[1] != null) {
          problems.add("--" + setting[0] + " is set but --outputElasticsearchEndpoint is not");
        }
      }
    }
    try {
      IndexNameTemplate.parse(options.getElasticsearchIndex());
    } catch (IllegalArgumentException e) {
      problems.add("--elasticsearchIndex=" + options.getElasticsearchIndex() + " is invalid: " + e.getMessage());
    }
    checkRange(problems, "elasticsearchBulkFlushMaxActions", options.getElasticsearchBulkFlushMaxActions(), 1,
        MAX_ELASTICSEARCH_BULK_ACTIONS);
    checkRange(problems, "elasticsearchBulkFlushMaxSizeMb", options.getElasticsearchBulkFlushMaxSizeMb(), 1,
        MAX_ELASTICSEARCH_BULK_SIZE_MB);
    checkRange(problems, "elasticsearchBulkFlushInterval", options.getElasticsearchBulkFlushInterval(), 0,
        MAX_ELASTICSEARCH_FLUSH_INTERVAL_MILLIS);
    checkRange(problems, "elasticsearchMaxRetries", options.getElasticsearchMaxRetries(), 0,
        MAX_ELASTICSEARCH_RETRIES);
    checkRange(problems, "elasticsearchMaxRetryDurationSeconds",
        options.getElasticsearchMaxRetryDurationSeconds(), 0, MAX_ELASTICSEARCH_RETRY_DURATION_SECONDS);

    boolean user = options.getElasticsearchUsername() != null;
    boolean password = options.getElasticsearchPassword() != null;
    if (user && !password) {
      problems.add("--elasticsearchUsername=" + options.getElasticsearchUsername()
          + " needs --elasticsearchPassword");
    } else if (password && !user) {
      problems.add("--elasticsearchPassword is set but --elasticsearchUsername is not");
    }
    if (user && options.getElasticsearchApiKey() != null) {
      problems.add("--elasticsearchUsername and --elasticsearchApiKey can not be combined: choose one");
    }
    String trustStore = options.getElasticsearchTrustStorePath();
    if (trustStore != null && !Files.isReadable(Path.of(trustStore))) {
      problems.add("--elasticsearchTrustStorePath=" + trustStore + " is not a readable file");
    }
    if (trustStore == null && options.getElasticsearchTrustStorePassword() != null) {
      problems.add("--elasticsearchTrustStorePassword is set but --elasticsearchTrustStorePath is not");
    }
    if (options.getElasticsearchRegion() != null) {
      problems.add("--elasticsearchRegion=" + options.getElasticsearchRegion()
          + " asks for AWS SigV4 request signing, which Beam's ElasticsearchIO cannot do; for Amazon "
          + "OpenSearch Service enable fine-grained access control and use --elasticsearchUsername and "
          + "--elasticsearchPassword");
    }
  }

  /** Checks one endpoint URL. A URL with credentials is reported without its value. */
  private static void validateEndpoint(String endpoint, List<String> problems) {
    URI uri;
    try {
      uri = new URI(endpoint == null ? "" : endpoint.trim());
    } catch (URISyntaxException e) {
      problems.add("--outputElasticsearchEndpoint: '" + endpoint + "' is not a URL");
      return;
    }
    if (uri.getRawUserInfo() != null) {
      problems.add("--outputElasticsearchEndpoint: a URL must not carry credentials (user:password@); use "
          + "--elasticsearchUsername and --elasticsearchPassword");
      return;
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      problems.add("--outputElasticsearchEndpoint=" + endpoint + " must start with http:// or https://");
    } else if (uri.getHost() == null) {
      problems.add("--outputElasticsearchEndpoint=" + endpoint + " has no host name");
    } else if ((uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))
        || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      problems.add("--outputElasticsearchEndpoint=" + endpoint
          + " must be scheme://host[:port] only, without a path or query");
    }
  }

  private static void checkRange(List<String> problems, String option, long value, long min, long max) {
    if (value < min || value > max) {
      problems.add("--" + option + "=" + value + " must be between " + min + " and " + max);
    }
  }

  private static boolean overlap(ResourceId a, ResourceId b) {
    String first = withSlash(a.toString());
    String second = withSlash(b.toString());
    return first.startsWith(second) || second.startsWith(first);
  }

  private static String withSlash(String path) {
    return path.endsWith("/") ? path : path + "/";
  }
}
