package io.taxietl.pipeline;

import io.taxietl.options.StreamingEtlOptions;
import io.taxietl.transforms.KafkaStartingPosition;
import io.taxietl.transforms.PartitionTemplate;
import io.taxietl.transforms.StagingFolders;
import java.io.IOException;
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

  private OptionsValidator() {}

  /** The problems found, empty when the options are valid. */
  public static List<String> validate(StreamingEtlOptions options) {
    FileSystems.setDefaultPipelineOptions(options);
    List<String> problems = new ArrayList<>();
    ZoneId zone = validateZone(options, problems);
    switch (options.getSource()) {
      case FILE -> {
        validateInputPath(options.getInputPath(), problems);
        refuseOtherSourceOptions(options, problems);
      }
      case KAFKA -> validateKafkaSource(options, problems);
      case KINESIS ->
          problems.add("--source=" + options.getSource() + " is not available in this build yet; use FILE or KAFKA");
    }
    validateKafkaSinks(options, problems);
    boolean parquet = isSet(options.getOutputPath());
    boolean deadLetterFiles = isSet(options.getDeadLetterPath());
    if (!parquet && !isSet(options.getOutputKafkaTopic())) {
      problems.add("valid trips have nowhere to go: set --outputPath and/or --outputKafkaTopic");
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

  private static boolean overlap(ResourceId a, ResourceId b) {
    String first = withSlash(a.toString());
    String second = withSlash(b.toString());
    return first.startsWith(second) || second.startsWith(first);
  }

  private static String withSlash(String path) {
    return path.endsWith("/") ? path : path + "/";
  }
}
