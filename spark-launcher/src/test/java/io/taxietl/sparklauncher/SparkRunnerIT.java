package io.taxietl.sparklauncher;

import static org.assertj.core.api.Assertions.assertThat;

import io.taxietl.pipeline.JarRun;
import io.taxietl.pipeline.RunOutput;
import io.taxietl.pipeline.RunnerTestInput;
import io.taxietl.testing.Await;
import io.taxietl.testing.LocalKafka;
import io.taxietl.testing.LocalSparkCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark JAR writes what embedded Flink writes, on a local Spark master and on a real standalone
 * Spark cluster. The pipeline JAR (embedded Flink, once for the class) and the Spark JAR run the
 * same input (the bundled sample with a bad line of each kind, {@link RunnerTestInput}) exactly as
 * a user runs them; DuckDB and Jackson read the outputs back and compare them.
 */
class SparkRunnerIT {
  private static final Path PIPELINE_JAR =
      Path.of(System.getProperty("pipeline.jar", "../pipeline/target/streaming-etl.jar"));
  private static final Path SPARK_JAR =
      Path.of(System.getProperty("spark.jar", "target/taxi-etl-spark.jar"));

  private static final Duration KAFKA_DEADLINE = Duration.ofMinutes(4);

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
            "spark-local",
            SPARK_JAR,
            RunnerTestInput.JVM_FLAGS,
            List.of(),
            Map.of(),
            work,
            RunnerTestInput.RUN_DEADLINE);
    spark.assertIsTheOutputOf(input);
    spark.assertSameAs(flink);
  }

  /**
   * Streaming on Spark: the Kafka source read in micro-batches from a real broker. The trip rows
   * must equal those of Flink's run of the same events from the file (rows come from the payload
   * alone), and the dead letters must hold every bad event with its reason. The job runs until both
   * are complete.
   */
  @Test
  void readingKafkaInMicroBatchesTheSparkJarWritesTheSameRowsAsFlinkAndEveryDeadLetter()
      throws Exception {
    try (LocalKafka kafka = new LocalKafka()) {
      kafka.start();
      kafka.createTopic("trips", 4);
      input.produceTo(kafka, "trips");
      Path trips = work.resolve("spark-kafka/trips");
      Path deadLetters = work.resolve("spark-kafka/dead-letters");
      RunOutput spark = RunOutput.of("spark-kafka", trips, deadLetters);
      Map<String, Integer> expectedDeadLetters = input.expectedDeadLetterReasonsAndPayloads();
      long started = System.nanoTime();
      try (JarRun.Background job =
          JarRun.start(
              SPARK_JAR,
              RunnerTestInput.JVM_FLAGS,
              List.of(
                  "--source=KAFKA",
                  "--inputKafkaBootstrapServers=" + kafka.bootstrapServers(),
                  "--inputKafkaTopic=trips",
                  "--kafkaStartingPosition=EARLIEST",
                  "--outputPath=" + trips,
                  "--deadLetterPath=" + deadLetters,
                  "--windowSizeSeconds=5",
                  "--checkpointDir=" + work.resolve("spark-kafka/checkpoints")),
              Map.of(),
              work.resolve("spark-kafka.log"))) {
        Await.until(
            () -> {
              assertThat(job.isAlive())
                  .as("the Spark job is running; its log:%n%s", job.tail())
                  .isTrue();
              return spark.rowCount() >= input.tripIds().size()
                  && spark.deadLetterReasonsAndPayloads().equals(expectedDeadLetters);
            },
            KAFKA_DEADLINE,
            "every trip as a row and every bad event as a dead letter");
      }
      System.out.printf(
          Locale.ROOT,
          "spark-kafka: all rows and dead letters published %.1f s after the start%n",
          (System.nanoTime() - started) / 1e9);
      spark.assertSameTripsAs(flink);
      assertThat(spark.deadLetterReasonsAndPayloads()).isEqualTo(expectedDeadLetters);
    }
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
