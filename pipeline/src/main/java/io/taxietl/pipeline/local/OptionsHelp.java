package io.taxietl.pipeline.local;

import io.taxietl.options.OptionDescriptions;
import io.taxietl.options.StreamingEtlOptions;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * What {@code --help} prints: this pipeline's options, grouped by the interface that declares them
 * as in {@code docs/options.md} (both come from {@link OptionDescriptions}), and the runner options
 * that a local run sets ({@link LocalRunDefaults}). {@code --help=NAME} prints one group, or Beam's
 * help for another registered options interface (e.g. {@code --help=FlinkPipelineOptions}).
 */
public final class OptionsHelp {
  static final String USAGE = "Usage: java -jar streaming-etl.jar [--option=value ...]";
  private static final int WIDTH = 100;
  private static final String INDENT = "      ";

  private OptionsHelp() {}

  /** Whether {@code args} ask for help: {@code --help} or {@code --help=NAME}. */
  public static boolean requested(String[] args) {
    for (String arg : args) {
      if (arg.equals("--help") || arg.startsWith("--help=")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Prints the help that {@code args} ask for and returns true, or returns false when {@code
   * --help=NAME} names no options interface (nothing printed).
   */
  public static boolean print(String[] args, PrintStream out) {
    String topic = LocalRunDefaults.settings(args).get("help");
    if (topic == null || topic.equals("true") || topic.equals("StreamingEtlOptions")) {
      printAll(out);
      return true;
    }
    for (OptionDescriptions.Group group : OptionDescriptions.groups(StreamingEtlOptions.class)) {
      if (group.name().equals(topic) || group.declaredBy().getName().equals(topic)) {
        printGroup(group, out);
        return true;
      }
    }
    for (Class<? extends PipelineOptions> registered :
        PipelineOptionsFactory.getRegisteredOptions()) {
      if (registered.getSimpleName().equals(topic) || registered.getName().equals(topic)) {
        PipelineOptionsFactory.printHelp(out, registered);
        return true;
      }
    }
    return false;
  }

  private static void printAll(PrintStream out) {
    out.println(USAGE);
    out.println();
    wrap(
        "Runs the taxi-trip streaming ETL job: events from files, Kafka or Kinesis are parsed into trips, "
            + "written as Parquet by event time (and to Elasticsearch and Kafka when asked), every "
            + "rejected event to the dead letters with its reason. With no option it reads the sample "
            + "bundled with the jar and writes below output/.",
        "",
        out);
    for (OptionDescriptions.Group group : OptionDescriptions.groups(StreamingEtlOptions.class)) {
      out.println();
      printGroup(group, out);
    }
    out.println();
    out.println(
        "Runner options a local run sets unless you give them (Beam's and its Flink runner's):");
    List<String> defaults = new ArrayList<>();
    for (Map.Entry<String, String> setting : LocalRunDefaults.runnerDefaults().entrySet()) {
      defaults.add("--" + setting.getKey() + "=" + setting.getValue());
    }
    wrap(String.join(" ", defaults), "  ", out);
    out.println();
    wrap(
        "Every option also as a table with its launcher key: docs/options.md. The Flink runner's own "
            + "options: --help=FlinkPipelineOptions; one group above: --help=GROUP, e.g. "
            + "--help=KafkaSourceOptions. Exit status: 0 finished, 1 failed, 2 invalid options.",
        "",
        out);
  }

  private static void printGroup(OptionDescriptions.Group group, PrintStream out) {
    out.println(group.name());
    for (OptionDescriptions.Option option : group.options()) {
      StringBuilder line = new StringBuilder("  --").append(option.name()).append('=');
      line.append(
          option.enumValues().isEmpty()
              ? option.typeName()
              : String.join("|", option.enumValues()));
      String defaultValue = "  (default: " + option.defaultValue() + ")";
      if (option.defaultValue().isEmpty()) {
        out.println(line);
      } else if (line.length() + defaultValue.length() <= WIDTH) {
        out.println(line.append(defaultValue));
      } else {
        out.println(line);
        wrap("default: " + option.defaultValue(), INDENT, out);
      }
      wrap(option.description(), INDENT, out);
    }
  }

  /**
   * Prints {@code text} in lines of at most {@value #WIDTH} characters, each after {@code indent}.
   */
  static void wrap(String text, String indent, PrintStream out) {
    StringBuilder line = new StringBuilder(indent);
    for (String word : text.split(" ")) {
      if (line.length() > indent.length() && line.length() + 1 + word.length() > WIDTH) {
        out.println(line);
        line.setLength(0);
        line.append(indent);
      }
      if (line.length() > indent.length()) {
        line.append(' ');
      }
      line.append(word);
    }
    if (line.length() > indent.length()) {
      out.println(line);
    }
  }
}
