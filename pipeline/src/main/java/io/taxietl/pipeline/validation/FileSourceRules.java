package io.taxietl.pipeline.validation;

import io.taxietl.options.FileSourceOptions;
import io.taxietl.transforms.io.file.InputFiles;
import java.io.IOException;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * The rules of {@link FileSourceOptions} for {@code --source=FILE}: an input path that names at
 * least one event file (a file, a glob, or a folder read recursively; see {@link InputFiles}).
 * Lists files through Beam's file systems, which must be set up for the options first.
 */
final class FileSourceRules {
  private static final String HIDDEN =
      "names starting with . or _ are skipped as hidden, e.g. _SUCCESS or .crc files";

  private FileSourceRules() {}

  static void check(FileSourceOptions options, Problems problems) {
    String inputPath = options.getInputPath();
    if (inputPath == null || inputPath.isBlank()) {
      problems.add("--inputPath is required with --source=FILE");
      return;
    }
    try {
      InputFiles files = InputFiles.of(inputPath);
      if (!files.list().isEmpty()) {
        return;
      }
      if (files.isFolder()) {
        problems.add(
            "--inputPath="
                + inputPath
                + " is a folder with no event files below it ("
                + HIDDEN
                + ")");
      } else if (matchesAnything(inputPath)) {
        problems.add("--inputPath=" + inputPath + " matches no event files (" + HIDDEN + ")");
      } else {
        problems.add("--inputPath=" + inputPath + " matches no files");
      }
    } catch (IOException | IllegalArgumentException e) {
      problems.add("--inputPath=" + inputPath + " cannot be listed: " + e.getMessage());
    }
  }

  private static boolean matchesAnything(String path) throws IOException {
    MatchResult match = FileSystems.match(path, EmptyMatchTreatment.ALLOW);
    return match.status() == MatchResult.Status.OK && !match.metadata().isEmpty();
  }
}
