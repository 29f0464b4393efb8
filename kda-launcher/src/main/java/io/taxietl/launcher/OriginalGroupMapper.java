package io.taxietl.launcher;

import io.taxietl.options.AwsNames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Maps the property group {@value PropertyGroupMapping#ORIGINAL_GROUP}, the keys of the original
 * AWS streaming-ETL sample, so that its applications keep their properties: the input and output
 * keys map onto the options of the same name, the input key chooses the source, and {@code
 * OutputBucket} + {@code OutputPrefix} become {@code --outputPath=s3://bucket/prefix/}. Keys the
 * pipeline cannot honour are refused with the reason.
 */
final class OriginalGroupMapper {
  private static final String GROUP = PropertyGroupMapping.ORIGINAL_GROUP;

  /** The original sample's keys that name an option of ours directly, with that option. */
  private static final Map<String, String> ORIGINAL_KEYS = new LinkedHashMap<>();

  static {
    ORIGINAL_KEYS.put("InputKinesisStream", "inputKinesisStream");
    ORIGINAL_KEYS.put("InputStreamRegion", "inputStreamRegion");
    // The original read this key with its misspelling; both spellings are accepted.
    ORIGINAL_KEYS.put("InputStreamInitalPosition", "inputStreamInitialPosition");
    ORIGINAL_KEYS.put("InputStreamInitialPosition", "inputStreamInitialPosition");
    ORIGINAL_KEYS.put("InputKafkaBootstrapServers", "inputKafkaBootstrapServers");
    ORIGINAL_KEYS.put("InputKafkaTopic", "inputKafkaTopic");
    ORIGINAL_KEYS.put("OutputElasticsearchEndpoint", "outputElasticsearchEndpoint");
    ORIGINAL_KEYS.put("ElasticsearchRegion", "elasticsearchRegion");
    ORIGINAL_KEYS.put("ElasticsearchBulkFlushMaxActions", "elasticsearchBulkFlushMaxActions");
    ORIGINAL_KEYS.put("ElasticsearchBulkFlushMaxSizeMb", "elasticsearchBulkFlushMaxSizeMb");
    ORIGINAL_KEYS.put("ElasticsearchBulkFlushInterval", "elasticsearchBulkFlushInterval");
    ORIGINAL_KEYS.put("OutputKafkaBootstrapServers", "outputKafkaBootstrapServers");
    ORIGINAL_KEYS.put("OutputKafkaTopic", "outputKafkaTopic");
    ORIGINAL_KEYS.put("OutputKinesisStream", "outputKinesisStream");
    ORIGINAL_KEYS.put("OutputStreamRegion", "outputStreamRegion");
  }

  private static final String OUTPUT_BUCKET = "OutputBucket";
  private static final String OUTPUT_PREFIX = "OutputPrefix";
  private static final String PARQUET_CONVERSION = "ParquetConversion";
  private static final String OUTPUT_DISCARDING = "OutputDiscarding";
  private static final List<String> KINESIS_INPUT_KEYS = List.of("InputKinesisStream");
  private static final List<String> KAFKA_INPUT_KEYS =
      List.of("InputKafkaBootstrapServers", "InputKafkaTopic");

  private final OptionCatalog catalog;

  OriginalGroupMapper(OptionCatalog catalog) {
    this.catalog = catalog;
  }

  void map(Map<String, String> properties, MappedOptions options) {
    chooseSource(properties, options);
    properties.forEach(
        (key, value) -> {
          String origin = GROUP + "." + key;
          String option = ORIGINAL_KEYS.get(key);
          if (option != null) {
            options.put(option, value, origin);
          } else if (key.equals(OUTPUT_BUCKET)) {
            mapOutputBucket(value, properties, options);
          } else if (key.equals(OUTPUT_PREFIX)) {
            if (!properties.containsKey(OUTPUT_BUCKET)) {
              options.problem(origin + " needs " + GROUP + "." + OUTPUT_BUCKET + " too");
            }
          } else if (key.equals(PARQUET_CONVERSION)) {
            if (!value.trim().equalsIgnoreCase("true")) {
              options.problem(
                  origin
                      + "="
                      + value
                      + " is not supported: this pipeline always writes Parquet "
                      + "(set it to true or remove it)");
            }
          } else if (key.equals(OUTPUT_DISCARDING)) {
            options.problem(
                origin
                    + " is not supported: this pipeline always writes its trips (remove the key)");
          } else {
            options.problem(
                origin + " is not a known key of the original sample" + catalog.suggestion(key));
          }
        });
  }

  /** The source is the one whose input key is present; both present is an error. */
  private static void chooseSource(Map<String, String> properties, MappedOptions options) {
    String kinesisKey = firstPresent(properties, KINESIS_INPUT_KEYS);
    String kafkaKey = firstPresent(properties, KAFKA_INPUT_KEYS);
    if (kinesisKey != null && kafkaKey != null) {
      options.problem(
          GROUP
              + "."
              + kinesisKey
              + " and "
              + GROUP
              + "."
              + kafkaKey
              + " name two sources: set either a Kinesis stream or a Kafka topic");
    } else if (kinesisKey != null) {
      options.put("source", "KINESIS", GROUP + "." + kinesisKey);
    } else if (kafkaKey != null) {
      options.put("source", "KAFKA", GROUP + "." + kafkaKey);
    }
  }

  private static void mapOutputBucket(
      String bucket, Map<String, String> properties, MappedOptions options) {
    String path = s3OutputPath(bucket, properties.get(OUTPUT_PREFIX), options);
    if (path != null) {
      String prefixNote =
          properties.containsKey(OUTPUT_PREFIX) ? " + " + GROUP + "." + OUTPUT_PREFIX : "";
      options.put("outputPath", path, GROUP + "." + OUTPUT_BUCKET + prefixNote);
    }
  }

  /**
   * {@code s3://bucket/prefix/} from the original's bucket (a name or an s3:// URI) and optional
   * prefix; null (and a problem) when the bucket is not one.
   */
  private static @Nullable String s3OutputPath(
      String bucket, @Nullable String prefix, MappedOptions options) {
    String origin = GROUP + "." + OUTPUT_BUCKET;
    String location = bucket.trim();
    if (location.isEmpty()) {
      options.problem(origin + " is empty");
      return null;
    }
    if (location.startsWith(AwsNames.S3_SCHEME)) {
      location = location.substring(AwsNames.S3_SCHEME.length());
    } else if (location.contains("://")) {
      options.problem(origin + "=" + bucket + " must be a bucket name or an s3:// location");
      return null;
    }
    if (!AwsNames.isS3BucketName(AwsNames.s3BucketOf(location))) {
      options.problem(origin + "=" + bucket + " does not name an S3 bucket");
      return null;
    }
    StringBuilder path = new StringBuilder(AwsNames.S3_SCHEME).append(stripSlashes(location));
    if (prefix != null && !stripSlashes(prefix.trim()).isEmpty()) {
      path.append('/').append(stripSlashes(prefix.trim()));
    }
    return path.append('/').toString();
  }

  private static @Nullable String firstPresent(Map<String, String> properties, List<String> keys) {
    return keys.stream().filter(properties::containsKey).findFirst().orElse(null);
  }

  private static String stripSlashes(String text) {
    int start = 0;
    int end = text.length();
    while (start < end && text.charAt(start) == '/') {
      start++;
    }
    while (end > start && text.charAt(end - 1) == '/') {
      end--;
    }
    return text.substring(start, end);
  }
}
