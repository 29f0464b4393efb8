package org.apache.beam.runners.flink;

import io.taxietl.flink.RestoreSafeSources;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricsEnvironment;
import org.apache.beam.sdk.options.ExperimentalOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsValidator;
import org.apache.beam.sdk.util.construction.SplittableParDo;
import org.apache.beam.sdk.util.construction.graph.ProjectionPushdownOptimizer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Beam's {@link FlinkRunner}, with every translated source made restore-safe ({@link
 * io.taxietl.flink.RestoreSafeSource}) before the job is submitted: a job restored from a savepoint
 * or checkpoint, at the same or another parallelism, reads every record exactly once.
 *
 * <p>It lives in the runner's package because the runner's translation environment is
 * package-private; it calls the same steps as {@link FlinkRunner#run} and adds one between
 * translation and submission. Select it with {@code --runner=RestoreSafeFlinkRunner}; the launchers
 * of this project do.
 */
public class RestoreSafeFlinkRunner extends FlinkRunner {
  private static final Logger LOG = LoggerFactory.getLogger(RestoreSafeFlinkRunner.class);

  protected RestoreSafeFlinkRunner(FlinkPipelineOptions options) {
    super(options);
  }

  /** Creates the runner, as Beam does for {@code --runner=RestoreSafeFlinkRunner}. */
  public static RestoreSafeFlinkRunner fromOptions(PipelineOptions options) {
    return new RestoreSafeFlinkRunner(
        PipelineOptionsValidator.validate(FlinkPipelineOptions.class, options));
  }

  @Override
  public PipelineResult run(Pipeline pipeline) {
    FlinkPipelineOptions options = getPipelineOptions();
    if (!ExperimentalOptions.hasExperiment(options, "beam_fn_api")) {
      SplittableParDo.convertReadBasedSplittableDoFnsToPrimitiveReadsIfNecessary(pipeline);
    }
    if (!ExperimentalOptions.hasExperiment(options, "disable_projection_pushdown")) {
      ProjectionPushdownOptimizer.optimize(pipeline);
    }
    MetricsEnvironment.setMetricsSupported(true);

    FlinkPipelineExecutionEnvironment environment = new FlinkPipelineExecutionEnvironment(options);
    environment.translate(pipeline);
    StreamExecutionEnvironment streaming = environment.getStreamExecutionEnvironment();
    if (streaming != null) {
      int sources = RestoreSafeSources.install(streaming);
      LOG.info("Made {} source(s) restore-safe", sources);
    }
    try {
      return environment.executePipeline();
    } catch (Exception e) {
      throw new RuntimeException("Pipeline execution failed", e);
    }
  }

  @Override
  public String toString() {
    return "RestoreSafeFlinkRunner#" + hashCode();
  }
}
