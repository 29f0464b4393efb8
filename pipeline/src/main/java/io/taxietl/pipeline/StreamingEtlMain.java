package io.taxietl.pipeline;

import io.taxietl.options.OptionValues;
import io.taxietl.options.SourceType;
import io.taxietl.options.StreamingEtlOptions;
import io.taxietl.pipeline.local.BundledSample;
import io.taxietl.pipeline.local.EmptyFolders;
import io.taxietl.pipeline.local.LocalRunDefaults;
import io.taxietl.pipeline.local.LocalRunObservability;
import io.taxietl.pipeline.local.OptionsHelp;
import io.taxietl.pipeline.local.ProgressReporter;
import io.taxietl.pipeline.local.RunSummary;
import io.taxietl.pipeline.local.SignalDrain;
import io.taxietl.pipeline.local.StopReport;
import io.taxietl.pipeline.validation.OptionsValidator;
import io.taxietl.transforms.io.file.StagingFolders;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Runs the streaming ETL job. With no arguments it runs on embedded Flink over the bundled sample
 * and writes below {@code ./output/}; any option overrides a default ({@code --help} lists them,
 * see {@link OptionsHelp}). A run over files refuses output folders that already hold files unless
 * {@code --appendToOutput=true}, so that running it twice does not write every row twice.
 *
 * <p>Exit codes: 0 when the job finished, 1 when it failed or a Kafka cluster it needs did not
 * answer ({@link KafkaConnectionCheck}) or an Elasticsearch endpoint refused its credentials or
 * certificate ({@link ElasticsearchConnectionCheck}), 2 when the options are invalid (nothing was
 * read or written in either case), 128 + the signal's number (130, 143) when Ctrl-C or SIGTERM
 * stopped the run: on embedded Flink the first signal drains the job ({@link SignalDrain}), a
 * second stops at once and {@link StopReport} says what was published.
 *
 * <p>A launcher for another runner runs the same main with its own runner options in front of the
 * user's and, where the runner needs it, a change to the pipeline before it runs (see {@link
 * #StreamingEtlMain(PrintStream, PrintStream, Consumer)}).
 */
public final class StreamingEtlMain {
  static final int EXIT_OK = 0;
  static final int EXIT_FAILED = 1;
  static final int EXIT_BAD_OPTIONS = 2;
  private static final long PROGRESS_PERIOD_SECONDS = 5;
  private static final String CBOR_PROPERTY = "aws.cborEnabled";

  private final PrintStream out;
  private final PrintStream err;
  private final Consumer<Pipeline> adaptToRunner;
  private RunSummary lastSummary;

  StreamingEtlMain(PrintStream out, PrintStream err) {
    this(out, err, pipeline -> {});
  }

  /**
   * A main that hands the assembled pipeline to {@code adaptToRunner} before running it: a
   * launcher's transform overrides for a runner that cannot run a step as it is.
   */
  public StreamingEtlMain(PrintStream out, PrintStream err, Consumer<Pipeline> adaptToRunner) {
    this.out = out;
    this.err = err;
    this.adaptToRunner = adaptToRunner;
  }

  public static void main(String[] args) {
    System.exit(new StreamingEtlMain(System.out, System.err).run(args));
  }

