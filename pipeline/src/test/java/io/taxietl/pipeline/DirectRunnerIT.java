package io.taxietl.pipeline;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DirectRunner writes what embedded Flink writes. The pipeline JAR built by {@code mvn package}
 * runs the same input (the bundled sample with a bad line of each kind, {@link RunnerTestInput}) on
 * both, exactly as a user runs it; DuckDB and Jackson read both outputs back and compare them.
 */
class DirectRunnerIT {
  private static final Path PIPELINE_JAR =
      Path.of(System.getProperty("pipeline.jar", "target/streaming-etl.jar"));

  @TempDir static Path work;
  private static RunnerTestInput input;
  private static RunOutput flink;

  @BeforeAll
  static void runOnEmbeddedFlink() {
    input = RunnerTestInput.write(work);
    flink = input.runOnEmbeddedFlink(PIPELINE_JAR, work);
  }

  @Test
  void theDirectRunnerWritesTheSameRowsPartitionsAndDeadLettersAsFlink() {
    RunOutput direct =
        input.runThrough(
            "direct-runner",
            PIPELINE_JAR,
            RunnerTestInput.JVM_FLAGS,
            List.of("--runner=DirectRunner"),
            Map.of(),
            work,
            RunnerTestInput.RUN_DEADLINE);
    direct.assertIsTheOutputOf(input);
    direct.assertSameAs(flink);
  }
}
