package io.taxietl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.taxietl.options.StreamingEtlOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptionsValidatorTest {
  @TempDir Path folder;
  private Path input;

  @BeforeEach
  void createInput() throws IOException {
    input = Files.writeString(folder.resolve("events.jsonl"), "{}\n");
  }

  private StreamingEtlOptions options(String... args) {
    PipelineOptionsFactory.register(StreamingEtlOptions.class);
    return PipelineOptionsFactory.fromArgs(args).as(StreamingEtlOptions.class);
  }

  private List<String> problems(String... args) {
    return OptionsValidator.validate(options(args));
  }

  /** Valid arguments, with {@code overrides} ({@code --name=value}) replacing or adding options. */
  private String[] valid(String... overrides) {
    Map<String, String> args = new LinkedHashMap<>();
    args.put("inputPath", input.toString());
    args.put("outputPath", folder.resolve("trips").toString());
    args.put("deadLetterPath", folder.resolve("dead").toString());
    for (String override : overrides) {
      int eq = override.indexOf('=');
      args.put(override.substring(2, eq), override.substring(eq + 1));
    }
    return args.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
  }

  @Test
  void acceptsTheDefaultsWithAnInput() {
    assertThat(problems(valid())).isEmpty();
  }

  @Test
  void fileSourceNeedsAnInputThatMatchesFiles() {
    assertThat(problems("--outputPath=" + folder.resolve("t"), "--deadLetterPath=" + folder.resolve("d")))
        .containsExactly("--inputPath is required with --source=FILE");
    String missing = folder.resolve("nothing-*.jsonl").toString();
    assertThat(problems(valid("--inputPath=" + missing)))
        .containsExactly("--inputPath=" + missing + " matches no files");
  }

  @Test
  void namesTheOptionAndValueOfEachBadNumberAndZone() {
    assertThat(problems(valid("--windowSizeSeconds=0", "--numShards=0", "--eventTimeZone=Mars/Olympus")))
        .containsExactlyInAnyOrder(
            "--windowSizeSeconds=0 must be between 1 and 86400",
            "--numShards=0 must be between 1 and 1000",
            "--eventTimeZone=Mars/Olympus is not a time zone id (use e.g. UTC or America/New_York)");
  }

  @Test
  void rejectsAnInvalidPartitionTemplateWithItsReason() {
    assertThat(problems(valid("--partitionTemplate=year={pickup_yeer}")))
        .singleElement()
        .asString()
        .startsWith("--partitionTemplate=year={pickup_yeer} is invalid:")
        .contains("unknown field 'pickup_yeer'");
  }

  @Test
  void rejectsOverlappingOutputAndDeadLetterFolders() {
    String trips = folder.resolve("out").toString();
    assertThat(problems(valid("--outputPath=" + trips, "--deadLetterPath=" + trips + "/dead")))
        .singleElement()
        .asString()
        .contains("--deadLetterPath=" + trips + "/dead and --outputPath=" + trips + " must be separate folders");
    assertThat(problems(valid("--outputPath=" + trips, "--deadLetterPath=" + trips + "-dead"))).isEmpty();
  }

  @Test
  void rejectsAnUnknownFileSystemScheme() {
    assertThat(problems(valid("--outputPath=hdfs://cluster/trips")))
        .singleElement()
        .asString()
        .startsWith("--outputPath=hdfs://cluster/trips is not a usable folder:");
  }

  @Test
  void streamSourcesAreRefusedUntilTheyExist() {
    assertThat(problems(valid("--source=KINESIS")))
        .containsExactly("--source=KINESIS is not available in this build yet; use FILE or KAFKA");
  }
  @Test
  void localRunPortsMustBePortsAndDiffer() {
    assertThat(OptionsValidator.validateLocalRun(options("--flinkWebUiPort=70000", "--metricsPrometheusPort=-1"), true, null))
        .containsExactly(
            "--flinkWebUiPort=70000 must be 0 (off) or a port between 1 and 65535",
            "--metricsPrometheusPort=-1 must be 0 (off) or a port between 1 and 65535");
    assertThat(OptionsValidator.validateLocalRun(options("--flinkWebUiPort=8081", "--metricsPrometheusPort=8081"), true, null))
        .containsExactly("--metricsPrometheusPort=8081 and --flinkWebUiPort=8081 must be different ports");
    assertThat(OptionsValidator.validateLocalRun(options("--flinkWebUiPort=8081", "--metricsPrometheusPort=9249"), true, null))
        .isEmpty();
    assertThat(OptionsValidator.validateLocalRun(options(), false, null)).isEmpty();
  }

  @Test
  void localRunPortsNeedTheEmbeddedClusterAndNoFlinkConfDirOfTheUser() {
    assertThat(OptionsValidator.validateLocalRun(options("--metricsPrometheusPort=9249"), false, null))
        .singleElement()
        .asString()
        .startsWith("--metricsPrometheusPort=9249 apply to an embedded-Flink run only");
    assertThat(OptionsValidator.validateLocalRun(options("--flinkWebUiPort=8081"), true, "/etc/flink"))
        .singleElement()
        .asString()
        .startsWith("--flinkWebUiPort=8081 can not be combined with --flinkConfDir=/etc/flink");
  }

  @Test
  void theMainReportsLocalRunPortsOnAnotherRunner() {
    assertThat(
            org.junit.jupiter.api.Assertions.assertThrows(
                    StreamingEtlMain.InvalidOptionsException.class,
                    () ->
                        StreamingEtlMain.parseOptions(
                            valid("--runner=DirectRunner", "--flinkWebUiPort=8081"), System.out))
                .problems())
        .singleElement()
        .asString()
        .startsWith("--flinkWebUiPort=8081 apply to an embedded-Flink run only");
  }
}
