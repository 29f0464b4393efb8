package io.taxietl.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taxietl.options.ParquetCompression;
import io.taxietl.options.SourceType;
import io.taxietl.pipeline.FlinkRunnerSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.apache.beam.runners.flink.RestoreSafeFlinkRunner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's options from a properties file in the managed service's format and the command
 * line.
 */
class KdaLauncherTest {
  @TempDir Path work;
  private Path input;

  @BeforeEach
  void createInput() throws IOException {
    input = Files.writeString(work.resolve("events.jsonl"), "{}\n");
  }

  @Test
  void propertiesFileBecomesOptionsWithTheFlinkDefaults() throws IOException {
    Path file =
        properties(beamGroup("\"WindowSizeSeconds\": \"15\", \"ParquetCompression\": \"GZIP\""));

    LauncherOptions options =
        KdaLauncher.options(args("--applicationPropertiesFile=" + file), OptionalLong::empty);

    assertThat(options.getSource()).isEqualTo(SourceType.FILE);
    assertThat(options.getInputPath()).isEqualTo(input.toString());
    assertThat(options.getOutputPath()).isEqualTo(work.resolve("out/trips").toString());
    assertThat(options.getDeadLetterPath()).isEqualTo(work.resolve("out/dead").toString());
    assertThat(options.getWindowSizeSeconds()).isEqualTo(15);
    assertThat(options.getParquetCompression()).isEqualTo(ParquetCompression.GZIP);
    assertThat(options.getRunner()).isEqualTo(RestoreSafeFlinkRunner.class);
    assertThat(options.getMaxParallelism()).isEqualTo(FlinkRunnerSettings.MAX_PARALLELISM);
    assertThat(options.getMaxBundleSize()).isEqualTo(FlinkRunnerSettings.MAX_BUNDLE_SIZE);
    assertThat(options.getFlinkMaster()).isEqualTo("[auto]");
    assertThat(options.isStreaming()).isTrue();
    assertThat(options.getAttachedMode()).isFalse();
    assertThat(options.getCheckpointingInterval())
        .isEqualTo(LaunchArguments.DEFAULT_CHECKPOINTING_INTERVAL_MILLIS);
    assertThat(options.getShutdownSourcesAfterIdleMs()).isZero();
    assertThat(options.getJobName()).isEqualTo(LaunchArguments.DEFAULT_JOB_NAME);
  }

  @Test
  void theEnvironmentsCheckpointIntervalIsUsedUnlessOneIsSet() throws IOException {
    Path plain = properties(beamGroup(""));
    assertThat(
            KdaLauncher.options(
                    args("--applicationPropertiesFile=" + plain), () -> OptionalLong.of(7000))
                .getCheckpointingInterval())
        .isEqualTo(7000);

    Path withInterval = properties(beamGroup("\"CheckpointingInterval\": \"20000\""));
    assertThat(
            KdaLauncher.options(
                    args("--applicationPropertiesFile=" + withInterval),
                    () -> OptionalLong.of(7000))
                .getCheckpointingInterval())
        .isEqualTo(20000);
    assertThat(
            KdaLauncher.options(
                    args(
                        "--applicationPropertiesFile=" + withInterval,
                        "--checkpointingInterval=3000"),
                    () -> OptionalLong.of(7000))
                .getCheckpointingInterval())
        .isEqualTo(3000);
  }

  @Test
  void commandLineArgumentsOverrideProperties() throws IOException {
    Path file =
        properties(beamGroup("\"WindowSizeSeconds\": \"15\", \"JobName\": \"from-properties\""));

    LauncherOptions options =
        KdaLauncher.options(
            args(
                "--applicationPropertiesFile=" + file,
                "--windowSizeSeconds=45",
                "--numShards=3",
                "--flinkMaster=[local]"),
            OptionalLong::empty);

    assertThat(options.getWindowSizeSeconds()).isEqualTo(45);
    assertThat(options.getNumShards()).isEqualTo(3);
    assertThat(options.getFlinkMaster()).isEqualTo("[local]");
    assertThat(options.getJobName()).isEqualTo("from-properties");
  }

