package io.taxietl.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.taxietl.options.SourceType;
import io.taxietl.pipeline.FlinkRunnerSettings;
import io.taxietl.pipeline.StreamingEtlPipeline;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Flink runner uses each Beam step's full name as its operator's uid, and a savepoint restores
 * state by uid: a renamed step loses its state. This test fails when the set of step names changes
 * without {@value #LIST}, the only copy of the list, changing too.
 */
class StepNamesTest {
  static final String LIST = "/step-names.txt";

  /**
   * The arguments that build each graph, by section of {@value #LIST}: one per source (a new source
   * adds its line here) and the file source with the Elasticsearch sink.
   */
  private static final Map<String, List<String>> GRAPHS = new LinkedHashMap<>();

  static {
    GRAPHS.put(
        SourceType.FILE.name(), List.of("--source=FILE", "--inputPath=/data/events-*.jsonl"));
    GRAPHS.put(
        SourceType.KAFKA.name(),
        List.of(
            "--source=KAFKA",
            "--inputKafkaBootstrapServers=broker:9092",
            "--inputKafkaTopic=trips",
            "--outputKafkaBootstrapServers=broker:9092",
            "--outputKafkaTopic=trips-clean",
            "--deadLetterKafkaTopic=trips-dead-letters"));
    GRAPHS.put(
        SourceType.KINESIS.name(),
        List.of(
            "--source=KINESIS",
            "--inputKinesisStream=trips",
            "--inputStreamRegion=eu-west-1",
            "--outputPath=s3://my-bucket/trips",
            "--deadLetterPath=s3://my-bucket/dead-letters"));
    GRAPHS.put(
        "FILE_TO_ELASTICSEARCH",
        List.of(
            "--source=FILE",
            "--inputPath=/data/events-*.jsonl",
            "--outputElasticsearchEndpoint=http://search:9200"));
  }

  /**
   * KinesisIO resolves credentials from the default chain while the graph is built; placeholders
   * keep the chain from asking an EC2 metadata endpoint. Nothing is called with them.
   */
  @BeforeAll
  static void placeholderAwsCredentials() {
    System.setProperty("aws.accessKeyId", "placeholder");
    System.setProperty("aws.secretAccessKey", "placeholder");
  }

  /** What the launcher sets for every source (see LaunchArguments). */
  private static final List<String> LAUNCHER_ARGS =
      List.of("--runner=" + FlinkRunnerSettings.RUNNER, "--streaming=true");

  @Test
  void stepNamesAreTheCheckedInOnes() throws IOException {
    Map<String, List<String>> expected = checkedInList();
    Map<String, List<String>> actual = new LinkedHashMap<>();
    GRAPHS.forEach((graph, args) -> actual.put(graph, stepNames(args)));
    if (!asSets(actual).equals(asSets(expected))) {
      fail(difference(expected, actual));
    }
  }

  /**
   * The full names of all composite and primitive steps, in the order the pipeline applies them.
   */
  static List<String> stepNames(List<String> args) {
    List<String> all = new ArrayList<>(LAUNCHER_ARGS);
    all.addAll(args);
    LauncherOptions options =
        PipelineOptionsFactory.fromArgs(all.toArray(String[]::new)).as(LauncherOptions.class);
    Pipeline pipeline = StreamingEtlPipeline.create(options);
    List<String> names = new ArrayList<>();
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
            if (!node.isRootNode()) {
              names.add(node.getFullName());
            }
            return CompositeBehavior.ENTER_TRANSFORM;
          }

          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            names.add(node.getFullName());
          }
        });
    assertThat(new TreeSet<>(names)).as("step names are unique").hasSize(names.size());
    return names;
  }

  /** The checked-in list: sections headed {@code [SOURCE]}, one full step name a line. */
  private static Map<String, List<String>> checkedInList() throws IOException {
    return parse(new String(resource(LIST).readAllBytes(), StandardCharsets.UTF_8));
  }

  private static Map<String, List<String>> parse(String text) {
    Map<String, List<String>> sections = new LinkedHashMap<>();
    List<String> current = null;
    for (String line : text.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
        current = new ArrayList<>();
        sections.put(trimmed.substring(1, trimmed.length() - 1), current);
      } else if (current == null) {
        fail(LIST + ": step name before the first [SOURCE] header: " + trimmed);
      } else {
        current.add(trimmed);
      }
    }
    return sections;
  }

  private static String difference(
      Map<String, List<String>> expected, Map<String, List<String>> actual) {
    StringBuilder message =
        new StringBuilder(
                "The pipeline's step names differ from kda-launcher/src/test/resources"
                    + LIST
                    + ".\n")
            .append(
                "On Flink each step name is an operator uid: a renamed or removed step cannot restore its state ")
            .append(
                "from a savepoint taken before the change (users then need --allowNonRestoredState or lose ")
            .append(
                "state). If the change is intended, update the list (the current one is below) and say so ")
            .append("in the release notes.\n");
    for (String source : new TreeSet<>(concat(expected.keySet(), actual.keySet()))) {
      List<String> want = expected.getOrDefault(source, List.of());
      List<String> have = actual.getOrDefault(source, List.of());
      message.append("\n[").append(source).append("]\n");
      want.stream()
          .filter(name -> !have.contains(name))
          .forEach(name -> message.append("  - ").append(name).append('\n'));
      have.stream()
          .filter(name -> !want.contains(name))
          .forEach(name -> message.append("  + ").append(name).append('\n'));
    }
    message.append("\nThe current list:\n");
    actual.forEach(
        (source, names) -> {
          message.append('[').append(source).append("]\n");
          names.forEach(name -> message.append(name).append('\n'));
        });
    return message.toString();
  }

  /** Order does not matter to Flink: only the set of uids does. */
  private static Map<String, TreeSet<String>> asSets(Map<String, List<String>> sections) {
    Map<String, TreeSet<String>> sets = new LinkedHashMap<>();
    sections.forEach((source, names) -> sets.put(source, new TreeSet<>(names)));
    return sets;
  }

  private static List<String> concat(Collection<String> a, Collection<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static InputStream resource(String name) {
    InputStream in = StepNamesTest.class.getResourceAsStream(name);
    if (in == null) {
      fail("missing test resource " + name);
    }
    return in;
  }
}
