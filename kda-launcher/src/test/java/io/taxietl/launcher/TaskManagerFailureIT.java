package io.taxietl.launcher;

import static io.taxietl.launcher.ClusterJobs.awaitOutput;
import static io.taxietl.launcher.ClusterJobs.propertiesFile;
import static org.assertj.core.api.Assertions.assertThat;

import io.taxietl.launcher.ClusterEvents.Event;
import io.taxietl.launcher.ClusterEvents.Expected;
import io.taxietl.launcher.ClusterJobs.Input;
import io.taxietl.launcher.ClusterJobs.KafkaInput;
import io.taxietl.launcher.ClusterJobs.KinesisInput;
import io.taxietl.launcher.ClusterJobs.LocalOutput;
import io.taxietl.launcher.ClusterJobs.Output;
import io.taxietl.launcher.ClusterJobs.S3Output;
import io.taxietl.testing.LocalFlinkCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A machine dies under a running job: the launcher's job runs on the real Flink cluster at
 * parallelism 2, has published the first half of its input, is reading the second half (still in
 * its windows), and its TaskManager is killed with SIGKILL. A fresh TaskManager starts; the cluster
 * restarts the job from its last checkpoint, as the managed service does. Every valid event ends up
 * exactly once in the committed Parquet, every bad event exactly once in the dead letters, and the
 * job runs on. Input: 4,000 real trips of the sample and 12 bad events, in two halves.
 */
class TaskManagerFailureIT {
  private static final LocalFlinkCluster CLUSTER = ClusterServers.CLUSTER;
  private static final int TRIPS = 4_000;
  private static final Duration RECOVERY_DEADLINE = Duration.ofMinutes(3);

  @RegisterExtension static final ClusterServers SERVERS = new ClusterServers();

  @TempDir static Path work;
  private static String jarId;

  @BeforeAll
  static void uploadLauncherJar() {
    jarId =
        CLUSTER.uploadJar(Path.of(System.getProperty("launcher.jar", "target/taxi-etl-kda.jar")));
  }

  @Test
  void aKafkaJobWhoseTaskManagerIsKilledMidStreamWritesEveryEventExactlyOnce() throws Exception {
    killTheTaskManagerMidStream(
        "kafka-kill",
        new KafkaInput("trips-kill", "kill-test", work),
        new LocalOutput(work.resolve("kafka-kill")));
  }

  @Test
  void aKinesisToS3JobWhoseTaskManagerIsKilledMidStreamWritesEveryEventExactlyOnce()
      throws Exception {
    killTheTaskManagerMidStream(
        "kinesis-kill",
        new KinesisInput("trips-kill", work),
        new S3Output("kinesis-kill", work.resolve("s3-copy")));
  }

  private void killTheTaskManagerMidStream(String name, Input input, Output output)
      throws Exception {
    List<List<Event>> halves = ClusterEvents.phases(ClusterEvents.sample().subList(0, TRIPS), 2);
    Expected firstHalf = Expected.ofAll(halves.subList(0, 1));
    Expected all = Expected.ofAll(halves);
    long started = System.nanoTime();
    String jobId =
        CLUSTER.runJar(
            jarId,
            null,
            List.of(
                "--applicationPropertiesFile="
                    + propertiesFile(work, name + ".json", input, output, 10)),
            null,
            2);
    input.send(halves.get(0));
    awaitOutput(jobId, output, firstHalf);
    input.awaitEverythingRead();
    input.send(halves.get(1));

    CLUSTER.killTaskManager();
    long killed = System.nanoTime();
    int rowsAtKill = output.published().rows().size();
    assertThat(rowsAtKill)
        .as("killed after the first half was published, before the second was")
        .isGreaterThanOrEqualTo(firstHalf.trips().size())
        .isLessThan(all.trips().size());
    CLUSTER.startTaskManager();
    CLUSTER.awaitAllTasksRunning(jobId, RECOVERY_DEADLINE);
    double running = (System.nanoTime() - killed) / 1e9;
    awaitOutput(jobId, output, all);
    double recovered = (System.nanoTime() - killed) / 1e9;
    input.awaitEverythingRead();
    // Anything read twice after the restart would be published by the next checkpoints.
    CLUSTER.awaitMoreCompletedCheckpoints(jobId, 2, Duration.ofMinutes(1));

    assertThat(CLUSTER.jobState(jobId)).isEqualTo("RUNNING");
    long restarts = CLUSTER.restarts(jobId);
    long restoredCheckpoint = CLUSTER.restoredCheckpointId(jobId);
    assertThat(restarts).as("restarts of the job").isGreaterThanOrEqualTo(1);
    assertThat(restoredCheckpoint).as("the checkpoint the job restarted from").isPositive();
    CLUSTER.cancel(jobId, Duration.ofMinutes(1));

    PublishedOutput published = output.published();
    published.assertExactlyOnce(all, input::assertOrigin);
    System.out.printf(
        "%s: %,d events (%,d trips, %d bad), TaskManager killed with %,d rows published; %d restart(s)"
            + " from checkpoint %d; all tasks running %.1f s and everything published %.1f s after"
            + " the kill; %,d rows, %d dead letters; %.1f s in all%n",
        name,
        halves.stream().mapToInt(List::size).sum(),
        all.trips().size(),
        all.rejections().size(),
        rowsAtKill,
        restarts,
        restoredCheckpoint,
        running,
        recovered,
        published.rows().size(),
        published.deadLetters().size(),
        (System.nanoTime() - started) / 1e9);
  }
}
