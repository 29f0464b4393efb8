package io.taxietl.launcher;

import io.taxietl.options.OptionDescriptions;
import io.taxietl.options.OptionValues;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.model.jobmanagement.v1.JobApi.PipelineOptionDescriptor;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The options of one options interface as Beam describes them ({@link
 * PipelineOptionsFactory#describe}): every option's name, which of them the property group {@value
 * PropertyGroupMapping#BEAM_GROUP} may set (the pipeline's own options and {@link
 * PropertyGroupMapping#RUNNER_OPTIONS}), and whether Beam reads a text as an option's type. Also
 * the spelling of options as property keys: {@code inputKafkaTopic} is the key {@code
 * InputKafkaTopic}.
 */
final class OptionCatalog {
  /** Packages whose option interfaces are the pipeline's own (the tests add theirs below it). */
  private static final String PIPELINE_OPTIONS_PACKAGE = "io.taxietl.";

  private final Class<? extends PipelineOptions> optionsClass;
  private final Set<String> allOptions;
  private final Set<String> beamGroupOptions;

  OptionCatalog(Class<? extends PipelineOptions> optionsClass) {
    this.optionsClass = optionsClass;
    Set<String> all = new TreeSet<>();
    Set<String> beam = new TreeSet<>();
    List<PipelineOptionDescriptor> described =
        PipelineOptionsFactory.describe(Set.of(optionsClass));
    for (PipelineOptionDescriptor option : described) {
      String name = OptionDescriptions.lowerCamel(option.getName());
      all.add(name);
      if (option.getGroup().startsWith(PIPELINE_OPTIONS_PACKAGE)) {
        beam.add(name);
      }
    }
    for (String runnerOption : PropertyGroupMapping.RUNNER_OPTIONS) {
      if (all.contains(runnerOption)) {
        beam.add(runnerOption);
      }
    }
    this.allOptions = Collections.unmodifiableSet(all);
    this.beamGroupOptions = Collections.unmodifiableSet(beam);
  }

  /** Whether this build has an option of that name. */
  boolean has(String option) {
    return allOptions.contains(option);
  }

  /** The options that {@value PropertyGroupMapping#BEAM_GROUP} may set, sorted. */
  Set<String> beamGroupOptions() {
    return beamGroupOptions;
  }

  /**
   * Why Beam cannot read {@code value} as the type of {@code option}, or null when it can, worded
   * as the command line words it ({@link OptionValues}): {@code expected one of FILE, KAFKA,
   * KINESIS}.
   */
  @Nullable String typeProblem(String option, String value) {
    return OptionValues.typeProblem(optionsClass, option, value);
  }

  /**
   * {@code " (did you mean BeamApplicationProperties.Key?)"} for a key of that group that differs
   * from {@code key} only in case or underscores, else an empty text.
   */
  String suggestion(String key) {
    for (String option : beamGroupOptions) {
      String known = key(option);
      if (known.equalsIgnoreCase(key) || known.equalsIgnoreCase(key.replace("_", ""))) {
        return " (did you mean " + PropertyGroupMapping.BEAM_GROUP + "." + known + "?)";
      }
    }
    return "";
  }

  /** The UpperCamel key for an option name: {@code inputKafkaTopic} -> {@code InputKafkaTopic}. */
  static String key(String option) {
    return OptionDescriptions.upperCamel(option);
  }

  /** The option name for an UpperCamel key: {@code InputKafkaTopic} -> {@code inputKafkaTopic}. */
  static String option(String key) {
    return OptionDescriptions.optionOfKey(key);
  }
}