  @Test
  void invalidValuesNameTheKeyTheyCameFrom() throws IOException {
    Path file =
        properties(
            "[{\"PropertyGroupId\": \"BeamApplicationProperties\", \"PropertyMap\": {"
                + "\"InputPath\": \""
                + work.resolve("nothing-*.jsonl")
                + "\","
                + "\"OutputPath\": \""
                + work.resolve("out")
                + "\","
                + "\"DeadLetterPath\": \""
                + work.resolve("out/dead")
                + "\","
                + "\"WindowSizeSeconds\": \"0\"}}]");

    assertThatThrownBy(
            () ->
                KdaLauncher.options(
                    args("--applicationPropertiesFile=" + file), OptionalLong::empty))
        .isInstanceOfSatisfying(
            InvalidApplicationPropertiesException.class,
            e ->
                assertThat(e.problems())
                    .containsExactlyInAnyOrder(
                        "--inputPath="
                            + work.resolve("nothing-*.jsonl")
                            + " matches no files"
                            + " [from BeamApplicationProperties.InputPath]",
                        "--deadLetterPath="
                            + work.resolve("out/dead")
                            + " and --outputPath="
                            + work.resolve("out")
                            + " must be separate folders, neither inside the other: readers of the trip folder would "
                            + "see the dead-letter files [from BeamApplicationProperties.DeadLetterPath, "
                            + "BeamApplicationProperties.OutputPath]",
                        "--windowSizeSeconds=0 must be between 1 and 86400 [from BeamApplicationProperties.WindowSizeSeconds]"));
    assertThatThrownBy(
            () ->
                KdaLauncher.options(
                    args(
                        "--applicationPropertiesFile=" + file,
                        "--numShards=0",
                        "--windowSizeSeconds=5",
                        "--inputPath=" + input),
                    OptionalLong::empty))
        .isInstanceOfSatisfying(
            InvalidApplicationPropertiesException.class,
            e ->
                assertThat(e.problems())
                    .contains("--numShards=0 must be between 1 and 1000 [from the command line]")
                    .noneMatch(p -> p.contains("windowSizeSeconds") || p.contains("inputPath")));
  }

