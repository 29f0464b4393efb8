package io.taxietl.pipeline;

import io.taxietl.avro.RawEvent;
import io.taxietl.options.StreamingEtlOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Runs the real pipeline on embedded Flink, detached, as the main would run it; closing cancels it.
 */
final class PipelineRun implements AutoCloseable {
  private final PipelineResult result;

  private PipelineRun(PipelineResult result) {
    this.result = result;
  }

  /**
   * Parses {@code args} exactly as the main does (with its local defaults), adds {@code
   * --attachedMode=false} so the run can be watched and cancelled, and starts the pipeline.
   */
  static PipelineRun start(
      List<String> args, UnaryOperator<PTransform<PBegin, PCollection<RawEvent>>> wrapSource)
      throws Exception {
    List<String> all = new ArrayList<>(args);
    all.add("--attachedMode=false");
    StreamingEtlOptions options =
        StreamingEtlMain.parseOptions(all.toArray(String[]::new), System.out);
    Pipeline pipeline = Pipeline.create(options);
    StreamingEtlPipeline.build(
        pipeline, options, wrapSource.apply(EventSources.fromOptions(options)));
    return new PipelineRun(pipeline.run());
  }

  PipelineResult.State state() {
    return result.getState();
  }

  /** Cancels the job; its embedded cluster shuts down with it. */
  @Override
  public void close() throws IOException {
    try {
      result.cancel();
    } catch (IllegalStateException e) {
      // The per-job mini cluster has already shut down: the job is over.
    }
  }
}
