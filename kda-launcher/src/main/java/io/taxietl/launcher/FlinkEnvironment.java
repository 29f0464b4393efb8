package io.taxietl.launcher;

import java.util.OptionalLong;
import org.apache.flink.streaming.api.environment.CheckpointConfig;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * What the Flink environment that runs the launcher (the managed service, a cluster) configures.
 */
final class FlinkEnvironment {
  private FlinkEnvironment() {}

  /**
   * The checkpoint interval of the environment's configuration ({@code
   * execution.checkpointing.interval}, which the managed service sets from the application's
   * checkpoint configuration), if checkpointing is on there.
   */
  static OptionalLong checkpointIntervalMillis() {
    CheckpointConfig config =
        StreamExecutionEnvironment.getExecutionEnvironment().getCheckpointConfig();
    return config.isCheckpointingEnabled()
        ? OptionalLong.of(config.getCheckpointInterval())
        : OptionalLong.empty();
  }
}
