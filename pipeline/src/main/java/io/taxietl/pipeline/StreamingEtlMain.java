package io.taxietl.pipeline;

import io.taxietl.options.SourceType;
import io.taxietl.options.StreamingEtlOptions;
import java.io.PrintStream;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Runs the streaming ETL job. With no arguments it runs on embedded Flink over the bundled sample and
 * writes below {@code ./output/}; any option overrides a default ({@code --help} lists them).
 *
 * <p>Exit codes: 0 when the job finished, 1 when it failed, 2 when the options are invalid (nothing
 * was read or written).
 */
public final class StreamingEtlMain {
  static final int EXIT_OK = 0;
  static final int EXIT_FAILED = 1;
  static final int EXIT_BAD_OPTIONS = 2;
  private static final long PROGRESS_PERIOD_SECONDS = 5;

  private final PrintStream out;
  private final PrintStream err;
  private RunSummary lastSummary;

  StreamingEtlMain(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(new StreamingEtlMain(System.out, System.err).run(args));
  }

  /** Runs the job to completion and returns the process exit code. */
  int run(String[] args) {
    PipelineOptionsFactory.register(StreamingEtlOptions.class);
    StreamingEtlOptions options;
    try {
      options =
          PipelineOptionsFactory.fromArgs(LocalRunDefaults.apply(args))
              .withValidation()
              .as(StreamingEtlOptions.class);
    } catch (IllegalArgumentException e) {
      err.println("Invalid options: " + e.getMessage());
      return EXIT_BAD_OPTIONS;
    }
    if (options.getSource() == SourceType.FILE && options.getInputPath() == null) {
      options.setInputPath(BundledSample.extract().toString());
      out.println("No --inputPath given: reading the sample bundled with the jar.");
    }
    List<String> problems = OptionsValidator.validate(options);
    if (!problems.isEmpty()) {
      err.println("Invalid options:");
      problems.forEach(problem -> err.println("  " + problem));
      return EXIT_BAD_OPTIONS;
    }

    Pipeline pipeline = StreamingEtlPipeline.create(options);
    out.printf(
        "Running on %s: %s -> %s (dead letters: %s)%n",
        options.getRunner().getSimpleName(),
        describeSource(options),
        options.getOutputPath(),
        options.getDeadLetterPath());

    long start = System.nanoTime();
    PipelineResult.State state;
    PipelineResult result;
    try (ProgressReporter ignored = ProgressReporter.start(out, PROGRESS_PERIOD_SECONDS)) {
      result = pipeline.run();
      state = result.waitUntilFinish();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    lastSummary = RunSummary.from(result.metrics(), elapsed);
    lastSummary.print(out);
    if (state != PipelineResult.State.DONE) {
      err.println("The job ended in state " + state);
      return EXIT_FAILED;
    }
    return EXIT_OK;
  }

  /** The summary of the last run, for tests. */
  RunSummary lastSummary() {
    return lastSummary;
  }

  private static String describeSource(StreamingEtlOptions options) {
    return switch (options.getSource()) {
      case FILE -> "files " + options.getInputPath();
      case KAFKA, KINESIS -> options.getSource().name();
    };
  }
}
