package io.taxietl.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Flink runner options that this pipeline needs wherever it runs on Flink (embedded, a cluster, the
 * managed service). Every launcher adds them unless the user set them. Options are named as strings,
 * so this module still imports no Flink class.
 */
public final class FlinkRunnerSettings {
  /** Longer than the 60 s for which KafkaIO 2.62's exactly-once sink caches its producers. */
  public static final long EXACTLY_ONCE_KAFKA_RESTART_DELAY_MILLIS = 75_000;

  private FlinkRunnerSettings() {}

  /** The options every Flink run of this pipeline needs, in the order they are added. */
  public static Map<String, String> required() {
    Map<String, String> settings = new LinkedHashMap<>();
    // No step changes its input elements, so Flink need not copy them between chained steps.
    settings.put("fasterCopy", "true");
    // Beam keeps finished sources idle forever when checkpointing is on, so a bounded input would never
    // let the job finish; Flink 1.19 checkpoints jobs with finished tasks, so stop them.
    settings.put("shutdownSourcesAfterIdleMs", "0");
    // When a bounded input ends (or the job is drained), publish the files still held back for the
    // next checkpoint instead of failing with "watermark holds left" (see PublishCommittedFiles).
    settings.put("enableStableInputDrain", "true");
    return settings;
  }

  /**
   * The restart delay with {@code --kafkaExactlyOnce=true}: KafkaIO 2.62's exactly-once sink keeps its
   * transactional producers in a JVM-wide cache for 60 s, and a task restarted sooner reuses one still
   * inside the failed attempt's transaction and fails again ("Invalid transition ... IN_TRANSACTION to
   * IN_TRANSACTION").
   */
  public static String exactlyOnceKafkaRestartDelayMillis() {
    return Long.toString(EXACTLY_ONCE_KAFKA_RESTART_DELAY_MILLIS);
  }
}
