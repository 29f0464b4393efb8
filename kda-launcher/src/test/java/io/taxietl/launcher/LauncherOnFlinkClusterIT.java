package io.taxietl.launcher;

import static io.taxietl.launcher.ClusterJobs.awaitOutput;
import static io.taxietl.launcher.ClusterJobs.propertiesFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.taxietl.launcher.ClusterEvents.Event;
import io.taxietl.launcher.ClusterEvents.Expected;
import io.taxietl.launcher.ClusterJobs.Input;
import io.taxietl.launcher.ClusterJobs.KafkaInput;
import io.taxietl.launcher.ClusterJobs.KinesisInput;
import io.taxietl.launcher.ClusterJobs.LocalOutput;
import io.taxietl.launcher.ClusterJobs.Output;
import io.taxietl.launcher.ClusterJobs.S3Output;
import io.taxietl.testing.LocalFlinkCluster;
import io.taxietl.testing.LocalFlinkCluster.FlinkRestException;
import io.taxietl.testing.LocalKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher JAR on a real Flink 1.19.3 session cluster, run the way a cluster (and the managed
 * service) runs a user JAR: uploaded through the REST API and started with a properties file in the
 * managed service's format, at the parallelism the submission asks for. The cluster configures
 * checkpointing for every job, as the managed service does, and the launcher must adopt that
 * interval. Input: the bundled sample (19,745 real trips) with bad events mixed in, replayed by the
 * replay tool into a 4-partition Kafka topic or a 4-shard Kinesis stream (kinesalite); output in a
 * local folder or on S3 (S3Mock). One cluster and one set of servers serve every test, and the
 * fault tests too ({@link ClusterServers}).
 */
class LauncherOnFlinkClusterIT {
  private static final long CLUSTER_CHECKPOINT_INTERVAL_MILLIS =
      ClusterServers.CHECKPOINT_INTERVAL_MILLIS;
  private static final Duration SAVEPOINT_DEADLINE = Duration.ofMinutes(3);
  private static final LocalKafka KAFKA = ClusterServers.KAFKA;
  private static final LocalFlinkCluster CLUSTER = ClusterServers.CLUSTER;

  @RegisterExtension static final ClusterServers SERVERS = new ClusterServers();

  @TempDir static Path work;
  private static String jarId;

  @BeforeAll
  static void uploadLauncherJar() throws IOException {
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
    KafkaInput input = new KafkaInput("trips-sample", "cluster-test", work);
    List<Event> events = ClusterEvents.withBadEvents(ClusterEvents.sample(), "full");
    Expected expected = Expected.of(events);
    input.send(events);

    LocalOutput output = new LocalOutput(work.resolve("kafka"));
    Path properties = propertiesFile(work, "kafka-application-properties.json", input, output, 5);
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
    Path properties = propertiesFile(work, "bad-application-properties.json", bad);
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
      KafkaInput input = new KafkaInput("trips-rescale", "rescale-test", work);
      restoreTwiceScalingInThenOut(
          "kafka-rescale", input, new LocalOutput(work.resolve("kafka-rescale")));
    }

    @Test
    void aKinesisToS3JobRestoredTwiceScalingInThenOutWritesEveryEventExactlyOnce()
        throws Exception {
      KinesisInput input = new KinesisInput("trips-rescale", work);
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
                      + propertiesFile(work, name + ".json", input, output, 10)));
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
}
