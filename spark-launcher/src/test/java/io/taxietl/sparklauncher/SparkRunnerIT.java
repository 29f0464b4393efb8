package io.taxietl.sparklauncher;

import io.taxietl.pipeline.RunOutput;
import io.taxietl.pipeline.RunnerTestInput;
import io.taxietl.testing.LocalSparkCluster;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark JAR writes what embedded Flink writes, on a local Spark master and on a real standalone
 * Spark cluster. The pipeline JAR (embedded Flink, once for the class) and the Spark JAR run the same
 * input (the bundled sample with a bad line of each kind, {@link RunnerTestInput}) exactly as a user runs
 * them; DuckDB and Jackson read the outputs back and compare them.
 */
class SparkRunnerIT {
  private static final Path PIPELINE_JAR = Path.of(System.getProperty("pipeline.jar", "../pipeline/target/streaming-etl.jar"));
  private static final Path SPARK_JAR = Path.of(System.getProperty("spark.jar", "target/taxi-etl-spark.jar"));

  @TempDir static Path work;
  private static RunnerTestInput input;
  private static RunOutput flink;

  @BeforeAll
  static void runOnEmbeddedFlink() {
    input = RunnerTestInput.write(work);
    flink = input.runOnEmbeddedFlink(PIPELINE_JAR, work);
  }

  @Test
  void onALocalMasterTheSparkJarWritesTheSameRowsPartitionsAndDeadLettersAsFlink() {
    RunOutput spark =
        input.runThrough(
            "spark-local", SPARK_JAR, RunnerTestInput.JVM_FLAGS, List.of(), Map.of(), work, RunnerTestInput.RUN_DEADLINE);
    spark.assertIsTheOutputOf(input);
    spark.assertSameAs(flink);
  }

  @Test
  void onAStandaloneClusterTheSparkJarWritesTheSameRowsPartitionsAndDeadLettersAsFlink() {
    try (LocalSparkCluster cluster = new LocalSparkCluster()) {
      cluster.start();
      RunOutput spark =
          input.runThrough(
              "spark-cluster",
              SPARK_JAR,
              // The executor's heap, within the worker's 2 GB.
              List.of("-Xmx2g", "-Dspark.executor.memory=1g"),
              List.of("--sparkMaster=" + cluster.masterUrl()),
              // The driver's address as Spark sees it: this machine's loopback, like the cluster's.
              Map.of("SPARK_LOCAL_IP", "127.0.0.1"),
              work,
              RunnerTestInput.RUN_DEADLINE);
      spark.assertIsTheOutputOf(input);
      spark.assertSameAs(flink);
    }
  }
}
