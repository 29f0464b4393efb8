package io.taxietl.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class PropertyGroupMappingTest {
  private static final String BEAM = PropertyGroupMapping.BEAM_GROUP;
  private static final String ORIGINAL = PropertyGroupMapping.ORIGINAL_GROUP;

  /**
   * The launcher's options, under the name the tests of the stream keys use: the Kafka and Kinesis
   * source options now exist in the pipeline itself, so the original sample's keys map onto the
   * real options.
   */
  public interface WithStreamOptions extends LauncherOptions {}

  private final PropertyGroupMapping launcher = new PropertyGroupMapping(LauncherOptions.class);
  private final PropertyGroupMapping withStreams =
      new PropertyGroupMapping(WithStreamOptions.class);

  @Test
  void beamGroupKeysAreUpperCamelOptionNames() {
    Map<String, OptionValue> options =
        launcher.toOptions(
            groups(
                BEAM,
                "Source",
                "FILE",
                "InputPath",
                "/data/events.jsonl",
                "OutputPath",
                "s3://bucket/trips",
                "DeadLetterPath",
                "s3://bucket/dead",
                "WindowSizeSeconds",
                "30",
                "NumShards",
                "2",
                "ParquetCompression",
                "ZSTD",
                "EventTimeZone",
                "America/New_York",
                "PartitionTemplate",
                "year={pickup_year:%04d}",
                "CheckpointingInterval",
                "10000",
                "Parallelism",
                "4",
                "JobName",
                "etl"),
            "test.json");

    assertThat(options)
        .containsEntry("source", new OptionValue("FILE", BEAM + ".Source"))
        .containsEntry("inputPath", new OptionValue("/data/events.jsonl", BEAM + ".InputPath"))
        .containsEntry("outputPath", new OptionValue("s3://bucket/trips", BEAM + ".OutputPath"))
        .containsEntry(
            "deadLetterPath", new OptionValue("s3://bucket/dead", BEAM + ".DeadLetterPath"))
        .containsEntry("windowSizeSeconds", new OptionValue("30", BEAM + ".WindowSizeSeconds"))
        .containsEntry("numShards", new OptionValue("2", BEAM + ".NumShards"))
        .containsEntry("parquetCompression", new OptionValue("ZSTD", BEAM + ".ParquetCompression"))
        .containsEntry(
            "eventTimeZone", new OptionValue("America/New_York", BEAM + ".EventTimeZone"))
        .containsEntry(
            "partitionTemplate",
            new OptionValue("year={pickup_year:%04d}", BEAM + ".PartitionTemplate"))
        .containsEntry(
            "checkpointingInterval", new OptionValue("10000", BEAM + ".CheckpointingInterval"))
        .containsEntry("parallelism", new OptionValue("4", BEAM + ".Parallelism"))
        .containsEntry("jobName", new OptionValue("etl", BEAM + ".JobName"))
        .hasSize(12);
  }

  @Test
  void beamGroupAcceptsEveryPipelineOptionAndTheListedRunnerOptionsOnly() {
    assertThat(launcher.beamGroupKeys())
        .contains(
            "Source",
            "InputPath",
            "OutputPath",
            "DeadLetterPath",
            "PartitionTemplate",
            "WindowSizeSeconds",
            "NumShards",
            "ParquetCompression",
            "EventTimeZone",
            "CheckpointingInterval",
            "Parallelism",
            "JobName")
        .doesNotContain("Runner", "FlinkMaster", "Streaming", "FilesToStage", "TempLocation");
    assertThat(withStreams.beamGroupKeys()).contains("InputKafkaTopic", "InputKinesisStream");
  }

  @Test
  void beamGroupKeyOfAStreamOptionMapsOnceTheOptionExists() {
    Map<String, OptionValue> options =
        withStreams.toOptions(
            groups(BEAM, "Source", "KAFKA", "InputKafkaTopic", "trips"), "test.json");

    assertThat(options)
        .containsEntry("inputKafkaTopic", new OptionValue("trips", BEAM + ".InputKafkaTopic"));
  }

  @Test
  void originalGroupKeepsTheSampleKeysAndChoosesTheSourceFromThem() {
    Map<String, OptionValue> kafka =
        withStreams.toOptions(
            groups(
                ORIGINAL,
                "InputKafkaBootstrapServers",
                "b-1.msk:9092",
                "InputKafkaTopic",
                "trips",
                "OutputBucket",
                "my-bucket",
                "OutputPrefix",
                "streaming-etl-output/",
                "ParquetConversion",
                "true",
                "OutputElasticsearchEndpoint",
                "https://search.example",
                "ElasticsearchBulkFlushMaxActions",
                "500"),
            "test.json");

    assertThat(kafka)
        .containsEntry("source", new OptionValue("KAFKA", ORIGINAL + ".InputKafkaBootstrapServers"))
        .containsEntry(
            "inputKafkaBootstrapServers",
            new OptionValue("b-1.msk:9092", ORIGINAL + ".InputKafkaBootstrapServers"))
        .containsEntry("inputKafkaTopic", new OptionValue("trips", ORIGINAL + ".InputKafkaTopic"))
        .containsEntry(
            "outputPath",
            new OptionValue(
                "s3://my-bucket/streaming-etl-output/",
                ORIGINAL + ".OutputBucket + " + ORIGINAL + ".OutputPrefix"))
        .containsEntry(
            "outputElasticsearchEndpoint",
            new OptionValue("https://search.example", ORIGINAL + ".OutputElasticsearchEndpoint"))
        .containsEntry(
            "elasticsearchBulkFlushMaxActions",
            new OptionValue("500", ORIGINAL + ".ElasticsearchBulkFlushMaxActions"))
        .hasSize(6);

    Map<String, OptionValue> kinesis =
        withStreams.toOptions(
            groups(
                ORIGINAL,
                "InputKinesisStream",
                "taxi-trips",
                "InputStreamRegion",
                "eu-west-1",
                "InputStreamInitalPosition",
                "TRIM_HORIZON",
                "OutputBucket",
                "s3://my-bucket/out"),
            "test.json");

    assertThat(kinesis)
        .containsEntry("source", new OptionValue("KINESIS", ORIGINAL + ".InputKinesisStream"))
        .containsEntry(
            "inputKinesisStream", new OptionValue("taxi-trips", ORIGINAL + ".InputKinesisStream"))
        .containsEntry(
            "inputStreamRegion", new OptionValue("eu-west-1", ORIGINAL + ".InputStreamRegion"))
        .containsEntry(
            "inputStreamInitialPosition",
            new OptionValue("TRIM_HORIZON", ORIGINAL + ".InputStreamInitalPosition"))
        .containsEntry(
            "outputPath", new OptionValue("s3://my-bucket/out/", ORIGINAL + ".OutputBucket"));
  }

  @Test
  void outputBucketMayBeANameOrAnS3LocationAsTheSampleDeployedIt() {
    assertThat(
            withStreams
                .toOptions(groups(ORIGINAL, "OutputBucket", "bucket-1"), "f")
                .get("outputPath")
                .value())
        .isEqualTo("s3://bucket-1/");
    assertThat(
            withStreams
                .toOptions(
                    groups(ORIGINAL, "OutputBucket", "s3://bucket-1/streaming-etl-output/"), "f")
                .get("outputPath")
                .value())
        .isEqualTo("s3://bucket-1/streaming-etl-output/");
    assertThat(
            withStreams
                .toOptions(
                    groups(ORIGINAL, "OutputBucket", "s3://bucket-1/a/", "OutputPrefix", "/b/c"),
                    "f")
                .get("outputPath")
                .value())
        .isEqualTo("s3://bucket-1/a/b/c/");
  }

  @Test
  void bothGroupsTogetherMapAndOneOptionSetTwiceIsAnError() {
    Map<String, Properties> groups = new LinkedHashMap<>();
    groups.putAll(
        groups(ORIGINAL, "InputKafkaTopic", "trips", "InputKafkaBootstrapServers", "k:9092"));
    groups.putAll(groups(BEAM, "WindowSizeSeconds", "30"));
    assertThat(withStreams.toOptions(groups, "f"))
        .containsKeys("inputKafkaTopic", "windowSizeSeconds");

    groups.putAll(groups(BEAM, "InputKafkaTopic", "other"));
    assertThatThrownBy(() -> withStreams.toOptions(groups, "f"))
        .isInstanceOf(InvalidApplicationPropertiesException.class)
        .hasMessageContaining(
            ORIGINAL
                + ".InputKafkaTopic and "
                + BEAM
                + ".InputKafkaTopic both set --inputKafkaTopic");
  }

  @Test
  void unknownKeysAreNamedWithTheirGroupAndASuggestion() {
    assertThatThrownBy(
            () ->
                launcher.toOptions(
                    groups(BEAM, "OutputPath", "/out", "inputPath", "/in", "Colour", "red"),
                    "app.json"))
        .isInstanceOfSatisfying(
            InvalidApplicationPropertiesException.class,
            e ->
                assertThat(e.problems())
                    .containsExactlyInAnyOrder(
                        BEAM + ".Colour is not a known key",
                        BEAM
                            + ".inputPath is not a known key (did you mean "
                            + BEAM
                            + ".InputPath?)"));
    assertThatThrownBy(
            () ->
                launcher.toOptions(
                    groups(ORIGINAL, "OutputBucket", "b-1", "InputShards", "4"), "app.json"))
        .hasMessageContaining(ORIGINAL + ".InputShards is not a known key of the original sample");
  }

  @Test
  void runnerSettingsBelongToTheLauncher() {
    assertThatThrownBy(
            () ->
                launcher.toOptions(
                    groups(BEAM, "Runner", "DirectRunner", "FlinkMaster", "x:1"), "f"))
        .isInstanceOfSatisfying(
            InvalidApplicationPropertiesException.class,
            e ->
                assertThat(e.problems())
                    .containsExactlyInAnyOrder(
                        BEAM + ".Runner cannot be set: the launcher sets --runner itself",
                        BEAM
                            + ".FlinkMaster cannot be set: the launcher sets --flinkMaster itself"));
  }

  @Test
  void missingOrUnknownGroupsAreReported() {
    assertThatThrownBy(() -> launcher.toOptions(Map.of(), "/etc/flink/application_properties.json"))
        .hasMessageContaining(
            "no property group "
                + BEAM
                + " or "
                + ORIGINAL
                + " in /etc/flink/application_properties.json (it has no property groups at all)");
    assertThatThrownBy(
            () ->
                launcher.toOptions(groups("BeamApplicationProperty", "Source", "FILE"), "app.json"))
        .isInstanceOfSatisfying(
            InvalidApplicationPropertiesException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "property group BeamApplicationProperty (in app.json) is not known: use "
                            + BEAM
                            + " (or the original sample's "
                            + ORIGINAL
                            + ")",
                        "no property group " + BEAM + " or " + ORIGINAL + " in app.json"));
  }

  @Test
  void badValuesAreNamedWithGroupKeyAndValue() {
    assertThatThrownBy(
            () ->
                launcher.toOptions(
                    groups(
                        BEAM,
                        "WindowSizeSeconds",
                        "soon",
                        "Source",
                        "FTP",
                        "Parallelism",
                        "",
                        "NumShards",
                        "2"),
                    "f"))
        .isInstanceOfSatisfying(
            InvalidApplicationPropertiesException.class,
            e -> {
              assertThat(e.problems()).hasSize(3);
              assertThat(e.problems())
                  .anySatisfy(
                      p ->
                          assertThat(p)
                              .isEqualTo(
                                  BEAM
                                      + ".WindowSizeSeconds=soon is not a valid value for --windowSizeSeconds: "
                                      + "expected a whole number from -2147483648 to 2147483647"))
                  .anySatisfy(
                      p ->
                          assertThat(p)
                              .isEqualTo(
                                  BEAM
                                      + ".Source=FTP is not a valid value for --source: expected one of "
                                      + "FILE, KAFKA, KINESIS"))
                  .contains(BEAM + ".Parallelism is empty");
            });
  }

  @Test
  void originalKeysThisPipelineCannotHonourAreClearErrors() {
    assertThatThrownBy(
            () ->
                launcher.toOptions(
                    groups(
                        ORIGINAL,
                        "InputKafkaTopic",
                        "trips",
                        "InputKafkaBootstrapServers",
                        "k:9092",
                        "OutputBucket",
                        "b-1",
                        "ParquetConversion",
                        "false",
                        "OutputDiscarding",
                        "true"),
                    "f"))
        .isInstanceOfSatisfying(
            InvalidApplicationPropertiesException.class,
            e ->
                assertThat(e.problems())
                    .containsExactlyInAnyOrder(
                        ORIGINAL
                            + ".ParquetConversion=false is not supported: this pipeline always writes Parquet (set it to true or remove it)",
                        ORIGINAL
                            + ".OutputDiscarding is not supported: this pipeline always writes its trips (remove the key)"));
  }

  @Test
  void originalGroupWithTwoSourcesOrAPrefixWithoutBucketIsRefused() {
    assertThatThrownBy(
            () ->
                withStreams.toOptions(
                    groups(
                        ORIGINAL,
                        "InputKinesisStream",
                        "s",
                        "InputKafkaTopic",
                        "t",
                        "OutputPrefix",
                        "p/"),
                    "f"))
        .isInstanceOfSatisfying(
            InvalidApplicationPropertiesException.class,
            e ->
                assertThat(e.problems())
                    .containsExactlyInAnyOrder(
                        ORIGINAL
                            + ".InputKinesisStream and "
                            + ORIGINAL
                            + ".InputKafkaTopic name two sources: set either a Kinesis stream or a Kafka topic",
                        ORIGINAL + ".OutputPrefix needs " + ORIGINAL + ".OutputBucket too"));
    assertThatThrownBy(
            () -> withStreams.toOptions(groups(ORIGINAL, "OutputBucket", "https://bucket/x"), "f"))
        .hasMessageContaining(
            ORIGINAL + ".OutputBucket=https://bucket/x must be a bucket name or an s3:// location");
    assertThatThrownBy(
            () -> withStreams.toOptions(groups(ORIGINAL, "OutputBucket", "My_Bucket"), "f"))
        .hasMessageContaining(ORIGINAL + ".OutputBucket=My_Bucket does not name an S3 bucket");
  }

  static Map<String, Properties> groups(String group, String... keysAndValues) {
    Properties properties = new Properties();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      properties.setProperty(keysAndValues[i], keysAndValues[i + 1]);
    }
    Map<String, Properties> groups = new LinkedHashMap<>();
    groups.put(group, properties);
    return groups;
  }
}
