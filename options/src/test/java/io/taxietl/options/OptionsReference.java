package io.taxietl.options;

import java.util.stream.Collectors;

/**
 * Renders {@code docs/options.md}, the options reference, from what the code says ({@link
 * OptionDescriptions}, which the command line's {@code --help} shows too): each option's name,
 * launcher key, type, {@code @Default} value and {@code @Description}, grouped by the interface
 * that declares it, in the order {@link StreamingEtlOptions} combines them.
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
            "(`java -jar pipeline/target/streaming-etl.jar --help` prints the same descriptions, grouped ")
        .append("the same way). ")
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
    for (OptionDescriptions.Group group : OptionDescriptions.groups(StreamingEtlOptions.class)) {
      appendGroup(page, group);
    }
    return page.toString();
  }

  private static void appendGroup(StringBuilder page, OptionDescriptions.Group group) {
    page.append("\n## [`")
        .append(group.name())
        .append("`](")
        .append(SOURCES)
        .append(group.declaredBy().getName().replace('.', '/'))
        .append(".java)\n\n")
        .append("| Option | Launcher key | Type | Default | Description |\n")
        .append("|---|---|---|---|---|\n");
    for (OptionDescriptions.Option option : group.options()) {
      page.append("| `--")
          .append(option.name())
          .append("` | `")
          .append(option.key())
          .append("` | ")
          .append(type(option))
          .append(" | ")
          .append(!option.defaultValue().isEmpty() ? "`" + option.defaultValue() + "`" : "")
          .append(" | ")
          .append(cell(option.description()))
          .append(" |\n");
    }
  }

  private static String type(OptionDescriptions.Option option) {
    return option.enumValues().isEmpty()
        ? option.typeName()
        : option.enumValues().stream()
            .map(value -> "`" + value + "`")
            .collect(Collectors.joining(", "));
  }

  /** Text that stays inside one Markdown table cell. */
  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
