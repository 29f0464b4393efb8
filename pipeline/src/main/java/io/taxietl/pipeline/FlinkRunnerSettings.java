package io.taxietl.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Flink runner options that this pipeline needs wherever it runs on Flink (embedded, a cluster, the
 * managed service). Every launcher adds them unless the user set them. Options are named as
 * strings, so this module still imports no Flink class.
 */
public final class FlinkRunnerSettings {
  /**
   * The runner every launcher of this project uses on Flink: Beam's Flink runner with its sources
   * made restore-safe (module flink-restore), so that a job restored from a savepoint, at the same
   * or another parallelism, reads every record exactly once. Named by its registered name, so this
   * module still imports no runner class.
   */
  public static final String RUNNER = "RestoreSafeFlinkRunner";

  /**
   * Flink's own default for jobs of parallelism up to 85, fixed so that it never changes on
   * rescale.
   */
  public static final int MAX_PARALLELISM = 128;

  /** The most elements in one bundle of a step. */
  public static final int MAX_BUNDLE_SIZE = 10_000;

  private FlinkRunnerSettings() {}

  /** The options every Flink run of this pipeline needs, in the order they are added. */
  public static Map<String, String> required() {
    Map<String, String> settings = new LinkedHashMap<>();
    // No step changes its input elements, so Flink need not copy them between chained steps.
    settings.put("fasterCopy", "true");
    // Beam keeps finished sources idle forever when checkpointing is on, so a bounded input would
    // never
    // let the job finish; Flink 1.19 checkpoints jobs with finished tasks, so stop them.
    settings.put("shutdownSourcesAfterIdleMs", "0");
    // When a bounded input ends (or the job is drained), publish the files still held back for the
    // next checkpoint instead of failing with "watermark holds left" (see PublishCommittedFiles).
    settings.put("enableStableInputDrain", "true");
    // A fixed max parallelism: keyed state is laid out in this many key groups and must keep it for
    // every restore, and the runner splits each source into up to this many parts at the first
    // start
    // (one per Kafka partition or Kinesis shard), so a restore at a higher parallelism can spread
    // them.
    settings.put("maxParallelism", Integer.toString(MAX_PARALLELISM));
    // Bundles of up to 10,000 elements (Beam's Flink runner: 1,000; a bundle still ends after 1 s):
    // the Parquet writer batches a bundle's trips per window and partition folder, and with a few
    // hundred folders a bundle of 1,000 trips made batches of ~3 trips each. Ten times larger
    // bundles cut the job's CPU per event by about a tenth (benchmarks/RESULTS.md).
    settings.put("maxBundleSize", Integer.toString(MAX_BUNDLE_SIZE));
    return settings;
  }
}
