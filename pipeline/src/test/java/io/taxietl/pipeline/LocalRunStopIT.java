package io.taxietl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.taxietl.testing.Await;
import io.taxietl.testing.LocalKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local run (the pipeline JAR on embedded Flink, as a user starts it) stopped by SIGTERM in the
 * middle of a Kafka stream: the signal drains the job, every event it read is published, and a new
 * run with the same consumer group writes the rest, each event once; a second signal stops at once,
 * and the run says what it published and what not, every published file whole. A run that finishes
 * leaves neither empty staging folders nor its checkpoint folder. Each run gets a temp folder of
 * its own ({@code -Djava.io.tmpdir}), where its checkpoints go by default.
 */
class LocalRunStopIT {
  @RegisterExtension static final LocalKafka KAFKA = new LocalKafka();

  private static final Path PIPELINE_JAR =
      Path.of(System.getProperty("pipeline.jar", "target/streaming-etl.jar"));
  private static final Duration DEADLINE = Duration.ofMinutes(5);
  private static final int SIGTERM_EXIT = 128 + 15;
  private static final Pattern PUBLISHED =
      Pattern.compile("(parquet|dead-letter) files +([\\d,]+) below (\\S+)\n");
  private static final Pattern LEFT_CHECKPOINTS =
      Pattern.compile("this run's checkpoints: (\\S+) stays until the next local run removes it");
  private static final Pattern EVENTS_READ = Pattern.compile("events read +([\\d,]+)\n");
  private static final Pattern WATERMARKS_SKIPPED =
      Pattern.compile("watermarks skipped +([\\d,]+)\n");

  @TempDir Path work;

  @Test
  void sigtermDrainsTheJobAndANewRunWithTheSameGroupWritesTheRest() throws Exception {
    TopicRun stream = new TopicRun("drain");
    OutageInput.Expected all = stream.input.expected(3);
    Path trips = stream.trips;
    Path deadLetters = stream.deadLetters;
    Path tmp = stream.tmp;
    Path log = work.resolve("drained.log");
    long started = System.nanoTime();
    int exitCode;
    String output;
    try (JarRun.Background run = stream.startPastFirstFiles(log)) {
      try {
        exitCode = run.terminate(DEADLINE);
        output = run.output();
      } catch (AssertionError | RuntimeException e) {
        keep(log);
        throw e;
      }
    }
    double firstSeconds = (System.nanoTime() - started) / 1e9;
    long firstRows = TripOutput.rows(trips).size();
    long firstDeadLetters = TripOutput.deadLetters(deadLetters).size();
    try {
      assertThat(exitCode).as("exit code after SIGTERM").isEqualTo(SIGTERM_EXIT);
      assertThat(output)
          .contains("SIGTERM: draining the job")
          .containsPattern("Stopped by SIGTERM after [\\d.,]+ s: the job was drained")
          .contains(
              "Consumer group drain-test has committed the offsets of every event read: a new run"
                  + " with this group carries on after them.")
          .doesNotContain("Stopped after ");
      // Every event the drained run read is published: trips, dead letters, watermark events.
      assertThat(firstRows + firstDeadLetters + count(WATERMARKS_SKIPPED, output))
          .as("rows, dead letters and watermark events published by the drained run")
          .isEqualTo(count(EVENTS_READ, output));
      assertThat(listing(work.resolve("out"))).containsExactly("dead-letters", "trips");
      assertThat(listing(tmp.resolve("taxi-etl-checkpoints"))).as("checkpoint folders").isEmpty();
    } catch (AssertionError | RuntimeException e) {
      keep(log);
      throw new AssertionError(e.getMessage() + "\nthe run's output:\n" + output, e);
    }

    // Events sent while no job runs; a new run with the same group carries on where the drained
    // one stopped.
    KafkaTestInput.produce(KAFKA, stream.topic, stream.input.part(2));
    Path secondLog = work.resolve("carried-on.log");
    try (JarRun.Background run =
        JarRun.start(PIPELINE_JAR, jvmFlags(tmp), stream.args, Map.of(), secondLog)) {
      try {
        KafkaTestInput.awaitPublished(
            run,
            trips,
            deadLetters,
            all.tripIds().size(),
            all.rejections().size(),
            DEADLINE,
            secondLog);
        assertThat(run.terminate(DEADLINE)).isEqualTo(SIGTERM_EXIT);
      } catch (AssertionError | RuntimeException e) {
        keep(secondLog);
        throw e;
      }
    }
    Map<Long, Integer> copies = TripOutput.countByTripId(TripOutput.rows(trips));
    assertThat(copies.keySet()).as("trips after both runs").isEqualTo(all.tripIds());
    assertThat(copies.values()).as("copies of each trip").containsOnly(1);
    Map<String, Integer> deadLetterCopies = new TreeMap<>();
    TripOutput.deadLetters(deadLetters)
        .forEach(d -> deadLetterCopies.merge(d.get("payload").asText(), 1, Integer::sum));
    assertThat(deadLetterCopies.keySet()).isEqualTo(all.rejections());
    assertThat(deadLetterCopies.values()).containsOnly(1);
    System.out.printf(
        "LocalRunStopIT: SIGTERM drained the run after %.1f s (exit 143): %,d events read, %,d rows"
            + " and %d dead letters published; a new run with the same group wrote the rest: %,d"
            + " trips and %d dead letters once each%n",
        firstSeconds,
        count(EVENTS_READ, output),
        firstRows,
        firstDeadLetters,
        copies.size(),
        deadLetterCopies.size());
  }

