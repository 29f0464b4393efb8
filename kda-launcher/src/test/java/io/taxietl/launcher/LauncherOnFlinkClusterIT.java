package io.taxietl.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taxietl.launcher.ClusterEvents.Event;
import io.taxietl.launcher.ClusterEvents.Expected;
import io.taxietl.replay.Replay;
import io.taxietl.testing.Await;
import io.taxietl.testing.LocalFlinkCluster;
import io.taxietl.testing.LocalFlinkCluster.FlinkRestException;
import io.taxietl.testing.LocalKafka;
import io.taxietl.testing.LocalKinesis;
import io.taxietl.testing.LocalS3;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * The launcher JAR on a real Flink 1.19.3 session cluster, run the way a cluster (and the managed
 * service) runs a user JAR: uploaded through the REST API and started with a properties file in the
 * managed service's format, at the parallelism the submission asks for. The cluster configures
 * checkpointing for every job, as the managed service does, and the launcher must adopt that
 * interval. Input: the bundled sample (19,745 real trips) with bad events mixed in, replayed by the
 * replay tool into a 4-partition Kafka topic or a 4-shard Kinesis stream (kinesalite); output in a
 * local folder or on S3 (S3Mock). One cluster and one set of servers serve every test; the
 * cluster's JVMs get what the local runs get: the AWS SDK's CBOR switch for kinesalite and
 * placeholder credentials in the environment.
 */
class LauncherOnFlinkClusterIT {
  private static final long CLUSTER_CHECKPOINT_INTERVAL_MILLIS = 3000;
  private static final Duration OUTPUT_DEADLINE = Duration.ofMinutes(4);
  private static final Duration SAVEPOINT_DEADLINE = Duration.ofMinutes(3);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BUCKET = "lake";

  @RegisterExtension static final LocalKafka KAFKA = new LocalKafka();
  @RegisterExtension static final LocalKinesis KINESIS = new LocalKinesis();
  @RegisterExtension static final LocalS3 S3 = new LocalS3();

  @RegisterExtension
  static final LocalFlinkCluster CLUSTER =
      new LocalFlinkCluster(
          2,
          CLUSTER_CHECKPOINT_INTERVAL_MILLIS,
          Map.of(
              "FLINK_JAVA_OPTS", "-Daws.cborEnabled=false",
              "AWS_ACCESS_KEY_ID", "local",
              "AWS_SECRET_ACCESS_KEY", "local",
              "AWS_REGION", LocalKinesis.REGION));

  @TempDir static Path work;
  private static String jarId;

  @BeforeAll
  static void uploadLauncherJar() throws IOException {
    LocalKinesis.useLocalCredentials();
    S3.createBucket(BUCKET);
    Path jar = Path.of(System.getProperty("launcher.jar", "target/taxi-etl-kda.jar"));
    assertThat(jar).as("the launcher JAR (built by `mvn package`)").isRegularFile();
    long started = System.nanoTime();
    jarId = CLUSTER.uploadJar(jar);
    System.out.printf(
        "Flink %s cluster started in %.1f s; launcher JAR %s: %,d bytes, uploaded in %.1f s%n",
        CLUSTER.get("/config").path("flink-version").asText(),
        CLUSTER.startDuration().toMillis() / 1000.0,
        jar,
        Files.size(jar),
        (System.nanoTime() - started) / 1e9);
  }

