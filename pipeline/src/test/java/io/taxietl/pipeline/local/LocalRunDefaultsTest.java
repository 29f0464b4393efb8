package io.taxietl.pipeline.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalRunDefaultsTest {
  @Test
  void flinkDefaultsAreAddedOnlyWhereTheUserGaveNone() {
    assertThat(LocalRunDefaults.apply(new String[] {"--parallelism=4"}))
        .contains(
            "--runner=RestoreSafeFlinkRunner",
            "--flinkMaster=[local]",
            "--checkpointingInterval=5000",
            "--maxParallelism=128",
            "--maxBundleSize=10000",
            "--parallelism=4")
        .doesNotContain("--parallelism=2");
  }

  @Test
  void beamsOwnFlinkRunnerNamedByTheUserGetsTheFlinkDefaultsToo() {
    assertThat(LocalRunDefaults.apply(new String[] {"--runner=FlinkRunner"}))
        .contains("--runner=FlinkRunner", "--flinkMaster=[local]", "--maxParallelism=128")
        .doesNotContain("--runner=RestoreSafeFlinkRunner");
  }

  @Test
  void checkpointsGoToAFolderOfThisRunNotTheJobManagersMemory() {
    Path own = LocalRunDefaults.runCheckpointFolder();
    assertThat(LocalRunDefaults.apply(new String[] {}))
        .contains("--stateBackend=filesystem", "--stateBackendStoragePath=" + own.toUri());
    assertThat(own.getParent()).isEqualTo(LocalRunDefaults.LOCAL_CHECKPOINTS);
    assertThat(own.getFileName().toString())
        .matches("run-\\d{8}-\\d{6}-" + ProcessHandle.current().pid());
    assertThat(LocalRunDefaults.LOCAL_CHECKPOINTS.toUri().toString())
        .startsWith("file:/")
        .contains("taxi-etl-checkpoints");
    assertThat(
            LocalRunDefaults.apply(
                new String[] {"--stateBackend=rocksdb", "--stateBackendStoragePath=file:///ck"}))
        .contains("--stateBackend=rocksdb", "--stateBackendStoragePath=file:///ck")
        .doesNotContain("--stateBackend=filesystem");
    assertThat(LocalRunDefaults.apply(new String[] {"--stateBackend=rocksdb"}))
        .contains("--stateBackend=rocksdb", "--stateBackendStoragePath=" + own.toUri());
  }

  @Test
  void onlyARunFolderBelowTheLocalCheckpointsFolderCountsAsTheRunsOwn() {
    Path own = LocalRunDefaults.runCheckpointFolder();
    assertThat(LocalRunDefaults.ownCheckpointFolder(own.toUri().toString())).contains(own);
    assertThat(LocalRunDefaults.ownCheckpointFolder(own.toUri() + "/")).contains(own);
    assertThat(LocalRunDefaults.ownCheckpointFolder(own.toString()))
        .as("a path without scheme is the user's")
        .isEmpty();
    assertThat(
            LocalRunDefaults.ownCheckpointFolder(
                LocalRunDefaults.LOCAL_CHECKPOINTS.toUri().toString()))
        .as("the folder that every run shares")
        .isEmpty();
    assertThat(
            LocalRunDefaults.ownCheckpointFolder(
                LocalRunDefaults.LOCAL_CHECKPOINTS.resolve("mine").toUri().toString()))
        .isEmpty();
    assertThat(
            LocalRunDefaults.ownCheckpointFolder(
                own.resolve("9b998c751a34150087cc3de6fa046d4a").toUri().toString()))
        .as("a folder below a run's folder")
        .isEmpty();
    assertThat(LocalRunDefaults.ownCheckpointFolder("s3://bucket/run-1")).isEmpty();
    assertThat(LocalRunDefaults.ownCheckpointFolder("file:///tmp/run-1")).isEmpty();
    assertThat(LocalRunDefaults.ownCheckpointFolder(null)).isEmpty();
  }

  @Test
  void aRunFolderNamesTheProcessThatMadeIt() {
    assertThat(LocalRunDefaults.runProcess("run-20261203-205136-22629")).contains(22629L);
    assertThat(
            LocalRunDefaults.runProcess(
                LocalRunDefaults.runCheckpointFolder().getFileName().toString()))
        .contains(ProcessHandle.current().pid());
    assertThat(LocalRunDefaults.runProcess("9b998c751a34150087cc3de6fa046d4a")).isEmpty();
    assertThat(LocalRunDefaults.runProcess("run-20261203-205136-")).isEmpty();
    assertThat(LocalRunDefaults.runProcess("run-20261203-205136-1234567890123456789")).isEmpty();
    assertThat(LocalRunDefaults.runProcess("my-run-20261203-205136-22629")).isEmpty();
  }

  @Test
  void anotherRunnerGetsNoFlinkDefaults() {
    assertThat(LocalRunDefaults.apply(new String[] {"--runner=DirectRunner"}))
        .containsExactly("--runner=DirectRunner");
  }

  @Test
  void exactlyOnceKafkaRestartsAsSoonAsAnyRun() {
    assertThat(LocalRunDefaults.apply(new String[] {"--kafkaExactlyOnce=true"}))
        .contains("--numberOfExecutionRetries=3", "--executionRetryDelay=2000");
    assertThat(
            LocalRunDefaults.apply(
                new String[] {"--kafkaExactlyOnce=true", "--executionRetryDelay=90000"}))
        .contains("--executionRetryDelay=90000")
        .doesNotContain("--executionRetryDelay=2000");
  }

  @Test
  void localRunPortsBecomeAFlinkConfigurationOnLoopback() throws Exception {
    String[] args =
        LocalRunDefaults.apply(
            new String[] {"--flinkWebUiPort=18081", "--metricsPrometheusPort=19249"});
    String confDir = LocalRunDefaults.settings(args).get("flinkConfDir");
    assertThat(confDir).isNotNull();
    assertThat(java.nio.file.Files.readAllLines(java.nio.file.Path.of(confDir, "config.yaml")))
        .contains(
            "rest.address: \"127.0.0.1\"",
            "rest.bind-address: \"127.0.0.1\"",
            "rest.port: \"18081\"",
            "metrics.reporter.prom.factory.class: \"io.taxietl.localflink.LoopbackPrometheusReporterFactory\"",
            "metrics.reporter.prom.port: \"19249\"");
    assertThat(LocalRunDefaults.runsEmbeddedFlink(args)).isTrue();
  }

  @Test
  void aRunWithoutPortsGetsARestEndpointOnLoopbackAtAKnownPort() throws Exception {
    for (String[] args : List.of(new String[] {}, new String[] {"--flinkWebUiPort=0"})) {
      String confDir = LocalRunDefaults.settings(LocalRunDefaults.apply(args)).get("flinkConfDir");
      assertThat(confDir).isNotNull();
      int port = LocalRunObservability.restPort(Path.of(confDir));
      assertThat(port).isBetween(1, 65_535);
      assertThat(Files.readAllLines(Path.of(confDir, "config.yaml")))
          .contains("rest.bind-address: \"127.0.0.1\"", "rest.port: \"" + port + "\"")
          .noneMatch(line -> line.startsWith("metrics.reporter"));
    }
  }

  @Test
  void noFlinkConfigurationOnAClusterOrWithTheUsersOwn() {
    String[] remote =
        LocalRunDefaults.apply(new String[] {"--flinkMaster=jm:8081", "--flinkWebUiPort=18081"});
    assertThat(LocalRunDefaults.settings(remote)).doesNotContainKey("flinkConfDir");
    assertThat(LocalRunDefaults.runsEmbeddedFlink(remote)).isFalse();
    assertThat(
            LocalRunDefaults.settings(
                LocalRunDefaults.apply(
                    new String[] {"--flinkConfDir=/etc/flink", "--flinkWebUiPort=18081"})))
        .containsEntry("flinkConfDir", "/etc/flink");
  }
}
