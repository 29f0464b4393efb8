package io.taxietl.launcher;

import io.taxietl.options.StreamingEtlOptions;
import org.apache.beam.runners.flink.FlinkPipelineOptions;

/** The pipeline's options together with Beam's Flink runner options: what the launcher parses. */
public interface LauncherOptions extends StreamingEtlOptions, FlinkPipelineOptions {}
