package io.taxietl.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A job running in a JVM of its own (a given classpath, a fixed maximum heap), so that its CPU time
 * and peak memory can be read from {@code /proc/<pid>/stat} (user + system time of all its threads)
 * and {@code /proc/<pid>/status} ({@code VmHWM}, the peak resident set).
 */
final class ChildJob implements AutoCloseable {
  /** Clock ticks per second of /proc/<pid>/stat on Linux (USER_HZ, 100 on every common kernel). */
  private static final double TICKS_PER_SECOND = 100.0;

  private final Process process;
  private final Path log;
  private final long startMillis;

  private ChildJob(Process process, Path log, long startMillis) {
    this.process = process;
    this.log = log;
    this.startMillis = startMillis;
  }

  /**
   * What /proc says about the job's process: its CPU seconds, of which its JIT compiler threads and
   * its garbage collector threads used {@code jitSeconds} and {@code gcSeconds}, and its peak RSS.
   */
  record Usage(double cpuSeconds, double jitSeconds, double gcSeconds, long peakRssBytes) {}

  static ChildJob start(
      String mainClass,
      String classpath,
      List<String> args,
      String heap,
      List<String> extraJvmFlags,
      Path log) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heap);
    command.add("-XX:+UseParallelGC");
    command.addAll(Arrays.asList(jvmOpens().split("\\s+")));
    command.addAll(extraJvmFlags);
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass);
    command.addAll(args);
    try {
      Files.createDirectories(log.getParent());
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .start();
      return new ChildJob(process, log, System.currentTimeMillis());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + mainClass, e);
    }
  }

  long startMillis() {
    return startMillis;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  Path log() {
    return log;
  }

  /** CPU seconds and peak RSS so far; {@code lastKnown} once the process has ended. */
  Usage usage(Usage lastKnown) {
    try {
      return usage();
    } catch (IllegalArgumentException | UncheckedIOException e) {
      if (process.isAlive()) {
        throw e;
      }
      return lastKnown;
    }
  }

  private Usage usage() {
    try {
      String stat =
          Files.readString(
              Path.of("/proc", Long.toString(process.pid()), "stat"), StandardCharsets.US_ASCII);
      String status =
          Files.readString(
              Path.of("/proc", Long.toString(process.pid()), "status"), StandardCharsets.US_ASCII);
      double jit = 0;
      double gc = 0;
      try (DirectoryStream<Path> threads =
          Files.newDirectoryStream(Path.of("/proc", Long.toString(process.pid()), "task"))) {
        for (Path thread : threads) {
          String threadStat = readThreadStat(thread);
          if (threadStat == null) {
            continue;
          }
          String name = threadName(threadStat);
          if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
            jit += cpuSeconds(threadStat);
          } else if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
            gc += cpuSeconds(threadStat);
          }
        }
      }
      return new Usage(cpuSeconds(stat), jit, gc, peakRssBytes(status));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read /proc of pid " + process.pid() + " (has it ended?)", e);
    }
  }

  /** A thread's /proc stat line, or null if the thread has ended meanwhile. */
  private static String readThreadStat(Path thread) {
    try {
      return Files.readString(thread.resolve("stat"), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      return null;
    }
  }

  /** The command (thread) name of a /proc stat line: field 2, between the parentheses. */
  static String threadName(String stat) {
    return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
  }

  /** utime + stime (fields 14 and 15) of a /proc/<pid>/stat line, in seconds. */
  static double cpuSeconds(String stat) {
    // The command name (field 2) is in parentheses and may hold spaces: count fields after the last
    // ')'.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    return ticks / TICKS_PER_SECOND;
  }

  /**
   * CPU seconds that the whole machine has spent busy since boot: user, nice, system, irq and
   * softirq time of the {@code cpu} line of {@code /proc/stat}. The difference over a run, minus
   * the job's own CPU seconds, is what everything else used meanwhile (the broker, this harness,
   * other users of a shared machine).
   */
  static double machineBusySeconds(String procStat) {
    for (String line : procStat.split("\n")) {
      if (line.startsWith("cpu ")) {
        String[] f = line.trim().split("\\s+");
        long ticks = 0;
        for (int field : new int[] {1, 2, 3, 6, 7}) {
          ticks += Long.parseLong(f[field]);
        }
        return ticks / TICKS_PER_SECOND;
      }
    }
    throw new IllegalArgumentException("no cpu line in /proc/stat");
  }

  /** {@link #machineBusySeconds(String)} of this machine now. */
  static double machineBusySeconds() {
    try {
      return machineBusySeconds(Files.readString(Path.of("/proc/stat"), StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc/stat", e);
    }
  }

  /** The VmHWM line of /proc/<pid>/status, in bytes. */
  static long peakRssBytes(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("VmHWM:")) {
        String[] parts = line.substring(6).trim().split("\\s+");
        return Long.parseLong(parts[0]) * 1024;
      }
    }
    throw new IllegalArgumentException("no VmHWM line in /proc/<pid>/status");
  }

  String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  /** Stops the job: politely (SIGTERM), then firmly after 30 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static String jvmOpens() {
    try (InputStream in = ChildJob.class.getResourceAsStream("/benchmark-jvm.properties")) {
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("jvm.opens").trim();
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("benchmark-jvm.properties is missing from the classpath", e);
    }
  }
}
