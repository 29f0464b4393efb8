package io.taxietl.pipeline.validation;

import io.taxietl.options.FileSourceOptions;
import java.io.IOException;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * The rules of {@link FileSourceOptions} for {@code --source=FILE}: an input pattern that matches
 * files. Lists files through Beam's file systems, which must be set up for the options first.
 */
final class FileSourceRules {
  private FileSourceRules() {}

  static void check(FileSourceOptions options, Problems problems) {
    String inputPath = options.getInputPath();
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
}