  /** Runs the job to completion and returns the process exit code. */
  public int run(String[] args) {
    if (OptionsHelp.requested(args)) {
      if (OptionsHelp.print(args, out)) {
        return EXIT_OK;
      }
      err.println(
          "Invalid options:\n  --help="
              + LocalRunDefaults.settings(args).get("help")
              + " names no options group: use --help, --help=GROUP (e.g. --help=KafkaSourceOptions)"
              + " or --help=FlinkPipelineOptions");
      return EXIT_BAD_OPTIONS;
    }
    StreamingEtlOptions options;
    String[] effectiveArgs = LocalRunDefaults.apply(args);
    try {
      options = parseOptions(args, effectiveArgs, out);
    } catch (InvalidOptionsException e) {
      err.println("Invalid options:");
      e.problems().forEach(problem -> err.println("  " + problem));
      return EXIT_BAD_OPTIONS;
    }

    List<String> unreachable = new ArrayList<>(KafkaConnectionCheck.problems(options));
    unreachable.addAll(ElasticsearchConnectionCheck.problems(options));
    if (!unreachable.isEmpty()) {
      err.println("The job cannot start:");
      unreachable.forEach(problem -> err.println("  " + problem));
      return EXIT_FAILED;
    }

    if (StreamingEtlPipeline.isSet(options.getKinesisEndpoint())
        && System.getProperty(CBOR_PROPERTY) == null) {
      // Local Kinesis servers (kinesalite) answer GetRecords in a CBOR form the SDK cannot read;
      // JSON works
      // with every endpoint. Only this JVM's clients are affected: a cluster's task managers need
      // the flag.
      System.setProperty(CBOR_PROPERTY, "false");
    }
    Pipeline pipeline = StreamingEtlPipeline.create(options);
    adaptToRunner.accept(pipeline);
    out.printf(
        "Running on %s: %s -> %s (dead letters: %s)%n",
        options.getRunner().getSimpleName(),
        describeSource(options),
        describeTripSinks(options),
        describeDeadLetterSinks(options));
    if (options.getFlinkWebUiPort() > 0) {
      out.printf(
          "Flink dashboard: http://%s:%d/%n",
          LocalRunObservability.LOOPBACK, options.getFlinkWebUiPort());
    }
    if (options.getMetricsPrometheusPort() > 0) {
      out.printf(
          "Prometheus metrics: http://%s:%d/metrics%n",
          LocalRunObservability.LOOPBACK, options.getMetricsPrometheusPort());
    }

    long start = System.nanoTime();
    PipelineResult.State state;
    PipelineResult result;
    Optional<Path> checkpoints = localCheckpointFolder(effectiveArgs);
    // Not when restoring: the savepoint or checkpoint to restore may be in such a folder.
    if (checkpoints.flatMap(StreamingEtlMain::ownCheckpointFolder).isPresent()
        && !LocalRunDefaults.settings(effectiveArgs).containsKey("savepointPath")) {
      List<Path> removed = LocalRunDefaults.removeFoldersOfEndedRuns();
      if (!removed.isEmpty()) {
        out.printf(
            "Removed the checkpoint folders of %d local run(s) stopped before their end: %s%n",
            removed.size(), removed);
      }
    }
    SignalDrain drain = installSignalDrain(args, effectiveArgs, options);
    try (ProgressReporter ignored = ProgressReporter.start(out, PROGRESS_PERIOD_SECONDS);
        StopReport stopReport = StopReport.register(out, stopReportRun(options, checkpoints));
        SignalDrain signals = drain) {
      result = pipeline.run();
      state = result.waitUntilFinish();
    } catch (RuntimeException e) {
      err.println("The job failed:");
      e.printStackTrace(err);
      return EXIT_FAILED;
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    lastSummary = RunSummary.from(result.metrics(), elapsed);
    OptionalInt signalled = drain == null ? OptionalInt.empty() : drain.exitCode();
    if (signalled.isPresent()) {
      out.printf(
          Locale.ROOT,
          "Stopped by %s after %,.1f s: the job was drained, so every event it read is"
              + " published.%n%s%n",
          drain.signalName(),
          elapsed,
          StopReport.afterDrain(stopReportRun(options, checkpoints)));
    }
    lastSummary.print(out);
    if (state != PipelineResult.State.DONE) {
      err.println("The job ended in state " + state);
      return EXIT_FAILED;
    }
    cleanUp(options, checkpoints);
    return signalled.orElse(EXIT_OK);
  }

  /**
   * Makes Ctrl-C and SIGTERM drain a job on the embedded Flink cluster whose configuration this
   * launcher wrote (so whose REST port it knows); null otherwise. Not with the exactly-once Kafka
   * sink: a drain hands its held batches over after the final watermark and they are dropped (see
   * docs/exactly-once.md), so such a run stops at once and says what was published.
   */
  private SignalDrain installSignalDrain(
      String[] args, String[] effectiveArgs, StreamingEtlOptions options) {
    String confDir = LocalRunDefaults.settings(effectiveArgs).get(LocalRunDefaults.FLINK_CONF_DIR);
    if (options.getKafkaExactlyOnce()
        || !LocalRunDefaults.runsEmbeddedFlink(effectiveArgs)
        || confDir == null
        || LocalRunDefaults.settings(args).containsKey(LocalRunDefaults.FLINK_CONF_DIR)) {
      return null;
    }
    int restPort = LocalRunObservability.restPort(Path.of(confDir));
    return restPort > 0
        ? SignalDrain.install(
            restPort, LocalRunDefaults.runCheckpointFolder().resolve("drain-savepoint"), out)
        : null;
  }

  /**
   * After a clean end, removes the empty folders that the run leaves: below the local staging
   * folders (FileIO's partition and temp folders; a file there stays) and the run's own checkpoint
   * folder if it holds no file. A {@code --stateBackendStoragePath} of the user's is left as it is.
   * On S3 there are no folders to remove: a staged object is gone once published.
   */
  private static void cleanUp(StreamingEtlOptions options, Optional<Path> checkpoints) {
    for (String published :
        List.of(nullToEmpty(options.getOutputPath()), nullToEmpty(options.getDeadLetterPath()))) {
      localFolder(published)
          .map(folder -> Path.of(StagingFolders.siblingOf(folder.toString())))
          .ifPresent(EmptyFolders::remove);
    }
    // The savepoint that a drain writes: a drained job is not restored.
    LocalRunDefaults.removeTree(LocalRunDefaults.runCheckpointFolder().resolve("drain-savepoint"));
    checkpoints.flatMap(StreamingEtlMain::ownCheckpointFolder).ifPresent(EmptyFolders::remove);
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }

  /** The folder that {@code path} names on the local disk, or empty (blank, or another scheme). */
  static Optional<Path> localFolder(String path) {
    if (!StreamingEtlPipeline.isSet(path)) {
      return Optional.empty();
    }
    if (path.startsWith("file:")) {
      return Optional.of(Path.of(URI.create(path)));
    }
    if (path.matches("[A-Za-z][A-Za-z0-9+.-]*://.*")) {
      return Optional.empty();
    }
    return Optional.of(Path.of(path).toAbsolutePath());
  }

  private static Optional<Path> ownCheckpointFolder(Path folder) {
    return LocalRunDefaults.ownCheckpointFolder(folder.toUri().toString());
  }

  /** The local folder of the embedded Flink cluster's checkpoints, if it is on this disk. */
  private static Optional<Path> localCheckpointFolder(String[] effectiveArgs) {
    if (!LocalRunDefaults.runsEmbeddedFlink(effectiveArgs)) {
      return Optional.empty();
    }
    String storage = LocalRunDefaults.settings(effectiveArgs).get("stateBackendStoragePath");
    return storage == null ? Optional.empty() : localFolder(storage);
  }

  private static StopReport.Run stopReportRun(
      StreamingEtlOptions options, Optional<Path> checkpoints) {
    return new StopReport.Run(
        options.getSource(),
        StreamingEtlPipeline.isSet(options.getOutputPath()) ? options.getOutputPath() : null,
        StreamingEtlPipeline.isSet(options.getDeadLetterPath())
            ? options.getDeadLetterPath()
            : null,
        options.getKafkaConsumerGroup(),
        options.getInputStreamInitialPosition(),
        checkpoints.orElse(null),
        checkpoints.flatMap(StreamingEtlMain::ownCheckpointFolder).isPresent());
  }

  /**
   * Parses and validates the command line with the local-run defaults applied (see {@link
   * LocalRunDefaults}); with {@code --source=FILE} and no {@code --inputPath}, reads the bundled
   * sample.
   *
   * @throws InvalidOptionsException listing every problem, each naming the option and the value
   */
  static StreamingEtlOptions parseOptions(String[] args, PrintStream out)
      throws InvalidOptionsException {
    return parseOptions(args, LocalRunDefaults.apply(args), out);
  }

  private static StreamingEtlOptions parseOptions(
      String[] args, String[] effectiveArgs, PrintStream out) throws InvalidOptionsException {
    PipelineOptionsFactory.register(StreamingEtlOptions.class);
    StreamingEtlOptions options;
    List<String> unreadable = OptionValues.problems(StreamingEtlOptions.class, effectiveArgs);
    if (!unreadable.isEmpty()) {
      // The values that Beam cannot read leave no options to check further.
      throw new InvalidOptionsException(unreadable);
    }
    try {
      options =
          PipelineOptionsFactory.fromArgs(effectiveArgs)
              .withValidation()
              .as(StreamingEtlOptions.class);
    } catch (IllegalArgumentException e) {
      throw new InvalidOptionsException(List.of(OptionValues.readable(e.getMessage())));
    }
    if (options.getSource() == SourceType.FILE && options.getInputPath() == null) {
      options.setInputPath(BundledSample.extract().toString());
      out.println("No --inputPath given: reading the sample bundled with the jar.");
    }
    StreamingEtlPipeline.setUpFileSystems(options);
    List<String> problems = new ArrayList<>(OptionsValidator.validate(options));
    problems.addAll(
        OptionsValidator.validateLocalRun(
            options,
            LocalRunDefaults.runsEmbeddedFlink(effectiveArgs),
            LocalRunDefaults.settings(args).get(LocalRunDefaults.FLINK_CONF_DIR)));
    if (problems.isEmpty()) {
      problems.addAll(
          OptionsValidator.validateExistingOutput(
              options, LocalRunDefaults.settings(effectiveArgs).containsKey("savepointPath")));
    }
    if (!problems.isEmpty()) {
      throw new InvalidOptionsException(problems);
    }
    return options;
  }

  /** Options that cannot run, with every problem found. */
  static final class InvalidOptionsException extends Exception {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    InvalidOptionsException(List<String> problems) {
      super(String.join("; ", problems));
      this.problems = List.copyOf(problems);
    }

    List<String> problems() {
      return problems;
    }
  }

  /** The summary of the last run, for tests. */
  RunSummary lastSummary() {
    return lastSummary;
  }

  private static String describeTripSinks(StreamingEtlOptions options) {
    return describe(options.getOutputPath(), options.getOutputKafkaTopic());
  }

  private static String describeDeadLetterSinks(StreamingEtlOptions options) {
    return describe(options.getDeadLetterPath(), options.getDeadLetterKafkaTopic());
  }

  private static String describe(String path, String topic) {
    List<String> sinks = new ArrayList<>();
    if (StreamingEtlPipeline.isSet(path)) {
      sinks.add(path);
    }
    if (StreamingEtlPipeline.isSet(topic)) {
      sinks.add("Kafka topic " + topic);
    }
    return String.join(" and ", sinks);
  }

  private static String describeSource(StreamingEtlOptions options) {
    switch (options.getSource()) {
      case FILE:
        return "files " + options.getInputPath();
      case KAFKA:
        return "Kafka topic(s) "
            + options.getInputKafkaTopic()
            + " at "
            + options.getInputKafkaBootstrapServers();
      case KINESIS:
        return "Kinesis stream "
            + options.getInputKinesisStream()
            + (StreamingEtlPipeline.isSet(options.getKinesisEndpoint())
                ? " at " + options.getKinesisEndpoint()
                : "")
            + " from "
            + options.getInputStreamInitialPosition();
      default:
        throw new IllegalArgumentException("unknown source " + options.getSource());
    }
  }
}
