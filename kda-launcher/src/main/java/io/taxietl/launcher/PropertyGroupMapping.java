package io.taxietl.launcher;

import java.beans.Introspector;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Turns the managed service's application property groups into pipeline option values.
 *
 * <p>Two groups are understood, alone or together:
 *
 * <ul>
 *   <li>{@value #BEAM_GROUP}: one key per pipeline option, spelled UpperCamel ({@code InputKafkaTopic}
 *       sets {@code --inputKafkaTopic}), plus the Flink runner options in {@link #RUNNER_OPTIONS}.
 *   <li>{@value #ORIGINAL_GROUP}: the keys of the original AWS streaming-ETL sample, so that its
 *       applications keep their properties: the input and output keys map onto the options of the same
 *       name, the input key chooses the source, and {@code OutputBucket} + {@code OutputPrefix} become
 *       {@code --outputPath=s3://bucket/prefix}.
 * </ul>
 *
 * <p>Every problem is collected and reported at once, each naming the group and key: an unknown group
 * or key, a key whose option this build does not have yet, an empty value, a value of the wrong type,
 * or one option set by two keys. Values are checked for their type here; their meaning (paths, ranges,
 * combinations) is checked by the pipeline's {@code OptionsValidator} once all arguments are merged.
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
          "checkpointingInterval",
          "checkpointTimeoutMillis",
          "minPauseBetweenCheckpoints",
          "shutdownSourcesAfterIdleMs",
          "autoWatermarkInterval",
          "fasterCopy");

  /** Options that only the launcher sets: the runner and where it runs. */
  public static final Set<String> LAUNCHER_OPTIONS = Set.of("runner", "flinkMaster", "streaming");

  /** Packages whose option interfaces are the pipeline's own (the tests add theirs below it). */
  private static final String PIPELINE_OPTIONS_PACKAGE = "io.taxietl.";

  private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  /** The original sample's keys that name an option of ours directly, with that option. */
  private static final Map<String, String> ORIGINAL_KEYS = new LinkedHashMap<>();

  static {
    ORIGINAL_KEYS.put("InputKinesisStream", "inputKinesisStream");
    ORIGINAL_KEYS.put("InputStreamRegion", "inputStreamRegion");
    // The original read this key with its misspelling; both spellings are accepted.
    ORIGINAL_KEYS.put("InputStreamInitalPosition", "inputStreamInitialPosition");
    ORIGINAL_KEYS.put("InputStreamInitialPosition", "inputStreamInitialPosition");
    ORIGINAL_KEYS.put("InputKafkaBootstrapServers", "inputKafkaBootstrapServers");
    ORIGINAL_KEYS.put("InputKafkaTopic", "inputKafkaTopic");
    ORIGINAL_KEYS.put("OutputElasticsearchEndpoint", "outputElasticsearchEndpoint");
    ORIGINAL_KEYS.put("ElasticsearchRegion", "elasticsearchRegion");
    ORIGINAL_KEYS.put("ElasticsearchBulkFlushMaxActions", "elasticsearchBulkFlushMaxActions");
    ORIGINAL_KEYS.put("ElasticsearchBulkFlushMaxSizeMb", "elasticsearchBulkFlushMaxSizeMb");
    ORIGINAL_KEYS.put("ElasticsearchBulkFlushInterval", "elasticsearchBulkFlushInterval");
    ORIGINAL_KEYS.put("OutputKafkaBootstrapServers", "outputKafkaBootstrapServers");
    ORIGINAL_KEYS.put("OutputKafkaTopic", "outputKafkaTopic");
    ORIGINAL_KEYS.put("OutputKinesisStream", "outputKinesisStream");
    ORIGINAL_KEYS.put("OutputStreamRegion", "outputStreamRegion");
  }

  private static final String OUTPUT_BUCKET = "OutputBucket";
  private static final String OUTPUT_PREFIX = "OutputPrefix";
  private static final String PARQUET_CONVERSION = "ParquetConversion";
  private static final String OUTPUT_DISCARDING = "OutputDiscarding";
  private static final List<String> KINESIS_INPUT_KEYS = List.of("InputKinesisStream");
  private static final List<String> KAFKA_INPUT_KEYS = List.of("InputKafkaBootstrapServers", "InputKafkaTopic");

  /** One option's value and the {@code group.key} it came from. */
  public static final class OptionValue {
    private final String value;
    private final String origin;

    public OptionValue(String value, String origin) {
      this.value = Objects.requireNonNull(value, "value");
      this.origin = Objects.requireNonNull(origin, "origin");
    }

    public String value() {
      return value;
    }

    public String origin() {
      return origin;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof OptionValue
          && value.equals(((OptionValue) other).value)
          && origin.equals(((OptionValue) other).origin);
    }

    @Override
    public int hashCode() {
      return Objects.hash(value, origin);
    }

    @Override
    public String toString() {
      return value + " (from " + origin + ")";
    }
  }

  private final Class<? extends PipelineOptions> optionsClass;
  private final Set<String> allOptions;
  private final Set<String> beamGroupOptions;

  /** Maps onto the options of {@code optionsClass} (normally {@link LauncherOptions}). */
  public PropertyGroupMapping(Class<? extends PipelineOptions> optionsClass) {
    this.optionsClass = optionsClass;
    Set<String> all = new TreeSet<>();
    Set<String> beam = new TreeSet<>();
    for (Method method : optionsClass.getMethods()) {
      String option = propertyName(method);
      if (option == null) {
        continue;
      }
      all.add(option);
      if (method.getDeclaringClass().getName().startsWith(PIPELINE_OPTIONS_PACKAGE)) {
        beam.add(option);
      }
    }
    for (String runnerOption : RUNNER_OPTIONS) {
      if (all.contains(runnerOption)) {
        beam.add(runnerOption);
      }
    }
    this.allOptions = Collections.unmodifiableSet(all);
    this.beamGroupOptions = Collections.unmodifiableSet(beam);
  }

  /** The keys that {@value #BEAM_GROUP} accepts, UpperCamel, sorted. */
  public Set<String> beamGroupKeys() {
    Set<String> keys = new TreeSet<>();
    beamGroupOptions.forEach(option -> keys.add(key(option)));
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
    List<String> problems = new ArrayList<>();
    Map<String, OptionValue> options = new TreeMap<>();
    Set<String> unknownGroups = new TreeSet<>(groups.keySet());
    unknownGroups.remove(BEAM_GROUP);
    unknownGroups.remove(ORIGINAL_GROUP);
    for (String group : unknownGroups) {
      problems.add("property group " + group + " (in " + from + ") is not known: use " + BEAM_GROUP
          + " (or the original sample's " + ORIGINAL_GROUP + ")");
    }
    if (!groups.containsKey(BEAM_GROUP) && !groups.containsKey(ORIGINAL_GROUP)) {
      problems.add("no property group " + BEAM_GROUP + " or " + ORIGINAL_GROUP + " in " + from
          + (groups.isEmpty() ? " (it has no property groups at all)" : ""));
    }
    if (groups.containsKey(BEAM_GROUP)) {
      mapBeamGroup(entries(groups.get(BEAM_GROUP)), options, problems);
    }
    if (groups.containsKey(ORIGINAL_GROUP)) {
      mapOriginalGroup(entries(groups.get(ORIGINAL_GROUP)), options, problems);
    }
    if (!problems.isEmpty()) {
      throw new InvalidApplicationPropertiesException(problems);
    }
    return Collections.unmodifiableMap(options);
  }

  private void mapBeamGroup(Map<String, String> properties, Map<String, OptionValue> options, List<String> problems) {
    properties.forEach(
        (key, value) -> {
          String origin = BEAM_GROUP + "." + key;
          String option = option(key);
          if (LAUNCHER_OPTIONS.contains(option)) {
            problems.add(origin + " cannot be set: the launcher sets --" + option + " itself");
          } else if (!beamGroupOptions.contains(option) || !key.equals(key(option))) {
            problems.add(origin + " is not a known key" + suggestion(key));
          } else {
            put(option, value, origin, options, problems);
          }
        });
  }

  private void mapOriginalGroup(Map<String, String> properties, Map<String, OptionValue> options, List<String> problems) {
    String kinesisKey = firstPresent(properties, KINESIS_INPUT_KEYS);
    String kafkaKey = firstPresent(properties, KAFKA_INPUT_KEYS);
    if (kinesisKey != null && kafkaKey != null) {
      problems.add(ORIGINAL_GROUP + "." + kinesisKey + " and " + ORIGINAL_GROUP + "." + kafkaKey
          + " name two sources: set either a Kinesis stream or a Kafka topic");
    } else if (kinesisKey != null) {
      put("source", "KINESIS", ORIGINAL_GROUP + "." + kinesisKey, options, problems);
    } else if (kafkaKey != null) {
      put("source", "KAFKA", ORIGINAL_GROUP + "." + kafkaKey, options, problems);
    }
    properties.forEach(
        (key, value) -> {
          String origin = ORIGINAL_GROUP + "." + key;
          String option = ORIGINAL_KEYS.get(key);
          if (option != null) {
            put(option, value, origin, options, problems);
          } else if (key.equals(OUTPUT_BUCKET)) {
            String path = s3OutputPath(value, properties.get(OUTPUT_PREFIX), problems);
            if (path != null) {
              String prefixNote = properties.containsKey(OUTPUT_PREFIX) ? " + " + ORIGINAL_GROUP + "." + OUTPUT_PREFIX : "";
              put("outputPath", path, origin + prefixNote, options, problems);
            }
          } else if (key.equals(OUTPUT_PREFIX)) {
            if (!properties.containsKey(OUTPUT_BUCKET)) {
              problems.add(origin + " needs " + ORIGINAL_GROUP + "." + OUTPUT_BUCKET + " too");
            }
          } else if (key.equals(PARQUET_CONVERSION)) {
            if (!value.trim().equalsIgnoreCase("true")) {
              problems.add(origin + "=" + value + " is not supported: this pipeline always writes Parquet "
                  + "(set it to true or remove it)");
            }
          } else if (key.equals(OUTPUT_DISCARDING)) {
            problems.add(origin + " is not supported: this pipeline always writes its trips (remove the key)");
          } else {
            problems.add(origin + " is not a known key of the original sample" + suggestion(key));
          }
        });
  }

  /** {@code s3://bucket/prefix} from the original's bucket (a name or an s3:// URI) and optional prefix. */
  private static String s3OutputPath(String bucket, String prefix, List<String> problems) {
    String origin = ORIGINAL_GROUP + "." + OUTPUT_BUCKET;
    String location = bucket.trim();
    if (location.isEmpty()) {
      problems.add(origin + " is empty");
      return null;
    }
    if (location.startsWith("s3://")) {
      location = location.substring("s3://".length());
    } else if (location.contains("://")) {
      problems.add(origin + "=" + bucket + " must be a bucket name or an s3:// location");
      return null;
    }
    String name = location.contains("/") ? location.substring(0, location.indexOf('/')) : location;
    if (!BUCKET_NAME.matcher(name).matches()) {
      problems.add(origin + "=" + bucket + " does not name an S3 bucket");
      return null;
    }
    StringBuilder path = new StringBuilder("s3://").append(stripSlashes(location));
    if (prefix != null && !stripSlashes(prefix.trim()).isEmpty()) {
      path.append('/').append(stripSlashes(prefix.trim()));
    }
    return path.append('/').toString();
  }

  private void put(String option, String value, String origin, Map<String, OptionValue> options, List<String> problems) {
    if (!allOptions.contains(option)) {
      problems.add(origin + " is not supported by this build yet: it has no --" + option + " option");
      return;
    }
    if (value.isBlank()) {
      problems.add(origin + " is empty");
      return;
    }
    String badType = typeProblem(option, value);
    if (badType != null) {
      problems.add(origin + "=" + value + " is not a valid value for --" + option + ": " + badType);
      return;
    }
    OptionValue previous = options.putIfAbsent(option, new OptionValue(value, origin));
    if (previous != null) {
      problems.add(origin + " and " + previous.origin() + " both set --" + option + ": keep one");
    }
  }

  /** Why Beam cannot read {@code value} as the type of {@code option}, or null when it can. */
  private String typeProblem(String option, String value) {
    try {
      PipelineOptionsFactory.fromArgs("--" + option + "=" + value).as(optionsClass);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  private String suggestion(String key) {
    for (String option : beamGroupOptions) {
      if (key(option).equalsIgnoreCase(key) || key(option).equalsIgnoreCase(key.replace("_", ""))) {
        return " (did you mean " + BEAM_GROUP + "." + key(option) + "?)";
      }
    }
    return "";
  }

  private static String firstPresent(Map<String, String> properties, List<String> keys) {
    return keys.stream().filter(properties::containsKey).findFirst().orElse(null);
  }

  private static Map<String, String> entries(Properties properties) {
    Map<String, String> entries = new TreeMap<>();
    properties.forEach((key, value) -> entries.put(String.valueOf(key), String.valueOf(value)));
    return entries;
  }

  private static String stripSlashes(String text) {
    int start = 0;
    int end = text.length();
    while (start < end && text.charAt(start) == '/') {
      start++;
    }
    while (end > start && text.charAt(end - 1) == '/') {
      end--;
    }
    return text.substring(start, end);
  }

  /** The UpperCamel key for an option name: {@code inputKafkaTopic} -> {@code InputKafkaTopic}. */
  static String key(String option) {
    return option.substring(0, 1).toUpperCase(Locale.ROOT) + option.substring(1);
  }

  /** The option name for an UpperCamel key: {@code InputKafkaTopic} -> {@code inputKafkaTopic}. */
  static String option(String key) {
    return key.isEmpty() ? key : key.substring(0, 1).toLowerCase(Locale.ROOT) + key.substring(1);
  }

  /** The bean property a getter reads, or null when {@code method} is no getter. */
  private static String propertyName(Method method) {
    if (method.getParameterCount() != 0 || method.isDefault() || Modifier.isStatic(method.getModifiers())) {
      return null;
    }
    String name = method.getName();
    String property;
    if (name.startsWith("get") && name.length() > 3) {
      property = name.substring(3);
    } else if (name.startsWith("is") && name.length() > 2
        && (method.getReturnType() == boolean.class || method.getReturnType() == Boolean.class)) {
      property = name.substring(2);
    } else {
      return null;
    }
    if (name.equals("getClass")) {
      return null;
    }
    return Introspector.decapitalize(property);
  }
}
