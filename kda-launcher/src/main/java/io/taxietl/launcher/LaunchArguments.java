package io.taxietl.launcher;

import io.taxietl.pipeline.FlinkRunnerSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pipeline arguments of one launch, in order of precedence: the command line, then the
 * application properties, then the launcher's defaults for what neither sets.
 *
 * <p>The defaults run the job on the Flink runner in the environment that started it ({@code
 * --flinkMaster=[auto]}: the managed service or the cluster), detached, in streaming mode, with
 * checkpointing on at the interval the environment configures (the managed service's checkpoint
 * configuration) or else every {@value #DEFAULT_CHECKPOINTING_INTERVAL_MILLIS} ms.
 */
final class LaunchArguments {
  /**
   * The launcher's own argument: a properties file in the managed service's format, for runs
   * elsewhere.
   */
  static final String PROPERTIES_FILE_OPTION = "applicationPropertiesFile";

  static final long DEFAULT_CHECKPOINTING_INTERVAL_MILLIS = 60_000;
  static final String DEFAULT_JOB_NAME = "taxi-streaming-etl";

  private static final Pattern OPTION =
      Pattern.compile("--([A-Za-z][A-Za-z0-9]*)(=.*)?", Pattern.DOTALL);
  private static final Pattern MENTIONED_OPTION = Pattern.compile("--([A-Za-z][A-Za-z0-9]*)");

  /** The command line split into the launcher's own argument and the pipeline's. */
  static final class CommandLine {
    private final Path propertiesFile;
    private final List<String> pipelineArgs;
    private final Set<String> optionNames;

    CommandLine(Path propertiesFile, List<String> pipelineArgs, Set<String> optionNames) {
      this.propertiesFile = propertiesFile;
      this.pipelineArgs = pipelineArgs;
      this.optionNames = optionNames;
    }

    Path propertiesFile() {
      return propertiesFile;
    }

    List<String> pipelineArgs() {
      return pipelineArgs;
    }

    Set<String> optionNames() {
      return optionNames;
    }
  }

  private LaunchArguments() {}

  /**
   * Splits {@code args}: {@code --applicationPropertiesFile=FILE} is the launcher's, every other
   * {@code --name=value} or {@code --name} is passed to the pipeline as given.
   */
  static CommandLine parseCommandLine(String[] args) {
    Path propertiesFile = null;
    List<String> pipelineArgs = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    List<String> problems = new ArrayList<>();
    for (String arg : args) {
      Matcher matcher = OPTION.matcher(arg);
      if (!matcher.matches()) {
        problems.add("argument '" + arg + "' is not of the form --name=value");
        continue;
      }
      String name = matcher.group(1);
      if (name.equals(PROPERTIES_FILE_OPTION)) {
        String value = matcher.group(2) == null ? "" : matcher.group(2).substring(1);
        if (value.isBlank()) {
          problems.add("--" + PROPERTIES_FILE_OPTION + " needs a file name");
        } else {
          propertiesFile = Path.of(value);
        }
      } else {
        names.add(name);
        pipelineArgs.add(arg);
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidApplicationPropertiesException(problems);
    }
    return new CommandLine(propertiesFile, List.copyOf(pipelineArgs), Set.copyOf(names));
  }

  /**
   * The pipeline arguments: property values the command line does not override, the command line,
   * and the launcher's defaults.
   *
   * @param environmentCheckpointInterval the checkpoint interval the Flink environment configures,
   *     if any; used unless the properties or the command line set {@code checkpointingInterval}
   */
  static List<String> merge(
      Map<String, OptionValue> fromProperties,
      CommandLine commandLine,
      OptionalLong environmentCheckpointInterval) {
    Map<String, String> defaults = new LinkedHashMap<>();
    defaults.put("runner", FlinkRunnerSettings.RUNNER);
    defaults.put("flinkMaster", "[auto]");
    defaults.put("streaming", "true");
    // The job outlives the launcher: it submits and returns (Beam's attached mode would wait for
    // the
    // job's end, which a cluster's or the service's submission does not allow).
    defaults.put("attachedMode", "false");
    defaults.put("jobName", DEFAULT_JOB_NAME);
    defaults.put(
        "checkpointingInterval",
        Long.toString(environmentCheckpointInterval.orElse(DEFAULT_CHECKPOINTING_INTERVAL_MILLIS)));
    defaults.putAll(FlinkRunnerSettings.required());

    List<String> args = new ArrayList<>();
    defaults.forEach(
        (name, value) -> {
          if (!fromProperties.containsKey(name) && !commandLine.optionNames().contains(name)) {
            args.add("--" + name + "=" + value);
          }
        });
    fromProperties.forEach(
        (name, value) -> {
          if (!commandLine.optionNames().contains(name)) {
            args.add("--" + name + "=" + value.value());
          }
        });
    args.addAll(commandLine.pipelineArgs());
    return args;
  }

  /**
   * {@code problem} with the property each option it mentions came from, so that a user of the
   * managed service sees which key to fix: {@code --windowSizeSeconds=0 must be ... [from
   * BeamApplicationProperties.WindowSizeSeconds]}.
   */
  static String withOrigins(
      String problem, Map<String, OptionValue> fromProperties, CommandLine commandLine) {
    Set<String> origins = new LinkedHashSet<>();
    Matcher matcher = MENTIONED_OPTION.matcher(problem);
    while (matcher.find()) {
      String name = matcher.group(1);
      OptionValue value = fromProperties.get(name);
      if (value != null && !commandLine.optionNames().contains(name)) {
        origins.add(value.origin());
      } else if (commandLine.optionNames().contains(name)) {
        origins.add("the command line");
      }
    }
    return origins.isEmpty() ? problem : problem + " [from " + String.join(", ", origins) + "]";
  }
}
