package io.taxietl.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The file source: newline-delimited JSON events, the backfill path and the local default. */
public interface FileSourceOptions extends PipelineOptions {
  @Description(
      "File, glob or folder of newline-delimited event files for --source=FILE, e.g. "
          + "'events/*.jsonl.gz' or s3://bucket/events/. A folder is read with all its sub-folders; "
          + "files and folders whose names start with . or _ (_SUCCESS, .crc) are skipped unless named "
          + "on their own. Files ending in .gz are decompressed transparently; blank lines are skipped. "
          + "When omitted, the sample bundled with the jar is read.")
  String getInputPath();

  void setInputPath(String value);

  @Description(
      "With --source=FILE, whether a run from the command line may add to an --outputPath that already "
          + "holds Parquet files or a --deadLetterPath that already holds dead letters. A run over "
          + "files writes every event it reads, so running it again into the same folders would write "
          + "each row twice: without this option such a run stops before reading anything. true adds "
          + "the new files beside the old ones (e.g. for another batch of input files). Streaming "
          + "sources always add (a restarted job continues its output), and so do a restore from "
          + "--savepointPath and the launcher JAR. Default: false.")
  @Default.Boolean(false)
  boolean getAppendToOutput();

  void setAppendToOutput(boolean value);
}