  @Test
  void theLauncherJarReadsTheSampleFromKafkaAndWritesPartitionedParquet() throws Exception {
    KafkaInput input = new KafkaInput("trips-sample", "cluster-test");
    List<Event> events = ClusterEvents.withBadEvents(ClusterEvents.sample(), "full");
    Expected expected = Expected.of(events);
    input.send(events);

    LocalOutput output = new LocalOutput(work.resolve("kafka"));
    Path properties = propertiesFile("kafka-application-properties.json", input, output, 5);
    long started = System.nanoTime();
    String jobId =
        CLUSTER.runJar(jarId, null, List.of("--applicationPropertiesFile=" + properties), null);
    awaitOutput(jobId, output, expected);
    double seconds = (System.nanoTime() - started) / 1e9;
    input.awaitEverythingRead();
    System.out.printf(
        "Kafka job %s: %,d events -> %,d rows and %d dead letters committed %.1f s after the REST run%n",
        jobId, events.size(), expected.trips().size(), expected.rejections().size(), seconds);

    JsonNode job = CLUSTER.job(jobId);
    assertThat(job.path("name").asText()).isEqualTo("taxi-etl-cluster-test");
    assertThat(job.path("state").asText()).isEqualTo("RUNNING");
    JsonNode checkpoints = CLUSTER.checkpointConfig(jobId);
    assertThat(checkpoints.path("interval").asLong()).isEqualTo(CLUSTER_CHECKPOINT_INTERVAL_MILLIS);
    assertThat(checkpoints.path("mode").asText()).isEqualToIgnoringCase("exactly_once");
    CLUSTER.cancel(jobId, Duration.ofMinutes(1));

    output.published().assertExactlyOnce(expected, input::assertOrigin);
  }

  @Test
  void badPropertiesStopTheLaunchBeforeAJobStarts() throws IOException {
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put("Source", "KAFKA");
    bad.put("InputKafkaBootstrapServers", KAFKA.bootstrapServers());
    bad.put("InputKafkaTopic", "trips-bad");
    bad.put("OutputPath", work.resolve("bad/trips").toString());
    bad.put("WindowSizeSeconds", "soon");
    bad.put("Colour", "red");
    Path properties = propertiesFile("bad-application-properties.json", bad);
    List<String> jobsBefore = CLUSTER.jobIds();

    assertThatThrownBy(
            () ->
                CLUSTER.runJar(
                    jarId, null, List.of("--applicationPropertiesFile=" + properties), null))
        .isInstanceOfSatisfying(
            FlinkRestException.class,
            e ->
                assertThat(e.body())
                    .contains(InvalidApplicationPropertiesException.class.getName())
                    .contains(
                        "BeamApplicationProperties.WindowSizeSeconds=soon is not a valid value for --windowSizeSeconds")
                    .contains("BeamApplicationProperties.Colour is not a known key"));
    assertThat(CLUSTER.jobIds()).isEqualTo(jobsBefore);
  }

  /**
   * What the managed service does to a job, done to the launcher's job: every application update
   * and every autoscaling step is a snapshot, a stop and a restore, the latter at a new
   * parallelism. The job runs at parallelism 2, is stopped with a savepoint while a quarter of the
   * input is still in its windows, restored at parallelism 1 (scale in), stopped again the same way
   * and restored at parallelism 2 (scale out): every valid event ends up exactly once in Parquet,
   * every bad one exactly once in the dead letters.
   */
  @Nested
  class AcrossSnapshotsAndRescaling {
    @Test
    void aKafkaJobRestoredTwiceScalingInThenOutWritesEveryEventExactlyOnce() throws Exception {
      KafkaInput input = new KafkaInput("trips-rescale", "rescale-test");
      restoreTwiceScalingInThenOut(
          "kafka-rescale", input, new LocalOutput(work.resolve("kafka-rescale")));
    }

    @Test
    void aKinesisToS3JobRestoredTwiceScalingInThenOutWritesEveryEventExactlyOnce()
        throws Exception {
      KinesisInput input = new KinesisInput("trips-rescale");
      restoreTwiceScalingInThenOut(
          "kinesis-rescale", input, new S3Output("kinesis-rescale", work.resolve("s3-copy")));
    }

