package io.taxietl.pipeline.validation;

import io.taxietl.options.ElasticsearchOptions;
import io.taxietl.options.LocalRunObservabilityOptions;
import io.taxietl.options.StreamingEtlOptions;
import io.taxietl.pipeline.KeyValueOptions;
import io.taxietl.pipeline.S3ClientSettings;
import io.taxietl.pipeline.StreamingEtlPipeline;
import io.taxietl.transforms.io.elasticsearch.IndexNameTemplate;
import io.taxietl.transforms.io.file.PartitionTemplate;
import io.taxietl.transforms.io.file.StagingFolders;
import io.taxietl.transforms.io.kafka.KafkaStartingPosition;
import io.taxietl.transforms.io.kinesis.KinesisStartingPosition;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
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
  static final int MAX_PORT = 65_535;
  static final int MAX_ELASTICSEARCH_BULK_ACTIONS = 100_000;
  /** Elasticsearch refuses HTTP requests over 100 MB by default ({@code http.max_content_length}). */
  static final int MAX_ELASTICSEARCH_BULK_SIZE_MB = 100;
  static final long MAX_ELASTICSEARCH_FLUSH_INTERVAL_MILLIS = 3_600_000;
  /** The pipeline has one retry stage per retry: this bounds the size of the graph. */
  static final int MAX_ELASTICSEARCH_RETRIES = 20;
  static final int MAX_ELASTICSEARCH_RETRY_DURATION_SECONDS = 86_400;

  /** Kinesis allows 5 GetRecords calls per second and shard, shared by all of a stream's consumers. */
  static final long MIN_GET_RECORDS_INTERVAL_MILLIS = 200;
  static final long MAX_GET_RECORDS_INTERVAL_MILLIS = 60_000;
  private static final String S3_SCHEME = "s3://";
  private static final Pattern KINESIS_STREAM_NAME = Pattern.compile("[a-zA-Z0-9_.-]{1,128}");
  private static final Pattern AWS_REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]+");
  private static final Pattern S3_BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  private OptionsValidator() {}

  /** The problems found, empty when the options are valid. */
  public static List<String> validate(StreamingEtlOptions options) {
    S3ClientSettings.apply(options);
    FileSystems.setDefaultPipelineOptions(options);
    List<String> problems = new ArrayList<>();
    ZoneId zone = validateZone(options, problems);
    switch (options.getSource()) {
      case FILE:
        validateInputPath(options.getInputPath(), problems);
        refuseOtherSourceOptions(options, problems);
        refuseKinesisOptions(options, problems);
        break;
      case KAFKA:
        validateKafkaSource(options, problems);
        refuseKinesisOptions(options, problems);
        break;
      case KINESIS:
        validateKinesisSource(options, problems);
        break;
      default:
        throw new IllegalArgumentException("unknown source " + options.getSource());
    }
    validateS3(options, problems);
    validateKafkaSinks(options, problems);
    boolean parquet = isSet(options.getOutputPath());
    boolean deadLetterFiles = isSet(options.getDeadLetterPath());
    boolean elasticsearch =
        options.getOutputElasticsearchEndpoint() != null && !options.getOutputElasticsearchEndpoint().isEmpty();
    if (!parquet && !isSet(options.getOutputKafkaTopic()) && !elasticsearch) {
      problems.add(
          "valid trips have nowhere to go: set --outputPath, --outputKafkaTopic and/or --outputElasticsearchEndpoint");
    }
    if (!deadLetterFiles && !isSet(options.getDeadLetterKafkaTopic())) {
      problems.add("dead letters have nowhere to go: set --deadLetterPath and/or --deadLetterKafkaTopic");
    }
    ResourceId output = parquet ? validateFolder("outputPath", options.getOutputPath(), problems) : null;
    ResourceId deadLetters =
        deadLetterFiles ? validateFolder("deadLetterPath", options.getDeadLetterPath(), problems) : null;
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

  /**
   * The problems of {@code --flinkWebUiPort} and {@code --metricsPrometheusPort}: each a port or 0, not
   * the same port, and only for an embedded-Flink run whose Flink configuration the launcher writes
   * ({@code embeddedFlink}: FlinkRunner with {@code --flinkMaster=[local]}; {@code userFlinkConfDir}:
   * the {@code --flinkConfDir} the user gave, or null).
   */
  public static List<String> validateLocalRun(
      LocalRunObservabilityOptions options, boolean embeddedFlink, String userFlinkConfDir) {
    List<String> problems = new ArrayList<>();
    List<String> requested = new ArrayList<>();
    for (Object[] port :
        new Object[][] {
          {"flinkWebUiPort", options.getFlinkWebUiPort()},
          {"metricsPrometheusPort", options.getMetricsPrometheusPort()},
        }) {
      int value = (Integer) port[1];
      if (value < 0 || value > MAX_PORT) {
        problems.add("--" + port[0] + "=" + value + " must be 0 (off) or a port between 1 and " + MAX_PORT);
      } else if (value > 0) {
        requested.add("--" + port[0] + "=" + value);
      }
    }
    if (options.getFlinkWebUiPort() > 0 && options.getFlinkWebUiPort() == options.getMetricsPrometheusPort()) {
      problems.add(
          "--metricsPrometheusPort=" + options.getMetricsPrometheusPort() + " and --flinkWebUiPort="
              + options.getFlinkWebUiPort() + " must be different ports");
    }
    if (!requested.isEmpty() && !embeddedFlink) {
      problems.add(
          String.join(" and ", requested) + " apply to an embedded-Flink run only (--runner=FlinkRunner "
              + "--flinkMaster=[local]); a Flink cluster or the managed service has its own dashboard and reporters");
    } else if (!requested.isEmpty() && userFlinkConfDir != null) {
      problems.add(
          String.join(" and ", requested) + " can not be combined with --flinkConfDir=" + userFlinkConfDir
              + ": set rest.port and metrics.reporter.* in that directory's configuration instead");
    }
    return problems;
  }

  private static void refuseOtherSourceOptions(StreamingEtlOptions options, List<String> problems) {
    if (isSet(options.getInputKafkaTopic()) || isSet(options.getInputKafkaBootstrapServers())) {
      problems.add(
          "--inputKafkaTopic/--inputKafkaBootstrapServers are set but --source=" + options.getSource()
              + ": add --source=KAFKA to read from Kafka");
    }
  }

  private static void validateKafkaSource(StreamingEtlOptions options, List<String> problems) {
    if (isSet(options.getInputPath())) {
      problems.add("--inputPath=" + options.getInputPath() + " is set but --source=KAFKA reads no files");
    }
    if (!isSet(options.getInputKafkaBootstrapServers())) {
      problems.add("--inputKafkaBootstrapServers is required with --source=KAFKA");
    }
    String topics = options.getInputKafkaTopic();
    if (!isSet(topics) || KeyValueOptions.splitList(topics).isEmpty()) {
      problems.add("--inputKafkaTopic is required with --source=KAFKA");
    }
    if (!isSet(options.getKafkaConsumerGroup())) {
      problems.add("--kafkaConsumerGroup must not be empty");
    }
    try {
      KafkaStartingPosition.parse(options.getKafkaStartingPosition());
    } catch (IllegalArgumentException e) {
      problems.add("--kafkaStartingPosition=" + options.getKafkaStartingPosition() + " is invalid: " + e.getMessage());
    }
    validateClientProperties(
        "kafkaConsumerProperties",
        options.getKafkaConsumerProperties(),
        List.of("group.id", "isolation.level", "enable.auto.commit", "key.deserializer", "value.deserializer",
            "bootstrap.servers"),
        problems);
  }

  private static void refuseKinesisOptions(StreamingEtlOptions options, List<String> problems) {
    if (isSet(options.getInputKinesisStream())) {
      problems.add(
          "--inputKinesisStream=" + options.getInputKinesisStream() + " is set but --source=" + options.getSource()
              + ": add --source=KINESIS to read from Kinesis");
    }
    if (isSet(options.getKinesisEndpoint())) {
      problems.add("--kinesisEndpoint is set but --source=" + options.getSource() + " reads no Kinesis stream");
    }
  }

  private static void validateKinesisSource(StreamingEtlOptions options, List<String> problems) {
    if (isSet(options.getInputPath())) {
      problems.add("--inputPath=" + options.getInputPath() + " is set but --source=KINESIS reads no files");
    }
    if (isSet(options.getInputKafkaTopic()) || isSet(options.getInputKafkaBootstrapServers())) {
      problems.add(
          "--inputKafkaTopic/--inputKafkaBootstrapServers are set but --source=KINESIS: choose one source");
    }
    String stream = options.getInputKinesisStream();
    if (!isSet(stream)) {
      problems.add("--inputKinesisStream is required with --source=KINESIS");
    } else if (!KINESIS_STREAM_NAME.matcher(stream).matches()) {
      problems.add(
          "--inputKinesisStream=" + stream + " is not a Kinesis stream name: 1 to 128 of a-z A-Z 0-9 _ . -");
    }
    validateRegion("inputStreamRegion", options.getInputStreamRegion(), problems);
    try {
      KinesisStartingPosition.parse(options.getInputStreamInitialPosition());
    } catch (IllegalArgumentException e) {
      problems.add(
          "--inputStreamInitialPosition=" + options.getInputStreamInitialPosition() + " is invalid: " + e.getMessage());
    }
    checkRange(problems, "getRecordsIntervalMillis", options.getGetRecordsIntervalMillis(),
        MIN_GET_RECORDS_INTERVAL_MILLIS, MAX_GET_RECORDS_INTERVAL_MILLIS);
    validateAwsEndpoint("kinesisEndpoint", options.getKinesisEndpoint(), problems);
  }

  private static void validateS3(StreamingEtlOptions options, List<String> problems) {
    validateRegion("s3Region", options.getS3Region(), problems);
    validateAwsEndpoint("s3Endpoint", options.getS3Endpoint(), problems);
    boolean anyS3Path = false;
    for (String[] path :
        new String[][] {
          {"outputPath", options.getOutputPath()},
          {"deadLetterPath", options.getDeadLetterPath()},
          {"inputPath", options.getInputPath()},
        }) {
      if (path[1] == null || !path[1].startsWith(S3_SCHEME)) {
        continue;
      }
      anyS3Path = true;
      String rest = path[1].substring(S3_SCHEME.length());
      String bucket = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
      if (!S3_BUCKET_NAME.matcher(bucket).matches()) {
        problems.add("--" + path[0] + "=" + path[1] + ": '" + bucket + "' is not an S3 bucket name (3 to 63 of "
            + "a-z 0-9 . -, starting and ending with a letter or digit)");
      }
    }
    if (!anyS3Path) {
      if (isSet(options.getS3Endpoint())) {
        problems.add("--s3Endpoint=" + options.getS3Endpoint() + " is set but no path is an s3:// location");
      }
      if (options.getS3PathStyleAccess()) {
        problems.add("--s3PathStyleAccess=true is set but no path is an s3:// location");
      }
    }
  }

  /** An AWS region id such as eu-west-1 or us-gov-west-1, when set. */
  private static void validateRegion(String option, String region, List<String> problems) {
    if (region != null && !AWS_REGION.matcher(region.trim()).matches()) {
      problems.add("--" + option + "=" + region + " is not an AWS region id (e.g. us-east-1, eu-west-1)");
    }
  }

  /** An http(s)://host[:port] endpoint, when set; a URL with credentials is reported without its value. */
  private static void validateAwsEndpoint(String option, String endpoint, List<String> problems) {
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
    if (uri.getRawUserInfo() != null) {
      problems.add("--" + option + ": a URL must not carry credentials (user:password@); credentials come from "
          + "the AWS default credential provider chain");
    } else if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      problems.add("--" + option + "=" + endpoint + " must start with http:// or https://");
    } else if (uri.getHost() == null) {
      problems.add("--" + option + "=" + endpoint + " has no host name");
    } else if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      problems.add("--" + option + "=" + endpoint + " must be scheme://host[:port] without a query");
    }
  }

  private static void validateKafkaSinks(StreamingEtlOptions options, List<String> problems) {
    boolean tripsToKafka = isSet(options.getOutputKafkaTopic());
    boolean deadLettersToKafka = isSet(options.getDeadLetterKafkaTopic());
    if (tripsToKafka && !isSet(options.getOutputKafkaBootstrapServers())) {
      problems.add("--outputKafkaTopic=" + options.getOutputKafkaTopic() + " needs --outputKafkaBootstrapServers");
    }
    if (!tripsToKafka && isSet(options.getOutputKafkaBootstrapServers())) {
      problems.add(
          "--outputKafkaBootstrapServers=" + options.getOutputKafkaBootstrapServers()
              + " is set but --outputKafkaTopic is not");
    }
    if (deadLettersToKafka && !isSet(StreamingEtlPipeline.deadLetterBootstrapServers(options))) {
      problems.add(
          "--deadLetterKafkaTopic=" + options.getDeadLetterKafkaTopic()
              + " needs --deadLetterKafkaBootstrapServers (or --outputKafkaBootstrapServers)");
    }
    if (options.getKafkaExactlyOnce() && !tripsToKafka && !deadLettersToKafka) {
      problems.add(
          "--kafkaExactlyOnce=true but nothing is written to Kafka: set --outputKafkaTopic or --deadLetterKafkaTopic");
    }
    if (options.getKafkaExactlyOnceShards() < 1) {
      problems.add("--kafkaExactlyOnceShards=" + options.getKafkaExactlyOnceShards() + " must be at least 1");
    }
    if (options.getKafkaExactlyOnce() && !isSet(options.getKafkaExactlyOnceSinkGroup())) {
      problems.add("--kafkaExactlyOnceSinkGroup must not be empty with --kafkaExactlyOnce=true");
    }
    validateClientProperties(
        "kafkaProducerProperties",
        options.getKafkaProducerProperties(),
        List.of("key.serializer", "value.serializer", "bootstrap.servers", "transactional.id"),
        problems);
  }

  private static void validateClientProperties(
      String option, List<String> items, List<String> owned, List<String> problems) {
    try {
      for (String key : KeyValueOptions.parse(option, items).keySet()) {
        if (owned.contains(key)) {
          problems.add("--" + option + " sets '" + key + "', which the pipeline sets itself");
        }
      }
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
  }

  private static boolean isSet(String value) {
    return StreamingEtlPipeline.isSet(value);
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
      StagingFolders.siblingOf(path);
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
