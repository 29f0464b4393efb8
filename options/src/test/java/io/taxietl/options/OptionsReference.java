package io.taxietl.options;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.beam.model.jobmanagement.v1.JobApi.PipelineOptionDescriptor;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Renders {@code docs/options.md}, the options reference, from what the code says: Beam's {@link
 * PipelineOptionsFactory#describe} gives each option's name, {@code @Default} value and
 * {@code @Description}, grouped by the interface that declares it, in the order {@link
 * StreamingEtlOptions} combines them; the getter adds the Java type (an enum's values) and whether
 * the value is a secret.
 */
final class OptionsReference {
  /** Where the page lives, relative to the repository root. */
  static final String PAGE = "docs/options.md";

  /** How to rewrite the page after an option changed. */
  static final String REGENERATE =
      "mvn -B -ntp -o -pl options -am test -Dtest=OptionsReferenceTest -Dsurefire.failIfNoSpecifiedTests=false"
          + " -Ddocs.update=true";

  /** The options module's sources, relative to {@code docs/}. */
  private static final String SOURCES = "../options/src/main/java/";

  private OptionsReference() {}

  /** The whole page, Markdown, ending in one newline. */
  static String render() {
    StringBuilder page = new StringBuilder();
    page.append("# Options reference\n\n")
        .append(
            "<!-- Generated from the options' @Description and @Default annotations by OptionsReference ")
        .append("(options module, test code). Do not edit: change the annotation, then run\n")
        .append("     ")
        .append(REGENERATE)
        .append(" -->\n\n")
        .append(
            "Every option of the pipeline, as `--name=value` on the command line of `streaming-etl.jar` ")
        .append(
            "(`java -jar pipeline/target/streaming-etl.jar --help=StreamingEtlOptions` prints the same ")
        .append("descriptions). ")
        .append(
            "On Amazon Managed Service for Apache Flink and on a Flink cluster the launcher takes each one ")
        .append(
            "as a key of the property group `BeamApplicationProperties`, spelled UpperCamel (column *Launcher ")
        .append("key*); see [managed-flink.md](managed-flink.md). ")
        .append(
            "A bad or contradictory value stops the run before anything is read or written, with a message ")
        .append("that names the option and the value.\n\n")
        .append(
            "Where the original AWS streaming-ETL sample had a parameter, the option keeps its name ")
        .append(
            "(`inputKinesisStream`, `inputKafkaTopic`, `outputElasticsearchEndpoint`, ...), so existing ")
        .append(
            "application properties keep their meaning. The options of Beam and of its Flink runner ")
        .append(
            "(`--runner`, `--parallelism`, `--checkpointingInterval`, ...) are Beam's own; the defaults ")
        .append("that a local run gives them are in [running-locally.md](running-locally.md).\n");
    for (Class<?> group : StreamingEtlOptions.class.getInterfaces()) {
      appendGroup(page, group.asSubclass(PipelineOptions.class));
    }
    return page.toString();
  }

  private static void appendGroup(StringBuilder page, Class<? extends PipelineOptions> group) {
    page.append("\n## [`")
        .append(group.getSimpleName())
        .append("`](")
        .append(SOURCES)
        .append(group.getName().replace('.', '/'))
        .append(".java)\n\n")
        .append("| Option | Launcher key | Type | Default | Description |\n")
        .append("|---|---|---|---|---|\n");
    for (PipelineOptionDescriptor option : PipelineOptionsFactory.describe(Set.of(group))) {
      if (!option.getGroup().equals(group.getName())) {
        continue; // declared by a parent interface (Beam's PipelineOptions)
      }
      String name = lowerCamel(option.getName());
      Method getter = getter(group, name);
      String description = option.getDescription();
      if (getter.isAnnotationPresent(JsonIgnore.class)) {
        description += " Secret: never serialised with the options.";
      }
      page.append("| `--")
          .append(name)
          .append("` | `")
          .append(upperCamel(name))
          .append("` | ")
          .append(type(getter))
          .append(" | ")
          .append(!option.getDefaultValue().isEmpty() ? "`" + option.getDefaultValue() + "`" : "")
          .append(" | ")
          .append(cell(description))
          .append(" |\n");
    }
  }

  /** Beam describes options in lower_underscore; the command line spells them lowerCamel. */
  static String lowerCamel(String lowerUnderscore) {
    StringBuilder name = new StringBuilder();
    boolean upper = false;
    for (char c : lowerUnderscore.toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        name.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return name.toString();
  }

  /**
   * The launcher's property key for an option: {@code inputKafkaTopic} -> {@code InputKafkaTopic}.
   */
  static String upperCamel(String option) {
    return option.substring(0, 1).toUpperCase(Locale.ROOT) + option.substring(1);
  }

  private static Method getter(Class<?> group, String name) {
    for (String prefix : new String[] {"get", "is"}) {
      try {
        return group.getMethod(prefix + upperCamel(name));
      } catch (NoSuchMethodException e) {
        // try the next prefix
      }
    }
    throw new IllegalStateException(
        group.getName() + " describes --" + name + " but has no getter for it");
  }

  private static String type(Method getter) {
    Class<?> type = getter.getReturnType();
    if (type.isEnum()) {
      return Arrays.stream(type.getEnumConstants())
          .map(constant -> "`" + ((Enum<?>) constant).name() + "`")
          .collect(Collectors.joining(", "));
    }
    Type generic = getter.getGenericReturnType();
    if (generic instanceof ParameterizedType parameterized && type == java.util.List.class) {
      Type element = parameterized.getActualTypeArguments()[0];
      return "list of " + ((Class<?>) element).getSimpleName() + " (comma-separated or repeated)";
    }
    return type.getSimpleName();
  }

  /** Text that stays inside one Markdown table cell. */
  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