    private void restoreTwiceScalingInThenOut(String name, Input input, Output output)
        throws Exception {
      List<List<Event>> phases = ClusterEvents.phases(4);
      Expected afterFirst = Expected.ofAll(phases.subList(0, 1));
      Expected beforeSecondSavepoint = Expected.ofAll(phases.subList(0, 2));
      Expected beforeThirdRun = Expected.ofAll(phases.subList(0, 3));
      Expected all = Expected.ofAll(phases);
      List<String> args =
          new ArrayList<>(
              List.of(
                  "--applicationPropertiesFile="
                      + propertiesFile(name + ".json", input, output, 10)));
      // -Dlauncher.runner=FlinkRunner runs the same scenario on Beam's plain runner, to see what
      // the fix fixes.
      String runner = System.getProperty("launcher.runner", "");
      if (!runner.isEmpty()) {
        args.add("--runner=" + runner);
      }

      String first = CLUSTER.runJar(jarId, null, args, null, 2);
      input.send(phases.get(0));
      awaitOutput(first, output, afterFirst);
      input.awaitEverythingRead();
      input.send(phases.get(1));
      String firstSavepoint = stopWithSavepoint(first, output, afterFirst, beforeSecondSavepoint);

      String second = restore(firstSavepoint, 1, args);
      awaitOutput(second, output, beforeSecondSavepoint);
      input.awaitEverythingRead();
      input.send(phases.get(2));
      String secondSavepoint =
          stopWithSavepoint(second, output, beforeSecondSavepoint, beforeThirdRun);

      String third = restore(secondSavepoint, 2, args);
      input.send(phases.get(3));
      awaitOutput(third, output, all);
      input.awaitEverythingRead();
      // Anything read twice after the restore would be published by the next checkpoints: let two
      // complete.
      CLUSTER.awaitMoreCompletedCheckpoints(third, 2, Duration.ofMinutes(1));
      CLUSTER.cancel(third, Duration.ofMinutes(1));

      PublishedOutput published = output.published();
      System.out.printf(
          "%s: %,d events (%,d valid trips, %d bad) in 4 parts; parallelism 2 -> savepoint -> 1 -> savepoint -> 2;"
              + " %,d rows, %,d distinct trip ids, %d dead letters%n",
          name,
          phases.stream().mapToInt(List::size).sum(),
          all.trips().size(),
          all.rejections().size(),
          published.rows().size(),
          published.rows().stream().map(PublishedOutput.Row::tripId).distinct().count(),
          published.deadLetters().size());
      published.assertExactlyOnce(all, input::assertOrigin);
    }

    /**
     * Stops the job with a savepoint at once, while the last part sent is still in its windows:
     * checks that the savepoint came after {@code published} and before {@code sent} were all
     * published.
     */
    private String stopWithSavepoint(
        String jobId, Output output, Expected published, Expected sent) {
      String savepoint =
          CLUSTER.stopWithSavepoint(jobId, work.resolve("savepoints"), SAVEPOINT_DEADLINE);
      assertThat(CLUSTER.awaitTerminalState(jobId, Duration.ofMinutes(1))).isEqualTo("FINISHED");
      int rows = output.published().rows().size();
      System.out.printf("savepoint %s of job %s: %,d rows published%n", savepoint, jobId, rows);
      assertThat(rows)
          .as("the savepoint came after the earlier parts were published, before the last part was")
          .isGreaterThanOrEqualTo(published.trips().size())
          .isLessThan(sent.trips().size());
      return savepoint;
    }

    private String restore(String savepoint, int parallelism, List<String> args) {
      String jobId = CLUSTER.runJar(jarId, null, args, savepoint, parallelism);
      CLUSTER.awaitAllTasksRunning(jobId, Duration.ofMinutes(2));
      assertThat(
              CLUSTER
                  .get("/jobs/" + jobId + "/checkpoints")
                  .path("latest")
                  .path("restored")
                  .path("external_path")
                  .asText())
          .isEqualTo(savepoint);
      Map<String, Integer> tasks = CLUSTER.taskParallelism(jobId);
      assertThat(tasks.entrySet().stream().filter(t -> t.getKey().startsWith("Source: ReadEvents")))
          .as("the source tasks of the restored job %s", tasks)
          .isNotEmpty()
          .allSatisfy(t -> assertThat(t.getValue()).isEqualTo(parallelism));
      return jobId;
    }
  }

