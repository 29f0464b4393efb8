package io.taxietl.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The defaults of a run from the command line: embedded Flink, parallelism 2, checkpointing on. An
 * argument the user gives always wins; Flink settings are added only when the runner is Flink.
 */
final class LocalRunDefaults {
  static final String FLINK_RUNNER = "FlinkRunner";

  /** Longer than the 60 s for which KafkaIO's exactly-once sink caches its producers. */
  static final long EXACTLY_ONCE_RETRY_DELAY_MILLIS = 75_000;

  private static final Map<String, String> FLINK_DEFAULTS = new LinkedHashMap<>();

  static {
    FLINK_DEFAULTS.put("flinkMaster", "[local]");
    FLINK_DEFAULTS.put("parallelism", "2");
    FLINK_DEFAULTS.put("streaming", "true");
    FLINK_DEFAULTS.put("checkpointingInterval", "5000");
    // No step changes its input elements, so Flink need not copy them between chained steps.
    FLINK_DEFAULTS.put("fasterCopy", "true");
    // Finish sources once their input is exhausted, so that a bounded run ends by itself; Flink 1.19
    // keeps checkpointing after tasks have finished.
    FLINK_DEFAULTS.put("shutdownSourcesAfterIdleMs", "0");
    // When a bounded input ends, publish the files still held back for the last checkpoint instead of
    // failing with "watermark holds left" (see PublishCommittedFiles).
    FLINK_DEFAULTS.put("enableStableInputDrain", "true");
    // Recover from a failure three times (from the last checkpoint), then fail instead of looping.
    FLINK_DEFAULTS.put("numberOfExecutionRetries", "3");
    FLINK_DEFAULTS.put("executionRetryDelay", "2000");
  }

  private LocalRunDefaults() {}

  static String[] apply(String[] args) {
    Map<String, String> given = new LinkedHashMap<>();
    for (String arg : args) {
      if (arg.startsWith("--")) {
        int eq = arg.indexOf('=');
        given.put(eq < 0 ? arg.substring(2) : arg.substring(2, eq), eq < 0 ? "true" : arg.substring(eq + 1));
      }
    }
    List<String> effective = new ArrayList<>();
    String runner = given.get("runner");
    if (runner == null) {
      runner = FLINK_RUNNER;
      effective.add("--runner=" + FLINK_RUNNER);
    }
    if (isFlink(runner)) {
      Map<String, String> defaults = new LinkedHashMap<>(FLINK_DEFAULTS);
      if ("true".equalsIgnoreCase(given.get("kafkaExactlyOnce"))) {
        // KafkaIO 2.62's exactly-once sink keeps its transactional producers in a JVM-wide cache for 60 s;
        // a task restarted sooner in the same JVM reuses a producer still inside the failed attempt's
        // transaction and fails again ("Invalid transition ... IN_TRANSACTION to IN_TRANSACTION").
        defaults.put("executionRetryDelay", Long.toString(EXACTLY_ONCE_RETRY_DELAY_MILLIS));
      }
      defaults.forEach(
          (name, value) -> {
            if (!given.containsKey(name)) {
              effective.add("--" + name + "=" + value);
            }
          });
    }
    effective.addAll(List.of(args));
    return effective.toArray(String[]::new);
  }

  static boolean isFlink(String runner) {
    return runner.equals(FLINK_RUNNER) || runner.endsWith(".FlinkRunner") || runner.equals("TestFlinkRunner");
  }
}
