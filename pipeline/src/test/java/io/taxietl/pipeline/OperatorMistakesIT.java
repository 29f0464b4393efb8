package io.taxietl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mistakes a new user makes with the pipeline JAR, run as a user runs it: {@code --inputPath}
 * naming a folder reads the event files below it (and not its hidden files), and running the same
 * job again into the same output stops before reading anything instead of writing every row twice.
 */
class OperatorMistakesIT {
  private static final Path PIPELINE_JAR =
      Path.of(System.getProperty("pipeline.jar", "target/streaming-etl.jar"));

  @TempDir Path work;

  @Test
  void aFolderIsReadOnceAndASecondRunIntoTheSameOutputIsRefused() throws IOException {
    Path in = work.resolve("in");
    RunnerTestInput input = RunnerTestInput.write(Files.createDirectories(in.resolve("2019/08")));
    // Files a writer leaves beside its output: read, they would add rows or dead letters.
    Files.writeString(in.resolve("_SUCCESS"), "not an event\n", StandardCharsets.UTF_8);
    Files.write(in.resolve(".sample.jsonl.crc"), new byte[] {(byte) 0xff, 0x00, '\n'});
    Files.createDirectories(in.resolve("_temporary/0"));
    Files.copy(input.file(), in.resolve("_temporary/0").resolve(input.file().getFileName()));
    Path trips = work.resolve("out/trips");
    Path deadLetters = work.resolve("out/dead-letters");
    List<String> args =
        List.of("--inputPath=" + in, "--outputPath=" + trips, "--deadLetterPath=" + deadLetters);

    JarRun first = run("first", args);
    assertThat(first.exitCode()).as("first run; its log:%n%s", first.tail()).isZero();
    RunOutput written = RunOutput.of("first run", trips, deadLetters);
    written.assertIsTheOutputOf(input);
    List<Path> files = TestFiles.filesEndingWith(work.resolve("out"), "");
    System.out.printf(
        "OperatorMistakesIT: first run %.1f s, %d rows in %d files%n",
        first.seconds(), input.tripIds().size(), TestFiles.parquetFiles(trips).size());

    JarRun second = run("second", args);
    assertThat(second.exitCode())
        .as("second run; its log:%n%s", second.tail())
        .isEqualTo(StreamingEtlMain.EXIT_BAD_OPTIONS);
    assertThat(second.output())
        .contains(
            "--outputPath="
                + trips
                + " already holds "
                + TestFiles.parquetFiles(trips).size()
                + " Parquet files from an earlier run")
        .contains("--deadLetterPath=" + deadLetters + " already holds ")
        .contains("--appendToOutput=true")
        .doesNotContain("Running on");
    RunOutput.of("after the refused second run", trips, deadLetters).assertIsTheOutputOf(input);
    assertThat(TestFiles.filesEndingWith(work.resolve("out"), ""))
        .as("the refused run changed no file")
        .isEqualTo(files);
    System.out.printf("OperatorMistakesIT: second run refused in %.1f s%n", second.seconds());
  }

  private JarRun run(String name, List<String> args) {
    return JarRun.run(
        PIPELINE_JAR,
        RunnerTestInput.JVM_FLAGS,
        args,
        Map.of(),
        work.resolve(name + ".log"),
        RunnerTestInput.RUN_DEADLINE);
  }
}