  /**
   * Where a test's events come from: the source's properties, how to send events, what a dead
   * letter names.
   */
  private interface Input {
    Map<String, String> properties();

    void send(List<Event> events) throws IOException;

    /** Waits until the job has read everything sent so far, where the source shows it. */
    void awaitEverythingRead();

    void assertOrigin(JsonNode deadLetter);
  }

  /** A 4-partition topic of the Kafka broker, filled by {@code replay kafka}. */
  private static final class KafkaInput implements Input {
    private final String topic;
    private final String group;

    KafkaInput(String topic, String group) {
      this.topic = topic;
      this.group = group;
      KAFKA.createTopic(topic, 4);
    }

    @Override
    public Map<String, String> properties() {
      Map<String, String> properties = new LinkedHashMap<>();
      properties.put("Source", "KAFKA");
      properties.put("InputKafkaBootstrapServers", KAFKA.bootstrapServers());
      properties.put("InputKafkaTopic", topic);
      properties.put("KafkaConsumerGroup", group);
      properties.put("KafkaStartingPosition", "EARLIEST");
      properties.put("JobName", "taxi-etl-" + group);
      return properties;
    }

    @Override
    public void send(List<Event> events) {
      replay(
          "kafka",
          "--bootstrap-servers",
          KAFKA.bootstrapServers(),
          "--topic",
          topic,
          "--speedup",
          "0",
          ClusterEvents.writeLines(work, topic, events).toString());
    }

    @Override
    public void awaitEverythingRead() {
      Map<TopicPartition, Long> end = KAFKA.endOffsets(topic, IsolationLevel.READ_COMMITTED);
      Await.until(
          () -> KAFKA.committedOffsets(group).equals(end),
          OUTPUT_DEADLINE,
          "the committed offsets of group " + group + " to reach the end of " + topic + " " + end);
    }

    @Override
    public void assertOrigin(JsonNode deadLetter) {
      assertThat(deadLetter.path("source").asText()).isEqualTo("kafka");
      assertThat(deadLetter.path("topic").asText()).isEqualTo(topic);
      assertThat(deadLetter.path("partition").asInt()).isBetween(0, 3);
    }
  }

  /** A 4-shard kinesalite stream, filled by {@code replay kinesis} with random partition keys. */
  private static final class KinesisInput implements Input {
    private final String stream;
    private final Set<String> shards;

    KinesisInput(String stream) {
      this.stream = stream;
      KINESIS.createStream(stream, 4);
      this.shards = KINESIS.shards(stream).stream().map(Shard::shardId).collect(Collectors.toSet());
    }

    @Override
    public Map<String, String> properties() {
      Map<String, String> properties = new LinkedHashMap<>();
      properties.put("Source", "KINESIS");
      properties.put("InputKinesisStream", stream);
      properties.put("InputStreamRegion", LocalKinesis.REGION);
      properties.put("KinesisEndpoint", KINESIS.endpoint());
      properties.put("InputStreamInitialPosition", "TRIM_HORIZON");
      properties.put("JobName", "taxi-etl-" + stream);
      return properties;
    }

    @Override
    public void send(List<Event> events) {
      replay(
          "kinesis",
          "--endpoint",
          KINESIS.endpoint(),
          "--region",
          LocalKinesis.REGION,
          "--stream",
          stream,
          "--partition-key",
          "random",
          "--speedup",
          "0",
          ClusterEvents.writeLines(work, stream, events).toString());
    }

    @Override
    public void awaitEverythingRead() {
      // kinesalite reports no consumer position; the output itself shows what was read.
    }

    @Override
    public void assertOrigin(JsonNode deadLetter) {
      assertThat(deadLetter.path("source").asText()).isEqualTo("kinesis");
      assertThat(deadLetter.path("stream").asText()).isEqualTo(stream);
      assertThat(shards).contains(deadLetter.path("shard").asText());
    }
  }

  /** Where a test's job publishes, and a local view of it. */
  private interface Output {
    Map<String, String> properties();

    PublishedOutput published();
  }

  private static final class LocalOutput implements Output {
    private final Path folder;

