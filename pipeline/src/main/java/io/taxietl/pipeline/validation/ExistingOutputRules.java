package io.taxietl.pipeline.validation;

import static io.taxietl.pipeline.StreamingEtlPipeline.isSet;

import io.taxietl.options.SourceType;
import io.taxietl.options.StreamingEtlOptions;
import java.io.IOException;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * A run over files ({@code --source=FILE}) writes every event it reads, so a second run over the
 * same files into the same folders would write each row twice. Such a run stops before reading
 * anything when {@code --outputPath} already holds Parquet files or {@code --deadLetterPath} holds
 * dead letters, unless {@code --appendToOutput=true}. Streaming sources continue their output
 * across restarts, and a restore from a savepoint continues the run that wrote it: neither is
 * checked.
 */
final class ExistingOutputRules {
  private ExistingOutputRules() {}

  static void check(StreamingEtlOptions options, boolean restoring, Problems problems) {
    if (options.getSource() != SourceType.FILE || options.getAppendToOutput() || restoring) {
      return;
    }
    refuseExisting("outputPath", options.getOutputPath(), ".parquet", "Parquet files", problems);
    refuseExisting(
        "deadLetterPath", options.getDeadLetterPath(), ".jsonl", "dead-letter files", problems);
  }

  private static void refuseExisting(
      String option, String folder, String suffix, String what, Problems problems) {
    if (!isSet(folder)) {
      return;
    }
    long existing;
    try {
      existing = countFiles(folder, suffix);
    } catch (IOException | IllegalArgumentException e) {
      problems.add("--" + option + "=" + folder + " cannot be listed: " + e.getMessage());
      return;
    }
    if (existing > 0) {
      problems.add(
          String.format(
              "--%s=%s already holds %,d %s from an earlier run: a run over files writes every event "
                  + "again, so it would add each of them a second time. Delete the folder or choose "
                  + "another --%s to start afresh, or add --appendToOutput=true to add to it",
              option, folder, existing, what, option));
    }
  }

  private static long countFiles(String folder, String suffix) throws IOException {
    String pattern = (folder.endsWith("/") ? folder : folder + "/") + "**";
    MatchResult match = FileSystems.match(pattern, EmptyMatchTreatment.ALLOW);
    if (match.status() != MatchResult.Status.OK) {
      return 0;
    }
    return match.metadata().stream()
        .filter(file -> !file.resourceId().isDirectory())
        .filter(file -> String.valueOf(file.resourceId().getFilename()).endsWith(suffix))
        .count();
  }
}
