package io.taxietl.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real server that the project's own script in {@code scripts/} starts on 127.0.0.1 and stops:
 * the same script a user runs. Register a subclass with {@code @RegisterExtension static} to have
 * it started before a test class and stopped after it, or use it with try-with-resources.
 *
 * <p>The script's {@code start} waits for the server to answer (with its own deadline) and exits
 * non-zero with the server's log on failure; {@code stop} ends the whole process group.
 */
public abstract class ScriptedServer implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
  private static final long SCRIPT_TIMEOUT_MINUTES = 10;

  /** The lowest port {@link #freePort} hands out. */
  private static final int FIRST_PORT = 20_000;

  private final String script;
  private final Path dataDir;
  private final int port;
  private boolean running;

  /**
   * @param script the file name below {@code scripts/}, e.g. {@code kafka.sh}
   */
  protected ScriptedServer(String script) {
    this.script = script;
    this.port = freePort();
    try {
      this.dataDir = Files.createTempDirectory("taxietl-" + script.replace(".sh", "") + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Extra environment variables for the script (and so for the server it starts). */
  protected Map<String, String> environment() {
    return Map.of();
  }

  /** Extra arguments for {@code start}, after {@code --dir} and {@code --port}. */
  protected List<String> startArguments() {
    return List.of();
  }

  public final int port() {
    return port;
  }

  public final Path dataDir() {
    return dataDir;
  }

  /** Starts the server unless it is running; returns when it answers. */
  public synchronized void start() {
    if (running) {
      return;
    }
    List<String> args =
        new ArrayList<>(
            List.of("start", "--dir", dataDir.toString(), "--port", Integer.toString(port)));
    args.addAll(startArguments());
    runScript(args);
    running = true;
  }

  /** Stops the server and everything it started. */
  public synchronized void stop() {
    if (running) {
      running = false;
      runScript(List.of("stop", "--dir", dataDir.toString()));
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  /** Stops the server and deletes its data folder. */
  @Override
  public void close() {
    stop();
    deleteDataDir();
  }

  private void deleteDataDir() {
    if (!Files.exists(dataDir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dataDir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dataDir, e);
    }
  }

  /**
   * Runs {@code scripts/<script> args...} and returns its standard output; fails with its output.
   */
  protected final String runScript(List<String> args) {
    List<String> command =
        new ArrayList<>(List.of("bash", repoRoot().resolve("scripts").resolve(script).toString()));
    command.addAll(args);
    try {
      Path output = Files.createTempFile(dataDir, "script-", ".log");
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
      builder.environment().putAll(environment());
      Process process = builder.start();
      if (!process.waitFor(SCRIPT_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            String.join(" ", command)
                + " did not finish in "
                + SCRIPT_TIMEOUT_MINUTES
                + " minutes");
      }
      String text = Files.readString(output, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command) + " exited with " + process.exitValue() + ":\n" + text);
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    }
  }

  /**
   * The repository root: the nearest folder above the working directory that has {@code
   * scripts/lib.sh}.
   */
  public static Path repoRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("scripts/lib.sh"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no scripts/lib.sh above " + Path.of("").toAbsolutePath());
  }

  /**
   * A TCP port on 127.0.0.1 that is free right now, below the kernel's ephemeral range: outgoing
   * connections take their local ports from that range, and one of them on a server's port between
   * this check and the server's start makes its bind fail (as {@code free_port} in scripts/lib.sh).
   */
  public static int freePort() {
    int below = ephemeralRangeStart();
    for (int attempt = 0; attempt < 1_000; attempt++) {
      int port = FIRST_PORT + ThreadLocalRandom.current().nextInt(below - FIRST_PORT);
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      } catch (IOException e) {
        // taken: try another
      }
    }
    throw new IllegalStateException(
        "no free port between " + FIRST_PORT + " and " + below + " on 127.0.0.1");
  }

  private static int ephemeralRangeStart() {
    try {
      String range =
          Files.readString(
              Path.of("/proc/sys/net/ipv4/ip_local_port_range"), StandardCharsets.UTF_8);
      int low = Integer.parseInt(range.trim().split("\\s+")[0]);
      return low > FIRST_PORT + 1_000 ? low : 32_768;
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }
}