    LocalOutput(Path folder) {
      this.folder = folder;
    }

    @Override
    public Map<String, String> properties() {
      return Map.of(
          "OutputPath", folder.resolve("trips").toString(),
          "DeadLetterPath", folder.resolve("dead-letters").toString());
    }

    @Override
    public PublishedOutput published() {
      return new PublishedOutput(folder.resolve("trips"), folder.resolve("dead-letters"));
    }
  }

  /**
   * A prefix of the S3Mock bucket; {@link #published()} first copies the objects not copied yet
   * (published objects never change) into a local folder.
   */
  private static final class S3Output implements Output {
    private final String prefix;
    private final Path copy;
    private final Set<String> copied = new HashSet<>();

    S3Output(String prefix, Path copy) {
      this.prefix = prefix;
      this.copy = copy.resolve(prefix);
    }

    @Override
    public Map<String, String> properties() {
      Map<String, String> properties = new LinkedHashMap<>();
      properties.put("OutputPath", "s3://" + BUCKET + "/" + prefix + "/trips");
      properties.put("DeadLetterPath", "s3://" + BUCKET + "/" + prefix + "/dead-letters");
      properties.put("S3Endpoint", S3.endpoint());
      properties.put("S3PathStyleAccess", "true");
      return properties;
    }

    @Override
    public PublishedOutput published() {
      for (String key : S3.listKeys(BUCKET, prefix + "/")) {
        if (copied.add(key)) {
          S3.downloadObject(BUCKET, key, copy.resolve(key.substring(prefix.length() + 1)));
        }
      }
      return new PublishedOutput(copy.resolve("trips"), copy.resolve("dead-letters"));
    }
  }

  /** Waits until the job has published at least the expected rows and dead letters. */
  private static void awaitOutput(String jobId, Output output, Expected expected) {
    int[] seen = new int[2];
    try {
      Await.until(
          () -> {
            String state = CLUSTER.jobState(jobId);
            if (LocalFlinkCluster.TERMINAL_STATES.contains(state)) {
              throw new IllegalStateException(
                  "job " + jobId + " ended " + state + ": " + CLUSTER.failure(jobId));
            }
            PublishedOutput published = output.published();
            seen[0] = published.rows().size();
            seen[1] = published.deadLetters().size();
            return seen[0] >= expected.trips().size() && seen[1] >= expected.rejections().size();
          },
          OUTPUT_DEADLINE,
          "job "
              + jobId
              + " to publish "
              + expected.trips().size()
              + " rows and "
              + expected.rejections().size()
              + " dead letters");
    } catch (AssertionError e) {
      throw new AssertionError(
          e.getMessage() + "; published: " + seen[0] + " rows, " + seen[1] + " dead letters", e);
    }
  }

  private static Path propertiesFile(String name, Input input, Output output, int windowSizeSeconds)
      throws IOException {
    Map<String, String> properties = new LinkedHashMap<>(input.properties());
    properties.putAll(output.properties());
    properties.put("WindowSizeSeconds", Integer.toString(windowSizeSeconds));
    return propertiesFile(name, properties);
  }

  private static Path propertiesFile(String name, Map<String, String> beamProperties)
      throws IOException {
    ArrayNode groups = JSON.createArrayNode();
    ObjectNode group = groups.addObject();
    group.put("PropertyGroupId", PropertyGroupMapping.BEAM_GROUP);
    ObjectNode map = group.putObject("PropertyMap");
    beamProperties.forEach(map::put);
    Path file = work.resolve(name);
    Files.writeString(
        file,
        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(groups),
        StandardCharsets.UTF_8);
    return file;
  }

  /**
   * Runs the replay tool in this JVM, as a user fills a stream; fails with its output on a non-zero
   * exit.
   */
  private static void replay(String... args) {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(log, true, StandardCharsets.UTF_8);
    int exit = Replay.run(args, print, print);
    assertThat(exit).as(log.toString(StandardCharsets.UTF_8)).isZero();
  }
}
