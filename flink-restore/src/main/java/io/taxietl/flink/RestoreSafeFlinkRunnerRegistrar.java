package io.taxietl.flink;

import java.util.List;
import org.apache.beam.runners.flink.RestoreSafeFlinkRunner;
import org.apache.beam.sdk.PipelineRunner;
import org.apache.beam.sdk.runners.PipelineRunnerRegistrar;

/** Lets {@code --runner=RestoreSafeFlinkRunner} name {@link RestoreSafeFlinkRunner}. */
public final class RestoreSafeFlinkRunnerRegistrar implements PipelineRunnerRegistrar {
  @Override
  public Iterable<Class<? extends PipelineRunner<?>>> getPipelineRunners() {
    return List.of(RestoreSafeFlinkRunner.class);
  }
}
