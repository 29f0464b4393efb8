package io.taxietl.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.taxietl.testing.LocalKafka;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole harness on a tiny input against a real broker: both jobs run in their own JVMs and
 * every event ends as a committed row or dead letter, counted exactly. Says nothing about speed.
 */
class KafkaToParquetBenchmarkSmokeIT {
  @RegisterExtension static final LocalKafka KAFKA = new LocalKafka();

  @TempDir Path work;

  @Test
  void bothJobsTurnEveryEventIntoACommittedRowOrDeadLetter() throws Exception {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    Path results = work.resolve("results.md");
    List<RunResult> runs =
        new KafkaToParquetBenchmark(new PrintStream(console, true, StandardCharsets.UTF_8))
            .run(
                Map.of(
                    "bootstrap-servers", KAFKA.bootstrapServers(),
                    "events", "3000",
                    "runs", "1",
                    "heap", "768m",
                    "window-seconds", "2",
                    "checkpoint-millis", "1000",
                    "ours-checkpoint-millis", "1000",
                    "run-timeout-seconds", "240",
                    "work", work.resolve("runs").toString(),
                    "results", results.toString()));

    String log = console.toString(StandardCharsets.UTF_8);
    assertThat(runs)
        .extracting(RunResult::job)
        .as(log)
        .containsExactly(JobKind.OURS, JobKind.BASELINE);
    BenchmarkEvents.Expected expected = BenchmarkEvents.fromBundledSample().expected(3000);
    for (RunResult run : runs) {
      assertThat(run.correct()).as(log).isTrue();
      assertThat(run.rows()).isEqualTo(expected.rows());
      assertThat(run.deadLetters()).isEqualTo(expected.deadLetters()).isEqualTo(30);
      assertThat(run.files()).isPositive();
      // Each job printed when it read its first event: start-up and end-to-end add up.
      assertThat(run.startupSeconds()).isPositive().isLessThan(run.totalSeconds());
      assertThat(run.seconds()).isCloseTo(run.totalSeconds() - run.startupSeconds(), within(0.01));
      assertThat(run.cpuSeconds()).isPositive();
      assertThat(run.peakRssBytes()).isGreaterThan(50L * 1024 * 1024);
      assertThat(run.latencyP99Seconds()).isGreaterThanOrEqualTo(run.latencyP50Seconds());
    }
    assertThat(Files.readString(results)).contains("ours / baseline: throughput");
  }

  @Test
  void theSteadyStreamGivesEveryCommittedRowItsLatency() throws Exception {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    Path results = work.resolve("steady.md");
    List<SteadyLatencyBenchmark.Result> runs =
        new SteadyLatencyBenchmark(new PrintStream(console, true, StandardCharsets.UTF_8))
            .run(
                Map.ofEntries(
                    Map.entry("bootstrap-servers", KAFKA.bootstrapServers()),
                    Map.entry("rate", "300"),
                    Map.entry("seconds", "25"),
                    Map.entry("warmup-seconds", "0"),
                    Map.entry("runs", "1"),
                    Map.entry("heap", "768m"),
                    Map.entry("window-seconds", "2"),
                    Map.entry("checkpoint-millis", "1000"),
                    Map.entry("ours-checkpoint-millis", "1000"),
                    Map.entry("work", work.resolve("steady").toString()),
                    Map.entry("results", results.toString())));

    String log = console.toString(StandardCharsets.UTF_8);
    System.out.println(log); // the table, for whoever reads the suite's output
    assertThat(runs)
        .extracting(SteadyLatencyBenchmark.Result::job)
        .as(log)
        .containsExactly(JobKind.OURS, JobKind.BASELINE);
    BenchmarkEvents events = BenchmarkEvents.fromBundledSample();
    for (SteadyLatencyBenchmark.Result run : runs) {
      assertThat(run.correct()).as(log).isTrue();
      // The stream ran on for 25 s after the job's first read, however long the job took to start.
      BenchmarkEvents.Expected expected = events.expected(run.events());
      assertThat(run.rows()).as(log).isEqualTo(expected.rows());
      // Rows appended once the job was reading (25 s at 300 events/s, 1 in 100 bad, less the
      // seconds the stream's last batch and the job's log line may be apart): each has a latency.
      assertThat(run.measuredRows()).as(log).isBetween(6_500L, run.rows());
      assertThat(run.p50()).isPositive();
      assertThat(run.p99()).isGreaterThanOrEqualTo(run.p50());
      assertThat(run.max()).isGreaterThanOrEqualTo(run.p99());
    }
    assertThat(Files.readString(results)).contains("ours: p99 latency <= window");
  }
}
