package io.taxietl.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A launcher JAR run to its end the way a user runs it, {@code java -jar JAR ARGS} from the
 * repository root, in a JVM of its own; its console goes to a log file. A run still going at its
 * deadline is killed and fails the test.
 */
public final class JarRun {
  private final int exitCode;
  private final Path log;
  private final double seconds;

  private JarRun(int exitCode, Path log, double seconds) {
    this.exitCode = exitCode;
    this.log = log;
    this.seconds = seconds;
  }

  /** A run that goes on until it is closed (a streaming job): closing kills it. */
  public static final class Background implements AutoCloseable {
    private final Process process;
    private final Path log;

    private Background(Process process, Path log) {
      this.process = process;
      this.log = log;
    }

    public boolean isAlive() {
      return process.isAlive();
    }

    public String tail() {
      return JarRun.tail(log);
    }

    /** Sends the run SIGTERM and returns at once. */
    public void signal() {
      process.destroy();
    }

    /**
     * Sends the run SIGTERM (as {@code kill PID} or a service manager does; on Linux what {@link
     * Process#destroy} sends), waits up to {@code deadline} for it to exit and returns its exit
     * code.
     */
    public int terminate(Duration deadline) throws InterruptedException {
      signal();
      if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        throw new AssertionError(
            "the run did not exit within " + deadline.toSeconds() + " s of SIGTERM:\n" + tail());
      }
      return process.exitValue();
    }

    /** The run's console output so far. */
    public String output() {
      return read(log);
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * Runs {@code java [jvmFlags] -jar jar args} with {@code environment} added to this JVM's, and
   * waits for it to end.
   */
  public static JarRun run(
      Path jar,
      List<String> jvmFlags,
      List<String> args,
      Map<String, String> environment,
      Path log,
      Duration deadline) {
    long start = System.nanoTime();
    Process process = launch(jar, jvmFlags, args, environment, log);
    try {
      if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        throw new AssertionError(
            "java -jar "
                + jar
                + " did not end within "
                + deadline.toSeconds()
                + " s; its log:\n"
                + tail(log));
      }
      return new JarRun(process.exitValue(), log, (System.nanoTime() - start) / 1e9);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + jar, e);
    }
  }

  /** Starts {@code java [jvmFlags] -jar jar args} and returns while it runs. */
  public static Background start(
      Path jar,
      List<String> jvmFlags,
      List<String> args,
      Map<String, String> environment,
      Path log) {
    return new Background(launch(jar, jvmFlags, args, environment, log), log);
  }

  private static Process launch(
      Path jar,
      List<String> jvmFlags,
      List<String> args,
      Map<String, String> environment,
      Path log) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " does not exist: build it with `mvn package` first");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.add("-jar");
    command.add(jar.toAbsolutePath().toString());
    command.addAll(args);
    try {
      Files.createDirectories(log.getParent());
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(io.taxietl.testing.ScriptedServer.repoRoot().toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      builder.environment().putAll(environment);
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    }
  }

  public int exitCode() {
    return exitCode;
  }

  public double seconds() {
    return seconds;
  }

  /** The run's console output. */
  public String output() {
    return read(log);
  }

  private static String read(Path log) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The last lines of the console output, for failure messages. */
  public String tail() {
    return tail(log);
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }
}
