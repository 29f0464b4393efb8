package io.taxietl.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Which source the pipeline reads from. */
public interface SourceOptions extends PipelineOptions {
  @Description(
      "Where events come from: FILE (newline-delimited files, see --inputPath), KAFKA or KINESIS.")
  @Default.Enum("FILE")
  SourceType getSource();

  void setSource(SourceType value);
}