  @Test
  void aSecondSigtermStopsAtOnceAndSaysWhatWasPublishedEachFileWhole() throws Exception {
    TopicRun stream = new TopicRun("stop");
    OutageInput.Expected all = stream.input.expected(3);
    Path trips = stream.trips;
    Path deadLetters = stream.deadLetters;
    Path tmp = stream.tmp;
    Path log = work.resolve("stopped.log");
    long started = System.nanoTime();
    int exitCode;
    String output;
    try (JarRun.Background run = stream.startPastFirstFiles(log)) {
      try {
        KafkaTestInput.produce(KAFKA, stream.topic, stream.input.part(2));
        run.signal();
        Await.until(
            () -> run.output().contains("SIGTERM: draining the job"),
            DEADLINE,
            "the run to start draining");
        exitCode = run.terminate(Duration.ofMinutes(1));
        output = run.output();
      } catch (AssertionError | RuntimeException e) {
        keep(log);
        throw e;
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    try {
      assertThat(exitCode).as("exit code after SIGTERM").isEqualTo(SIGTERM_EXIT);
      assertThat(output)
          .contains("SIGTERM again: stopping at once.")
          .contains("Stopped after ")
          .contains("before the job finished (Ctrl-C, SIGTERM or the JVM exiting)")
          .contains("Summary until the stop")
          .containsPattern("trips parsed +[\\d,]+\n")
          .containsPattern("dead letters +[\\d,]+\n")
          .contains("this run publishes no more files")
          .contains(
              "stay in "
                  + work.resolve("out/.trips-staging")
                  + " and "
                  + work.resolve("out/.dead-letters-staging"))
          .contains("Consumer group stop-test has committed the offsets");

      Map<String, Long> published = publishedCounts(output);
      List<Path> parquetFiles = TestFiles.parquetFiles(trips);
      List<Path> deadLetterFiles = TestFiles.filesEndingWith(deadLetters, ".jsonl");
      assertThat(published)
          .as("files published, as the report says and as found")
          .isEqualTo(
              Map.of(
                  "parquet " + trips, (long) parquetFiles.size(),
                  "dead-letter " + deadLetters, (long) deadLetterFiles.size()));
      TripOutput.assertOnlyParquetFiles(trips);
      assertThat(TestFiles.filesEndingWith(deadLetters, ""))
          .as("nothing but dead-letter files below the dead-letter folder")
          .allMatch(path -> Files.isDirectory(path) || path.toString().endsWith(".jsonl"));

      // Whole files: each reads to its end (a cut Parquet file has no footer and fails to open).
      long rows = 0;
      for (Path file : parquetFiles) {
        long fileRows = parquetRows(file);
        assertThat(fileRows).as("rows of %s", file).isPositive();
        rows += fileRows;
      }
      Map<Long, Integer> copies = TripOutput.countByTripId(TripOutput.rows(trips));
      assertThat(copies.values().stream().mapToLong(Integer::longValue).sum())
          .as("rows read back from all files")
          .isEqualTo(rows);
      assertThat(copies.values()).as("copies of each published trip").containsOnly(1);
      assertThat(all.tripIds()).containsAll(copies.keySet());
      List<JsonNode> deadLetterRecords = TripOutput.deadLetters(deadLetters);
      assertThat(deadLetterRecords).isNotEmpty();
      deadLetterRecords.forEach(
          record -> assertThat(all.rejections()).contains(record.get("payload").asText()));
      long eventsRead = count(EVENTS_READ, output);
      assertThat(eventsRead).as("events read").isGreaterThanOrEqualTo(rows);

      Matcher left = LEFT_CHECKPOINTS.matcher(output);
      assertThat(left.find()).as("the report names the run's checkpoint folder").isTrue();
      Path checkpoints = Path.of(left.group(1));
      assertThat(listing(tmp.resolve("taxi-etl-checkpoints")))
          .as("the run's own folder, alone below the temp folder's taxi-etl-checkpoints")
          .containsExactly(checkpoints.getFileName().toString());
      assertThat(checkpoints.getParent()).isEqualTo(tmp.resolve("taxi-etl-checkpoints"));
      System.out.printf(
          "LocalRunStopIT: stopped by a second SIGTERM after %.1f s (exit %d); %,d events read, %d Parquet"
              + " files (%,d rows) and %d dead-letter files published, each whole; %,d of %,d trips"
              + " not published; checkpoint folder %s left for the next run%n",
          seconds,
          exitCode,
          eventsRead,
          parquetFiles.size(),
          rows,
          deadLetterFiles.size(),
          all.tripIds().size() - rows,
          all.tripIds().size(),
          tmp.relativize(checkpoints));
    } catch (AssertionError | RuntimeException e) {
      keep(log);
      throw new AssertionError(e.getMessage() + "\nthe run's output:\n" + output, e);
    }
  }

  @Test
  void aRunThatFinishesLeavesNoEmptyStagingFolderAndNoCheckpointFolder() throws IOException {
    RunnerTestInput input = RunnerTestInput.write(Files.createDirectories(work.resolve("in")));
    Path out = work.resolve("out");
    Path tmp = Files.createDirectories(work.resolve("tmp"));
    // Left by a run stopped by a signal (its process is gone), and the folder of a run still going.
    Path ended = tmp.resolve("taxi-etl-checkpoints/run-20261203-205136-999999999");
    Files.createDirectories(ended.resolve("42ee3ec7742d86185a6a0a84992071a0/chk-8"));
    Files.write(ended.resolve("42ee3ec7742d86185a6a0a84992071a0/chk-8/_metadata"), new byte[] {1});
    Path running =
        tmp.resolve("taxi-etl-checkpoints/run-20261203-205136-" + ProcessHandle.current().pid());
    Files.createDirectories(running.resolve("9b998c751a34150087cc3de6fa046d4a/shared"));
    Path log = work.resolve("finished.log");
    JarRun run =
        JarRun.run(
            PIPELINE_JAR,
            jvmFlags(tmp),
            List.of(
                "--inputPath=" + input.file(),
                "--outputPath=" + out.resolve("trips"),
                "--deadLetterPath=" + out.resolve("dead-letters")),
            Map.of(),
            log,
            RunnerTestInput.RUN_DEADLINE);
    try {
      assertThat(run.exitCode()).as("exit code").isZero();
      RunOutput.of("finished run", out.resolve("trips"), out.resolve("dead-letters"))
          .assertIsTheOutputOf(input);
      assertThat(listing(out))
          .as("the output folder holds the published folders only")
          .containsExactly("dead-letters", "trips");
      assertThat(listing(tmp.resolve("taxi-etl-checkpoints")))
          .as("checkpoint folders left: only that of the run still going")
          .containsExactly(running.getFileName().toString());
      assertThat(running.resolve("9b998c751a34150087cc3de6fa046d4a/shared")).isDirectory();
      assertThat(run.output())
          .contains(
              "Removed the checkpoint folders of 1 local run(s) stopped before their end: ["
                  + ended
                  + "]")
          .doesNotContain("Stopped after");
      System.out.printf(
          "LocalRunStopIT: finished run %.1f s; output folder holds %s; checkpoint folders left:"
              + " %s%n",
          run.seconds(), listing(out), listing(tmp.resolve("taxi-etl-checkpoints")));
    } catch (AssertionError e) {
      keep(log);
      throw e;
    }
  }

  /** A Kafka topic for one test, its input, and the folders and arguments of the runs over it. */
  private final class TopicRun {
    final String topic;
    final OutageInput input;
    final Path trips = work.resolve("out/trips");
    final Path deadLetters = work.resolve("out/dead-letters");
    final Path tmp;
    final List<String> args;

    private TopicRun(String name) throws IOException {
      topic = name + "-in";
      KAFKA.createTopic(topic, 2);
      input = OutageInput.of(name, 6_000);
      tmp = Files.createDirectories(work.resolve("tmp"));
      args = kafkaArgs(topic, name + "-test", trips, deadLetters);
    }

    /**
     * Starts the JAR over the topic, sends the first part of the input and waits for its first
     * files, then sends the second part, whose windows are open when this returns.
     */
    JarRun.Background startPastFirstFiles(Path log) throws InterruptedException {
      JarRun.Background run = JarRun.start(PIPELINE_JAR, jvmFlags(tmp), args, Map.of(), log);
      try {
        KafkaTestInput.produce(KAFKA, topic, input.part(0));
        awaitFirstFiles(run, trips, deadLetters);
        KafkaTestInput.produce(KAFKA, topic, input.part(1));
        return run;
      } catch (AssertionError | RuntimeException e) {
        run.close();
        keep(log);
        throw e;
      }
    }
  }

  private static List<String> kafkaArgs(String topic, String group, Path trips, Path deadLetters) {
    return List.of(
        "--source=KAFKA",
        "--inputKafkaBootstrapServers=" + KAFKA.bootstrapServers(),
        "--inputKafkaTopic=" + topic,
        "--kafkaConsumerGroup=" + group,
        "--kafkaStartingPosition=EARLIEST",
        "--outputPath=" + trips,
        "--deadLetterPath=" + deadLetters,
        "--windowSizeSeconds=5",
        "--checkpointingInterval=2000");
  }

  private static void awaitFirstFiles(JarRun.Background run, Path trips, Path deadLetters) {
    Await.until(
        () -> {
          if (!run.isAlive()) {
            throw new AssertionError("the job ended; its log:\n" + run.tail());
          }
          return !TestFiles.parquetFiles(trips).isEmpty()
              && !TestFiles.filesEndingWith(deadLetters, ".jsonl").isEmpty();
        },
        DEADLINE,
        "a Parquet file and a dead-letter file published");
  }

  private static List<String> jvmFlags(Path tmp) {
    List<String> flags = new ArrayList<>(RunnerTestInput.JVM_FLAGS);
    flags.add("-Djava.io.tmpdir=" + tmp);
    return flags;
  }

  /** The names in {@code folder} (none when it does not exist). */
  private static List<String> listing(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> names = Files.list(folder)) {
      return names.map(path -> path.getFileName().toString()).sorted().toList();
    }
  }

  /** The report's published-file counts, by kind and folder. */
  private static Map<String, Long> publishedCounts(String output) {
    Map<String, Long> counts = new TreeMap<>();
    Matcher matcher = PUBLISHED.matcher(output);
    while (matcher.find()) {
      counts.put(
          matcher.group(1) + " " + matcher.group(3),
          Long.parseLong(matcher.group(2).replace(",", "")));
    }
    return counts;
  }

  private static long count(Pattern pattern, String output) {
    Matcher matcher = pattern.matcher(output);
    assertThat(matcher.find()).as("%s in the output", pattern).isTrue();
    return Long.parseLong(matcher.group(1).replace(",", ""));
  }

  /** The rows of one Parquet file, read by DuckDB to its end. */
  private static long parquetRows(Path file) {
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = duckdb.createStatement();
        ResultSet result = sql.executeQuery("SELECT count(*) FROM read_parquet('" + file + "')")) {
      result.next();
      return result.getLong(1);
    } catch (SQLException e) {
      throw new AssertionError(file + " does not read as a whole Parquet file", e);
    }
  }

  private static void keep(Path log) {
    try {
      Files.copy(
          log,
          Path.of("target").resolve("LocalRunStopIT-" + log.getFileName()),
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
