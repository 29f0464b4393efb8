package io.taxietl.launcher;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Turns the managed service's application property groups into pipeline option values.
 *
 * <p>Two groups are understood, alone or together: {@value #BEAM_GROUP}, one UpperCamel key per
 * pipeline option plus the Flink runner options in {@link #RUNNER_OPTIONS} ({@link
 * BeamGroupMapper}), and {@value #ORIGINAL_GROUP}, the keys of the original AWS streaming-ETL
 * sample, so that its applications keep their properties ({@link OriginalGroupMapper}). Which
 * options exist, and of what type, Beam says ({@link OptionCatalog}).
 *
 * <p>Every problem is collected and reported at once, each naming the group and key: an unknown
 * group or key, a key whose option this build does not have yet, an empty value, a value of the
 * wrong type, or one option set by two keys. Values are checked for their type here; their meaning
 * (paths, ranges, combinations) is checked by the pipeline's {@code OptionsValidator} once all
 * arguments are merged.
 */
public final class PropertyGroupMapping {
  public static final String BEAM_GROUP = "BeamApplicationProperties";
  public static final String ORIGINAL_GROUP = "FlinkApplicationProperties";

  /** Flink runner options that {@value #BEAM_GROUP} may set, besides the pipeline's own options. */
  public static final List<String> RUNNER_OPTIONS =
      List.of(
          "jobName",
          "parallelism",
          "maxParallelism",
          "maxBundleSize",
          "checkpointingInterval",
          "checkpointTimeoutMillis",
          "minPauseBetweenCheckpoints",
          "shutdownSourcesAfterIdleMs",
          "autoWatermarkInterval",
          "fasterCopy");

  /** Options that only the launcher sets: the runner and where it runs. */
  public static final Set<String> LAUNCHER_OPTIONS = Set.of("runner", "flinkMaster", "streaming");

  private final OptionCatalog catalog;

  /** Maps onto the options of {@code optionsClass} (normally {@link LauncherOptions}). */
  public PropertyGroupMapping(Class<? extends PipelineOptions> optionsClass) {
    this.catalog = new OptionCatalog(optionsClass);
  }

  /** The keys that {@value #BEAM_GROUP} accepts, UpperCamel, sorted. */
  public Set<String> beamGroupKeys() {
    Set<String> keys = new TreeSet<>();
    catalog.beamGroupOptions().forEach(option -> keys.add(OptionCatalog.key(option)));
    return keys;
  }

  /**
   * The option values that {@code groups} set, by option name.
   *
   * @param groups property groups by group id, as {@code KinesisAnalyticsRuntime} returns them
   * @param from where the groups were read, for messages (e.g. a file name)
   * @throws InvalidApplicationPropertiesException naming every problem found
   */
  public Map<String, OptionValue> toOptions(Map<String, Properties> groups, String from) {
    MappedOptions options = new MappedOptions(catalog);
    Set<String> unknownGroups = new TreeSet<>(groups.keySet());
    unknownGroups.remove(BEAM_GROUP);
    unknownGroups.remove(ORIGINAL_GROUP);
    for (String group : unknownGroups) {
      options.problem(
          "property group "
              + group
              + " (in "
              + from
              + ") is not known: use "
              + BEAM_GROUP
              + " (or the original sample's "
              + ORIGINAL_GROUP
              + ")");
    }
    if (!groups.containsKey(BEAM_GROUP) && !groups.containsKey(ORIGINAL_GROUP)) {
      options.problem(
          "no property group "
              + BEAM_GROUP
              + " or "
              + ORIGINAL_GROUP
              + " in "
              + from
              + (groups.isEmpty() ? " (it has no property groups at all)" : ""));
    }
    if (groups.containsKey(BEAM_GROUP)) {
      new BeamGroupMapper(catalog).map(entries(groups.get(BEAM_GROUP)), options);
    }
    if (groups.containsKey(ORIGINAL_GROUP)) {
      new OriginalGroupMapper(catalog).map(entries(groups.get(ORIGINAL_GROUP)), options);
    }
    if (!options.problems().isEmpty()) {
      throw new InvalidApplicationPropertiesException(options.problems());
    }
    return options.values();
  }

  /** A group's keys and values, sorted by key. */
  private static Map<String, String> entries(Properties properties) {
    Map<String, String> entries = new TreeMap<>();
    properties.forEach((key, value) -> entries.put(String.valueOf(key), String.valueOf(value)));
    return entries;
  }
}
