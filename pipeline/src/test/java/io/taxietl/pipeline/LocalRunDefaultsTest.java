package io.taxietl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LocalRunDefaultsTest {
  @Test
  void flinkDefaultsAreAddedOnlyWhereTheUserGaveNone() {
    assertThat(LocalRunDefaults.apply(new String[] {"--parallelism=4"}))
        .contains("--runner=FlinkRunner", "--flinkMaster=[local]", "--checkpointingInterval=5000", "--parallelism=4")
        .doesNotContain("--parallelism=2");
  }

  @Test
  void checkpointsGoToALocalFolderNotTheJobManagersMemory() {
    assertThat(LocalRunDefaults.apply(new String[] {}))
        .contains("--stateBackend=filesystem", "--stateBackendStoragePath=" + LocalRunDefaults.LOCAL_CHECKPOINTS.toUri());
    assertThat(LocalRunDefaults.LOCAL_CHECKPOINTS.toUri().toString()).startsWith("file:/").contains("taxi-etl-checkpoints");
    assertThat(LocalRunDefaults.apply(new String[] {"--stateBackend=rocksdb", "--stateBackendStoragePath=file:///ck"}))
        .contains("--stateBackend=rocksdb", "--stateBackendStoragePath=file:///ck")
        .doesNotContain("--stateBackend=filesystem");
    assertThat(LocalRunDefaults.apply(new String[] {"--stateBackend=rocksdb"}))
        .contains("--stateBackend=rocksdb", "--stateBackendStoragePath=" + LocalRunDefaults.LOCAL_CHECKPOINTS.toUri());
  }

  @Test
  void anotherRunnerGetsNoFlinkDefaults() {
    assertThat(LocalRunDefaults.apply(new String[] {"--runner=DirectRunner"}))
        .containsExactly("--runner=DirectRunner");
  }

  @Test
  void exactlyOnceKafkaWaitsOutTheSinksProducerCacheBeforeARestart() {
    assertThat(LocalRunDefaults.apply(new String[] {"--kafkaExactlyOnce=true"}))
        .contains("--executionRetryDelay=75000")
        .doesNotContain("--executionRetryDelay=2000");
    assertThat(LocalRunDefaults.apply(new String[] {"--kafkaExactlyOnce=true", "--executionRetryDelay=90000"}))
        .contains("--executionRetryDelay=90000")
        .doesNotContain("--executionRetryDelay=75000");
  }
}
