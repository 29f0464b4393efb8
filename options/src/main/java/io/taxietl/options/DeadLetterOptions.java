package io.taxietl.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where rejected events go. */
public interface DeadLetterOptions extends PipelineOptions {
  @Description(
      "Folder that receives dead letters as newline-delimited JSON (.jsonl): a local path or "
          + "s3://bucket/prefix. Default: output/dead-letters.")
  @Default.String("output/dead-letters")
  String getDeadLetterPath();

  void setDeadLetterPath(String value);
}
