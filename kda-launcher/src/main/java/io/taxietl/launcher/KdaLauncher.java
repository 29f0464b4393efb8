package io.taxietl.launcher;

import io.taxietl.launcher.LaunchArguments.CommandLine;
import io.taxietl.options.OptionValues;
import io.taxietl.pipeline.KafkaConnectionCheck;
import io.taxietl.pipeline.StreamingEtlPipeline;
import io.taxietl.pipeline.validation.OptionsValidator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main class of the JAR for Amazon Managed Service for Apache Flink and for Flink clusters.
 *
 * <p>It reads the application's property groups (on the service with {@code
 * KinesisAnalyticsRuntime}, elsewhere from {@code --applicationPropertiesFile=FILE} in the
 * service's format), turns them into pipeline options ({@link PropertyGroupMapping}), lets
 * command-line arguments override them, adds the Flink defaults ({@link LaunchArguments}),
 * validates everything, and submits the same pipeline as the {@code pipeline} module's main to the
 * Flink environment it runs in. It returns once the job is submitted; the job runs on.
 *
 * <p>Any problem stops it before the job is submitted, with an {@link
 * InvalidApplicationPropertiesException} that names each group and key (or option) and bad value,
 * or, when a Kafka cluster the job needs does not answer, an {@link IllegalStateException} saying
 * why ({@link KafkaConnectionCheck}). It never calls {@code System.exit}: it runs inside the Flink
 * JobManager.
 */
public final class KdaLauncher {
  private static final Logger LOG = LoggerFactory.getLogger(KdaLauncher.class);

  private KdaLauncher() {}

  public static void main(String[] args) throws IOException {
    LauncherOptions options = options(args, FlinkEnvironment::checkpointIntervalMillis);
    List<String> unreachable = KafkaConnectionCheck.problems(options);
    if (!unreachable.isEmpty()) {
      throw new IllegalStateException("The job cannot start: " + String.join("; ", unreachable));
    }
    Pipeline pipeline = StreamingEtlPipeline.create(options);
    LOG.info(
        "Submitting {}: source {}, trips to {}, dead letters to {}, checkpoints every {} ms",
        options.getJobName(),
        options.getSource(),
        options.getOutputPath(),
        options.getDeadLetterPath(),
        options.getCheckpointingInterval());
    pipeline.run();
    LOG.info("Submitted {}", options.getJobName());
  }

  /**
   * The valid options for {@code args} and the application properties they lead to.
   *
   * @param environmentCheckpointInterval the Flink environment's checkpoint interval, if it has one
   * @throws InvalidApplicationPropertiesException naming every problem
   */
  static LauncherOptions options(
      String[] args, Supplier<OptionalLong> environmentCheckpointInterval) throws IOException {
    CommandLine commandLine = LaunchArguments.parseCommandLine(args);
    Map<String, Properties> groups;
    String from;
    if (commandLine.propertiesFile() != null) {
      groups = ApplicationPropertiesFile.fromFile(commandLine.propertiesFile());
      from = commandLine.propertiesFile().toString();
    } else {
      groups = ApplicationPropertiesFile.fromService();
      from =
          ApplicationPropertiesFile.SERVICE_FILE
              + " (for a run outside the managed service, pass --"
              + LaunchArguments.PROPERTIES_FILE_OPTION
              + "=FILE)";
    }
    Map<String, OptionValue> fromProperties =
        new PropertyGroupMapping(LauncherOptions.class).toOptions(groups, from);
    List<String> pipelineArgs =
        LaunchArguments.merge(fromProperties, commandLine, environmentCheckpointInterval.get());

    PipelineOptionsFactory.register(LauncherOptions.class);
    // Property values are read already (PropertyGroupMapping); these are the command line's.
    List<String> unreadable =
        OptionValues.problems(LauncherOptions.class, pipelineArgs.toArray(String[]::new));
    if (!unreadable.isEmpty()) {
      throw new InvalidApplicationPropertiesException(
          unreadable.stream()
              .map(problem -> LaunchArguments.withOrigins(problem, fromProperties, commandLine))
              .collect(Collectors.toUnmodifiableList()));
    }
    LauncherOptions options;
    try {
      options =
          PipelineOptionsFactory.fromArgs(pipelineArgs.toArray(String[]::new))
              .withValidation()
              .as(LauncherOptions.class);
    } catch (IllegalArgumentException e) {
      throw new InvalidApplicationPropertiesException(
          List.of(
              LaunchArguments.withOrigins(
                  OptionValues.readable(e.getMessage()), fromProperties, commandLine)));
    }
    StreamingEtlPipeline.setUpFileSystems(options);
    List<String> found = new ArrayList<>(OptionsValidator.validate(options));
    // The launcher submits to a cluster that has its own dashboard and reporters: no local-run
    // ports.
    found.addAll(OptionsValidator.validateLocalRun(options, false, null));
    List<String> problems =
        found.stream()
            .map(problem -> LaunchArguments.withOrigins(problem, fromProperties, commandLine))
            .collect(Collectors.toUnmodifiableList());
    if (!problems.isEmpty()) {
      throw new InvalidApplicationPropertiesException(problems);
    }
    return options;
  }
}
