package io.taxietl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.taxietl.options.OptionDescriptions;
import io.taxietl.options.StreamingEtlOptions;
import io.taxietl.pipeline.local.LocalRunDefaults;
import io.taxietl.testing.ScriptedServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's own checks, on top of the validator's (see OptionsValidatorTest): values Beam
 * cannot read, --help, and what the front page says about the defaults.
 */
class StreamingEtlMainTest {
  @TempDir Path folder;

  @Test
  void theMainReportsLocalRunPortsOnAnotherRunner() throws IOException {
    Path input = Files.writeString(folder.resolve("events.jsonl"), "{}\n");
    String[] args = {
      "--inputPath=" + input,
      "--outputPath=" + folder.resolve("trips"),
      "--deadLetterPath=" + folder.resolve("dead"),
      "--runner=DirectRunner",
      "--flinkWebUiPort=8081"
    };
    assertThat(
            assertThrows(
                    StreamingEtlMain.InvalidOptionsException.class,
                    () -> StreamingEtlMain.parseOptions(args, System.out))
                .problems())
        .singleElement()
        .asString()
        .startsWith("--flinkWebUiPort=8081 apply to an embedded-Flink run only");
  }

  @Test
  void everyValueOfTheWrongTypeIsNamedAtOnceWithoutParserNoise() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        new StreamingEtlMain(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err))
            .run(
                new String[] {
                  "--source=PUBSUB", "--windowSizeSeconds=abc", "--parquetCompression=LZ4"
                });

    assertThat(exit).isEqualTo(StreamingEtlMain.EXIT_BAD_OPTIONS);
    assertThat(err.toString(StandardCharsets.UTF_8).lines())
        .containsExactly(
            "Invalid options:",
            "  --source=PUBSUB is invalid: expected one of FILE, KAFKA, KINESIS",
            "  --windowSizeSeconds=abc is invalid: expected a whole number from -2147483648 to"
                + " 2147483647",
            "  --parquetCompression=LZ4 is invalid: expected one of SNAPPY, GZIP, ZSTD,"
                + " UNCOMPRESSED");
  }

  @Test
  void helpShowsThisPipelinesOptionsGroupedAsTheReferenceAndTheLocalRunsRunner() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit = new StreamingEtlMain(new PrintStream(out), System.err).run(new String[] {"--help"});

    assertThat(exit).isEqualTo(StreamingEtlMain.EXIT_OK);
    String help = out.toString(StandardCharsets.UTF_8);
    assertThat(help)
        .startsWith("Usage: java -jar streaming-etl.jar [--option=value ...]")
        .contains("\nSourceOptions\n  --source=FILE|KAFKA|KINESIS  (default: FILE)\n")
        .contains("  --appendToOutput=boolean  (default: false)")
        .contains(
            "--runner=" + FlinkRunnerSettings.RUNNER + " --flinkMaster=[local] --parallelism=2")
        .contains("--checkpointingInterval=5000")
        .doesNotContain("The set of registered options are");
    List<String> groups =
        OptionDescriptions.groups(StreamingEtlOptions.class).stream()
            .map(OptionDescriptions.Group::name)
            .toList();
    List<String> headings =
        help.lines().filter(line -> groups.contains(line)).collect(Collectors.toList());
    assertThat(headings).as("groups in the order of docs/options.md").isEqualTo(groups);
    for (OptionDescriptions.Group group : OptionDescriptions.groups(StreamingEtlOptions.class)) {
      for (OptionDescriptions.Option option : group.options()) {
        assertThat(help).contains("\n  --" + option.name() + "=");
      }
    }
    assertThat(help.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(100));
  }

  @Test
  void helpOnOneGroupOrOnBeamsOptionsOrOnNothingKnown() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(
            new StreamingEtlMain(new PrintStream(out), System.err)
                .run(new String[] {"--help=KafkaSourceOptions"}))
        .isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .startsWith("KafkaSourceOptions\n  --inputKafkaBootstrapServers=String")
        .doesNotContain("--source=");

    ByteArrayOutputStream flink = new ByteArrayOutputStream();
    assertThat(
            new StreamingEtlMain(new PrintStream(flink), System.err)
                .run(new String[] {"--help=FlinkPipelineOptions"}))
        .isZero();
    assertThat(flink.toString(StandardCharsets.UTF_8)).contains("--checkpointingInterval");

    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertThat(
            new StreamingEtlMain(System.out, new PrintStream(err))
                .run(new String[] {"--help=Colours"}))
        .isEqualTo(StreamingEtlMain.EXIT_BAD_OPTIONS);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--help=Colours names no options group");
  }

  /** What the front page says about the default run is what the defaults and --help say. */
  @Test
  void theReadmeStatesTheRunnerDefaultsThatTheHelpPrints() throws IOException {
    Map<String, String> defaults = LocalRunDefaults.runnerDefaults();
    String readme =
        Files.readString(ScriptedServer.repoRoot().resolve("README.md"), StandardCharsets.UTF_8);
    long checkpointSeconds = Long.parseLong(defaults.get("checkpointingInterval")) / 1000;
    assertThat(readme)
        .contains(
            "run it on embedded Flink (parallelism "
                + defaults.get("parallelism")
                + ", a checkpoint\nevery "
                + checkpointSeconds
                + " s)")
        .contains("Running on " + defaults.get("runner") + ":");
    String runningLocally =
        Files.readString(
            ScriptedServer.repoRoot().resolve("docs/running-locally.md"), StandardCharsets.UTF_8);
    assertThat(runningLocally)
        .contains("| `--runner` | `" + defaults.get("runner") + "` |")
        .contains("| `--parallelism` | `" + defaults.get("parallelism") + "` |")
        .contains(
            "| `--checkpointingInterval` | `" + defaults.get("checkpointingInterval") + "` |");
  }
}
