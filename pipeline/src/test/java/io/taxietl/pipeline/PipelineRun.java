package io.taxietl.pipeline;

import io.taxietl.avro.RawEvent;
import io.taxietl.options.StreamingEtlOptions;
import io.taxietl.testing.Await;
import java.io.IOException;
import java.time.Duration;
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
  private static final Duration STOP_TIMEOUT = Duration.ofMinutes(2);

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

  /**
   * Cancels the job and waits until it has stopped, so that nothing writes into the test's folders
   * once the test has ended (JUnit deletes its temporary folder right after). Its embedded cluster
   * shuts down with it.
   */
  @Override
  public void close() throws IOException {
    try {
      result.cancel();
    } catch (IllegalStateException e) {
      // The per-job mini cluster has already shut down: the job is over.
      return;
    }
    Await.until(this::stopped, STOP_TIMEOUT, "the cancelled job to stop");
  }

  private boolean stopped() {
    try {
      return result.getState().isTerminal();
    } catch (RuntimeException e) {
      return true; // the per-job mini cluster is gone with the job, which is over
    }
  }
}
