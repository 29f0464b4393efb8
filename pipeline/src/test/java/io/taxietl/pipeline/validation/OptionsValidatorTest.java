package io.taxietl.pipeline.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.taxietl.options.StreamingEtlOptions;
import io.taxietl.pipeline.StreamingEtlPipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.aws2.options.S3Options;
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

  /** The problems of {@code args}, after the file systems are set up as the launchers do. */
  private List<String> problems(String... args) {
    StreamingEtlOptions options = options(args);
    StreamingEtlPipeline.setUpFileSystems(options);
    return OptionsValidator.validate(options);
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
    return args.entrySet().stream()
        .map(e -> "--" + e.getKey() + "=" + e.getValue())
        .toArray(String[]::new);
  }

  @Test
  void acceptsTheDefaultsWithAnInput() {
    assertThat(problems(valid())).isEmpty();
  }

  @Test
  void validationChangesNothing() {
    StreamingEtlOptions options = options(valid());
    Class<?> clientFactory = options.as(S3Options.class).getS3ClientFactoryClass();
    assertThat(OptionsValidator.validate(options)).isEmpty();
    assertThat(options.as(S3Options.class).getS3ClientFactoryClass()).isEqualTo(clientFactory);
  }

  @Test
  void fileSourceNeedsAnInputThatMatchesFiles() {
    assertThat(
            problems(
                "--outputPath=" + folder.resolve("t"), "--deadLetterPath=" + folder.resolve("d")))
        .containsExactly("--inputPath is required with --source=FILE");
    String missing = folder.resolve("nothing-*.jsonl").toString();
    assertThat(problems(valid("--inputPath=" + missing)))
        .containsExactly("--inputPath=" + missing + " matches no files");
  }

  @Test
  void namesTheOptionAndValueOfEachBadNumberAndZone() {
    assertThat(
            problems(
                valid("--windowSizeSeconds=0", "--numShards=0", "--eventTimeZone=Mars/Olympus")))
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
        .contains(
            "--deadLetterPath="
                + trips
                + "/dead and --outputPath="
                + trips
                + " must be separate folders");
    assertThat(problems(valid("--outputPath=" + trips, "--deadLetterPath=" + trips + "-dead")))
        .isEmpty();
  }

  @Test
  void rejectsAnUnknownFileSystemScheme() {
    assertThat(problems(valid("--outputPath=hdfs://cluster/trips")))
        .singleElement()
        .asString()
        .startsWith("--outputPath=hdfs://cluster/trips is not a usable folder:");
  }

  /** Valid Kinesis arguments, with {@code overrides} replacing or adding options. */
  private String[] kinesis(String... overrides) {
    Map<String, String> args = new LinkedHashMap<>();
    args.put("source", "KINESIS");
    args.put("inputKinesisStream", "taxi-trips");
    args.put("inputStreamRegion", "eu-west-1");
    args.put("outputPath", "s3://my-bucket/etl/trips");
    args.put("deadLetterPath", "s3://my-bucket/etl/dead-letters");
    for (String override : overrides) {
      int eq = override.indexOf('=');
      args.put(override.substring(2, eq), override.substring(eq + 1));
    }
    return args.entrySet().stream()
        .map(e -> "--" + e.getKey() + "=" + e.getValue())
        .toArray(String[]::new);
  }

  @Test
  void refusesExactlyOnceKafkaOutputFromFilesNamingTheOptions() {
    assertThat(
            problems(
                valid(
                    "--outputKafkaBootstrapServers=127.0.0.1:9092",
                    "--outputKafkaTopic=trips-clean",
                    "--kafkaExactlyOnce=true")))
        .singleElement()
        .asString()
        .startsWith("--kafkaExactlyOnce=true needs --source=KAFKA or KINESIS");
    assertThat(
            problems(
                valid(
                    "--outputKafkaBootstrapServers=127.0.0.1:9092",
                    "--outputKafkaTopic=trips-clean")))
        .isEmpty();
  }

  @Test
  void acceptsKinesisToS3() {
    assertThat(problems(kinesis())).isEmpty();
    assertThat(
            problems(
                kinesis(
                    "--inputStreamInitialPosition=TRIM_HORIZON",
                    "--getRecordsIntervalMillis=200",
                    "--kinesisEndpoint=http://127.0.0.1:4567",
                    "--s3Endpoint=http://127.0.0.1:9090",
                    "--s3PathStyleAccess=true",
                    "--s3Region=us-east-1")))
        .isEmpty();
    assertThat(problems(kinesis("--inputStreamInitialPosition=2019-03-01T00:00:00Z"))).isEmpty();
    assertThat(
            problems(
                kinesis(
                    "--outputPath=" + folder.resolve("t"),
                    "--deadLetterPath=" + folder.resolve("d"))))
        .isEmpty();
  }

  @Test
  void kinesisNeedsAValidStreamRegionPositionIntervalAndEndpoint() {
    assertThat(problems(kinesis("--inputKinesisStream=")))
        .containsExactly("--inputKinesisStream is required with --source=KINESIS");
    assertThat(
            problems(
                kinesis(
                    "--inputKinesisStream=taxi trips",
                    "--inputStreamRegion=Europe",
                    "--inputStreamInitialPosition=EARLIEST",
                    "--getRecordsIntervalMillis=50",
                    "--kinesisEndpoint=127.0.0.1:4567")))
        .containsExactlyInAnyOrder(
            "--inputKinesisStream=taxi trips is not a Kinesis stream name: 1 to 128 of a-z A-Z 0-9 _ . -",
            "--inputStreamRegion=Europe is not an AWS region id (e.g. us-east-1, eu-west-1)",
            "--inputStreamInitialPosition=EARLIEST is invalid: 'EARLIEST' is neither LATEST, TRIM_HORIZON nor an "
                + "ISO-8601 instant such as 2019-03-01T00:00:00Z",
            "--getRecordsIntervalMillis=50 must be between 200 and 60000",
            "--kinesisEndpoint: '127.0.0.1:4567' is not a URL");
  }

  @Test
  void kinesisEndpointMustNotCarryCredentials() {
    assertThat(problems(kinesis("--kinesisEndpoint=http://AKIAEXAMPLE:s3cr3t@127.0.0.1:4567")))
        .singleElement()
        .asString()
        .startsWith("--kinesisEndpoint: a URL must not carry credentials")
        .doesNotContain("s3cr3t");
  }

  @Test
  void kinesisOptionsWithAnotherSourceAndOtherSourcesWithKinesisAreRefused() {
    assertThat(problems(valid("--inputKinesisStream=taxi")))
        .containsExactly(
            "--inputKinesisStream=taxi is set but --source=FILE: add --source=KINESIS to read from Kinesis");
    assertThat(problems(kinesis("--inputPath=" + input, "--inputKafkaTopic=t")))
        .containsExactlyInAnyOrder(
            "--inputPath=" + input + " is set but --source=KINESIS reads no files",
            "--inputKafkaTopic/--inputKafkaBootstrapServers are set but --source=KINESIS: choose one source");
  }

  @Test
  void s3PathsNeedAValidBucketAndS3OptionsNeedAnS3Path() {
    assertThat(problems(kinesis("--outputPath=s3://My_Bucket/trips")))
        .containsExactly(
            "--outputPath=s3://My_Bucket/trips: 'My_Bucket' is not an S3 bucket name (3 to 63 of "
                + "a-z 0-9 . -, starting and ending with a letter or digit)");
    assertThat(problems(valid("--s3Endpoint=http://127.0.0.1:9090", "--s3PathStyleAccess=true")))
        .containsExactlyInAnyOrder(
            "--s3Endpoint=http://127.0.0.1:9090 is set but no path is an s3:// location",
            "--s3PathStyleAccess=true is set but no path is an s3:// location");
    assertThat(problems(kinesis("--s3Region=moon-1", "--s3Endpoint=ftp://store")))
        .containsExactlyInAnyOrder(
            "--s3Region=moon-1 is not an AWS region id (e.g. us-east-1, eu-west-1)",
            "--s3Endpoint=ftp://store must start with http:// or https://");
  }

  @Test
  void anS3BucketRootHasNoRoomForTheStagingFolder() {
    assertThat(problems(kinesis("--outputPath=s3://my-bucket")))
        .singleElement()
        .asString()
        .startsWith("--outputPath=s3://my-bucket is not a usable folder:")
        .contains("bucket root");
  }

  @Test
  void localRunPortsMustBePortsAndDiffer() {
    assertThat(
            OptionsValidator.validateLocalRun(
                options("--flinkWebUiPort=70000", "--metricsPrometheusPort=-1"), true, null))
        .containsExactly(
            "--flinkWebUiPort=70000 must be 0 (off) or a port between 1 and 65535",
            "--metricsPrometheusPort=-1 must be 0 (off) or a port between 1 and 65535");
    assertThat(
            OptionsValidator.validateLocalRun(
                options("--flinkWebUiPort=8081", "--metricsPrometheusPort=8081"), true, null))
        .containsExactly(
            "--metricsPrometheusPort=8081 and --flinkWebUiPort=8081 must be different ports");
    assertThat(
            OptionsValidator.validateLocalRun(
                options("--flinkWebUiPort=8081", "--metricsPrometheusPort=9249"), true, null))
        .isEmpty();
    assertThat(OptionsValidator.validateLocalRun(options(), false, null)).isEmpty();
  }

  @Test
  void localRunPortsNeedTheEmbeddedClusterAndNoFlinkConfDirOfTheUser() {
    assertThat(
            OptionsValidator.validateLocalRun(options("--metricsPrometheusPort=9249"), false, null))
        .singleElement()
        .asString()
        .startsWith("--metricsPrometheusPort=9249 apply to an embedded-Flink run only");
    assertThat(
            OptionsValidator.validateLocalRun(options("--flinkWebUiPort=8081"), true, "/etc/flink"))
        .singleElement()
        .asString()
        .startsWith("--flinkWebUiPort=8081 can not be combined with --flinkConfDir=/etc/flink");
  }

  @Test
  void aFolderOfInputIsAcceptedWhenItHoldsEventFilesAndNamedWhenItHoldsNone() throws IOException {
    Path events = Files.createDirectories(folder.resolve("events/2019"));
    Path hiddenOnly = Files.createDirectories(folder.resolve("only-hidden"));
    Files.writeString(hiddenOnly.resolve("_SUCCESS"), "");
    Path empty = Files.createDirectories(folder.resolve("empty"));

    Files.writeString(events.resolve("a.jsonl"), "{}\n");
    assertThat(problems(valid("--inputPath=" + folder.resolve("events")))).isEmpty();
    assertThat(problems(valid("--inputPath=" + empty)))
        .containsExactly(
            "--inputPath="
                + empty
                + " is a folder with no event files below it (names starting with . or _ are skipped"
                + " as hidden, e.g. _SUCCESS or .crc files)");
    assertThat(problems(valid("--inputPath=" + hiddenOnly)))
        .singleElement()
        .asString()
        .startsWith("--inputPath=" + hiddenOnly + " is a folder with no event files below it");
    assertThat(problems(valid("--inputPath=" + hiddenOnly + "/*")))
        .singleElement()
        .asString()
        .startsWith("--inputPath=" + hiddenOnly + "/* matches no event files");
  }

  @Test
  void aRunOverFilesRefusesOutputThatHoldsFilesUnlessItMayAppend() throws IOException {
    Path trips = Files.createDirectories(folder.resolve("trips/pickup_location=001/year=2019"));
    Files.writeString(trips.resolve("trips-a.parquet"), "");
    Files.writeString(trips.resolve("trips-b.parquet"), "");
    Path dead = Files.createDirectories(folder.resolve("dead"));
    Files.writeString(dead.resolve("dead-letters-a.jsonl"), "");

    assertThat(OptionsValidator.validateExistingOutput(options(valid()), false))
        .containsExactly(
            "--outputPath="
                + folder.resolve("trips")
                + " already holds 2 Parquet files from an earlier run: a run over files writes every"
                + " event again, so it would add each of them a second time. Delete the folder or"
                + " choose another --outputPath to start afresh, or add --appendToOutput=true to add"
                + " to it",
            "--deadLetterPath="
                + dead
                + " already holds 1 dead-letter files from an earlier run: a run over files writes"
                + " every event again, so it would add each of them a second time. Delete the folder"
                + " or choose another --deadLetterPath to start afresh, or add --appendToOutput=true"
                + " to add to it");
    assertThat(
            OptionsValidator.validateExistingOutput(options(valid("--appendToOutput=true")), false))
        .isEmpty();
    assertThat(OptionsValidator.validateExistingOutput(options(valid()), true))
        .as("a restore from a savepoint continues its own output")
        .isEmpty();
    assertThat(
            OptionsValidator.validateExistingOutput(
                options(
                    "--source=KAFKA",
                    "--outputPath=" + folder.resolve("trips"),
                    "--deadLetterPath=" + dead),
                false))
        .as("a streaming source continues its output")
        .isEmpty();
  }

  @Test
  void emptyOrOtherFilesInTheOutputAreNoEarlierRun() throws IOException {
    Files.createDirectories(folder.resolve("trips"));
    Files.writeString(folder.resolve("trips/README.txt"), "");
    assertThat(OptionsValidator.validateExistingOutput(options(valid()), false)).isEmpty();
  }
}