  @Test
  void unreadableCommandLineValuesAreAllNamedInTheWordsOfThePropertyProblems() throws IOException {
    Path file = properties(beamGroup(""));

    assertThatThrownBy(
            () ->
                KdaLauncher.options(
                    args(
                        "--applicationPropertiesFile=" + file,
                        "--source=PUBSUB",
                        "--windowSizeSeconds=abc",
                        "--parquetCompression=LZ4"),
                    OptionalLong::empty))
        .isInstanceOfSatisfying(
            InvalidApplicationPropertiesException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "--source=PUBSUB is invalid: expected one of FILE, KAFKA, KINESIS"
                            + " [from the command line]",
                        "--windowSizeSeconds=abc is invalid: expected a whole number from"
                            + " -2147483648 to 2147483647 [from the command line]",
                        "--parquetCompression=LZ4 is invalid: expected one of SNAPPY, GZIP, ZSTD,"
                            + " UNCOMPRESSED [from the command line]"));
  }

  @Test
  void aMissingOrMalformedPropertiesFileStopsTheLaunch() throws IOException {
    Path missing = work.resolve("missing.json");
    assertThatThrownBy(
            () ->
                KdaLauncher.options(
                    args("--applicationPropertiesFile=" + missing), OptionalLong::empty))
        .isInstanceOf(InvalidApplicationPropertiesException.class)
        .hasMessageContaining("--applicationPropertiesFile=" + missing + ": no such file");

    Path malformed = properties("{\"PropertyGroupId\": ");
    assertThatThrownBy(
            () ->
                KdaLauncher.options(
                    args("--applicationPropertiesFile=" + malformed), OptionalLong::empty))
        .isInstanceOf(InvalidApplicationPropertiesException.class)
        .hasMessageContaining(
            "--applicationPropertiesFile="
                + malformed
                + " is not a property-group file in the managed service's format");

    Path otherFields = properties("[{\"GroupId\": \"BeamApplicationProperties\", \"Map\": {}}]");
    assertThatThrownBy(
            () ->
                KdaLauncher.options(
                    args("--applicationPropertiesFile=" + otherFields), OptionalLong::empty))
        .hasMessageContaining("is not a property-group file in the managed service's format");
  }

  @Test
  void withoutAFileTheServicesFileIsReadAndItsAbsenceNamed() {
    assertThat(Path.of(ApplicationPropertiesFile.SERVICE_FILE)).doesNotExist();

    assertThatThrownBy(() -> KdaLauncher.options(args(), OptionalLong::empty))
        .isInstanceOf(InvalidApplicationPropertiesException.class)
        .hasMessageContaining(
            "no property group BeamApplicationProperties or FlinkApplicationProperties in "
                + "/etc/flink/application_properties.json (for a run outside the managed service, pass "
                + "--applicationPropertiesFile=FILE)");
  }

  @Test
  void commandLineArgumentsMustBeOptions() {
    assertThatThrownBy(
            () ->
                KdaLauncher.options(
                    args("run", "--applicationPropertiesFile="), OptionalLong::empty))
        .isInstanceOfSatisfying(
            InvalidApplicationPropertiesException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "argument 'run' is not of the form --name=value",
                        "--applicationPropertiesFile needs a file name"));
  }

  @Test
  void theOriginalSamplesKinesisToS3PropertiesBecomeAKinesisSourceAndAnS3Output()
      throws IOException {
    Path file =
        properties(
            "[{\"PropertyGroupId\": \"FlinkApplicationProperties\", \"PropertyMap\": "
                + "{\"InputKinesisStream\": \"taxi\", \"InputStreamRegion\": \"eu-west-1\", "
                + "\"InputStreamInitalPosition\": \"TRIM_HORIZON\", \"OutputBucket\": \"my-bucket\", "
                + "\"OutputPrefix\": \"etl/trips\"}}, "
                + "{\"PropertyGroupId\": \"BeamApplicationProperties\", \"PropertyMap\": "
                + "{\"DeadLetterPath\": \"s3://my-bucket/etl/dead-letters\"}}]");

    LauncherOptions options =
        KdaLauncher.options(args("--applicationPropertiesFile=" + file), OptionalLong::empty);

    assertThat(options.getSource()).isEqualTo(SourceType.KINESIS);
    assertThat(options.getInputKinesisStream()).isEqualTo("taxi");
    assertThat(options.getInputStreamRegion()).isEqualTo("eu-west-1");
    assertThat(options.getInputStreamInitialPosition()).isEqualTo("TRIM_HORIZON");
    assertThat(options.getOutputPath()).isEqualTo("s3://my-bucket/etl/trips/");
    assertThat(options.getDeadLetterPath()).isEqualTo("s3://my-bucket/etl/dead-letters");
  }

  @Test
  void localRunPortsAreRefusedBecauseAClusterHasItsOwnDashboardAndReporters() throws IOException {
    Path file = properties(beamGroup("\"MetricsPrometheusPort\": \"9249\""));

    assertThatThrownBy(
            () ->
                KdaLauncher.options(
                    args("--applicationPropertiesFile=" + file), OptionalLong::empty))
        .isInstanceOfSatisfying(
            InvalidApplicationPropertiesException.class,
            e ->
                assertThat(e.problems())
                    .singleElement()
                    .asString()
                    .startsWith("--metricsPrometheusPort=9249 apply to an embedded-Flink run only")
                    .contains("BeamApplicationProperties.MetricsPrometheusPort"));
  }

  private String beamGroup(String extra) {
    return "[{\"PropertyGroupId\": \"BeamApplicationProperties\", \"PropertyMap\": {"
        + "\"Source\": \"FILE\", \"InputPath\": \""
        + input
        + "\", "
        + "\"OutputPath\": \""
        + work.resolve("out/trips")
        + "\", "
        + "\"DeadLetterPath\": \""
        + work.resolve("out/dead")
        + "\""
        + (extra.isEmpty() ? "" : ", " + extra)
        + "}}]";
  }

  private Path properties(String json) throws IOException {
    return Files.writeString(
        Files.createTempFile(work, "application-properties-", ".json"),
        json,
        StandardCharsets.UTF_8);
  }

  private static String[] args(String... args) {
    return args;
  }
}
