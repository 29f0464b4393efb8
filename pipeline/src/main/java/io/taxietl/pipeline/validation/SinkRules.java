package io.taxietl.pipeline.validation;

import static io.taxietl.pipeline.StreamingEtlPipeline.isSet;

import io.taxietl.options.StreamingEtlOptions;
import io.taxietl.pipeline.ElasticsearchSink;
import io.taxietl.transforms.io.file.StagingFolders;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The rules that combine the sinks: trips and dead letters each go somewhere, and the trip and
 * dead-letter folders are usable folders apart from each other.
 */
final class SinkRules {
  private SinkRules() {}

  static void check(StreamingEtlOptions options, Problems problems) {
    boolean parquet = isSet(options.getOutputPath());
    boolean deadLetterFiles = isSet(options.getDeadLetterPath());
    if (!parquet && !isSet(options.getOutputKafkaTopic()) && !ElasticsearchSink.enabled(options)) {
      problems.add(
          "valid trips have nowhere to go: set --outputPath, --outputKafkaTopic and/or "
              + "--outputElasticsearchEndpoint");
    }
    if (!deadLetterFiles && !isSet(options.getDeadLetterKafkaTopic())) {
      problems.add(
          "dead letters have nowhere to go: set --deadLetterPath and/or --deadLetterKafkaTopic");
    }
    ResourceId output = parquet ? folder("outputPath", options.getOutputPath(), problems) : null;
    ResourceId deadLetters =
        deadLetterFiles ? folder("deadLetterPath", options.getDeadLetterPath(), problems) : null;
    if (output != null && deadLetters != null && overlap(output, deadLetters)) {
      problems.add(
          "--deadLetterPath="
              + options.getDeadLetterPath()
              + " and --outputPath="
              + options.getOutputPath()
              + " must be separate folders, neither inside the other: readers of the trip folder "
              + "would see the dead-letter files");
    }
  }

  /** The folder at {@code path}, or null (and a problem) when it cannot hold published files. */
  private static @Nullable ResourceId folder(String option, String path, Problems problems) {
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
