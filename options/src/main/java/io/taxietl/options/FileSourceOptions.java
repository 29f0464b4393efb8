package io.taxietl.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The file source: newline-delimited JSON events, the backfill path and the local default. */
public interface FileSourceOptions extends PipelineOptions {
  @Description(
      "File or glob of newline-delimited event files for --source=FILE, e.g. 'events/*.jsonl.gz'. Files "
          + "ending in .gz are decompressed transparently; blank lines are skipped. When omitted, the "
          + "sample bundled with the jar is read.")
  String getInputPath();

  void setInputPath(String value);
}
