package io.taxietl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.taxietl.testing.LocalKafka;
import io.taxietl.testing.ScriptedServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The input of the runner end-to-end tests: every line of the bundled sample (19,745 real trips)
 * with bad lines mixed in, one of each rejection reason plus one that is not UTF-8, a watermark
 * event and a blank line, written gzipped as one file. Knows what each line must become.
 */
public final class RunnerTestInput {
  /** The bundled sample, from any module's folder of this repository. */
  static final String SAMPLE = "pipeline/src/main/resources/sample/taxi-trips-sample.jsonl.gz";

  /** How long one run of this input may take on any runner, under the load of a whole test run. */
  public static final Duration RUN_DEADLINE = Duration.ofMinutes(6);

  /** A heap that fits this input on every runner, beside the other JVMs of a test run. */
  public static final List<String> JVM_FLAGS = List.of("-Xmx2g");

  private final Path file;
  private final List<TestEvents.Event> lines;
  private final Set<Long> tripIds;
  private final Map<Long, String> rejectionsByLine;

  private RunnerTestInput(
      Path file,
      List<TestEvents.Event> lines,
      Set<Long> tripIds,
      Map<Long, String> rejectionsByLine) {
    this.file = file;
    this.lines = lines;
    this.tripIds = tripIds;
    this.rejectionsByLine = rejectionsByLine;
  }

  /** Writes the input below {@code folder}. */
  public static RunnerTestInput write(Path folder) {
    List<TestEvents.Event> bad = new ArrayList<>(TestEvents.badTextEvents("runners"));
    bad.add(
        new TestEvents.Event(
            new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'}, "MALFORMED_JSON"));
    bad.add(new TestEvents.Event(new byte[0], null));
    return write(folder, "sample-with-bad-lines.jsonl.gz", TestEvents.mix(sample(), bad));
  }

  /**
   * Writes {@code lines} (each with the reason it must be rejected for, or null) as a gzip file
   * named {@code fileName} below {@code folder}.
   */
  static RunnerTestInput write(Path folder, String fileName, List<TestEvents.Event> lines) {
    Path file = folder.resolve(fileName);
    Set<Long> tripIds = new HashSet<>();
    Map<Long, String> rejections = new TreeMap<>();
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      long lineNumber = 0;
      for (TestEvents.Event line : lines) {
        lineNumber++;
        out.write(line.payload());
        out.write('\n');
        if (line.expectedReason() != null) {
          rejections.put(lineNumber, line.expectedReason());
        } else if (line.payload().length > 0 && !line.text().contains("\"watermark\"")) {
          tripIds.add(TripOutput.JSON.readTree(line.payload()).get("trip_id").asLong());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new RunnerTestInput(
        file,
        List.copyOf(lines),
        Collections.unmodifiableSet(tripIds),
        Collections.unmodifiableMap(rejections));
  }

  /**
   * Runs this input through {@code jar} with {@code --source=FILE} and output folders of its own
   * below {@code work}, the way a user runs it ({@code java [jvmFlags] -jar jar --source=FILE
   * --inputPath=... --outputPath=... --deadLetterPath=... [runnerArgs]}); fails unless it exits 0
   * within {@code deadline}.
   */
  public RunOutput runThrough(
      String name,
      Path jar,
      List<String> jvmFlags,
      List<String> runnerArgs,
      Map<String, String> environment,
      Path work,
      Duration deadline) {
    Path trips = work.resolve(name).resolve("trips");
    Path deadLetters = work.resolve(name).resolve("dead-letters");
    List<String> args =
        new ArrayList<>(
            List.of(
                "--source=FILE",
                "--inputPath=" + file,
                "--outputPath=" + trips,
                "--deadLetterPath=" + deadLetters));
    args.addAll(runnerArgs);
    JarRun run =
        JarRun.run(jar, jvmFlags, args, environment, work.resolve(name + ".log"), deadline);
    assertThat(run.exitCode())
        .as("exit code of the %s run; its log:%n%s", name, run.tail())
        .isZero();
    System.out.printf(
        Locale.ROOT,
        "%s: %s ran %s in %.1f s%n",
        name,
        jar.getFileName(),
        file.getFileName(),
        run.seconds());
    return RunOutput.of(name, trips, deadLetters);
  }

  /**
   * The reference run that the other runners are compared with: this input through the pipeline JAR
   * on embedded Flink (its default runner), checked against what each line must become.
   */
  public RunOutput runOnEmbeddedFlink(Path pipelineJar, Path work) {
    RunOutput flink =
        runThrough(
            "flink-embedded", pipelineJar, JVM_FLAGS, List.of(), Map.of(), work, RUN_DEADLINE);
    flink.assertIsTheOutputOf(this);
    return flink;
  }

  /**
   * Produces every event of this input (each line but the blank ones) into {@code topic}, in order.
   */
  public void produceTo(LocalKafka kafka, String topic) {
    KafkaTestInput.produce(
        kafka, topic, lines.stream().filter(line -> line.payload().length > 0).toList());
  }

  /**
   * What the dead letters of a run of this input must hold: each bad event's reason and its payload
   * as {@link RunOutput#deadLetterReasonsAndPayloads()} shows it, with how often.
   */
  public Map<String, Integer> expectedDeadLetterReasonsAndPayloads() {
    Map<String, Integer> expected = new HashMap<>();
    for (TestEvents.Event line : lines) {
      if (line.expectedReason() != null) {
        expected.merge(line.expectedReason() + " " + keptPayload(line.payload()), 1, Integer::sum);
      }
    }
    return expected;
  }

  /**
   * A payload as a dead letter keeps it: the text if it is UTF-8, else its Base64 marked {@code
   * base64:}.
   */
  private static String keptPayload(byte[] payload) {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(payload)).toString();
    } catch (CharacterCodingException e) {
      return "base64:" + Base64.getEncoder().encodeToString(payload);
    }
  }

  public Path file() {
    return file;
  }

  /** The trip id of every line that must become a row. */
  public Set<Long> tripIds() {
    return tripIds;
  }

  /** The rejection reason of every line that must become a dead letter, by 1-based line number. */
  public Map<Long, String> rejectionsByLine() {
    return rejectionsByLine;
  }

  /** The bundled sample's lines, each with its expected outcome. */
  static List<TestEvents.Event> sample() {
    Path sample = ScriptedServer.repoRoot().resolve(SAMPLE);
    List<TestEvents.Event> events = new ArrayList<>();
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(sample)), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        events.add(
            new TestEvents.Event(
                line.getBytes(StandardCharsets.UTF_8),
                IndependentCheck.rejection(TripOutput.JSON.readTree(line))));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return events;
  }
}
