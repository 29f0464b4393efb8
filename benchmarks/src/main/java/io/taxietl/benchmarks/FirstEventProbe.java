package io.taxietl.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * When a benchmarked job read its first event: the job's JVM prints one line the moment it has, and
 * the harness finds it in the job's log. The end-to-end time runs from the first event read
 * to the last file committed, so that JVM and Flink start-up, reported apart, do not count.
 */
final class FirstEventProbe {
  static final String LINE_PREFIX = "benchmark: first event read at epoch ms ";

  private static final AtomicBoolean SEEN = new AtomicBoolean();

  private FirstEventProbe() {}

  /** Prints the line the first time it is called in this JVM; cheap after that. */
  static void mark() {
    if (!SEEN.get() && SEEN.compareAndSet(false, true)) {
      System.out.println(LINE_PREFIX + System.currentTimeMillis());
      System.out.flush();
    }
  }

  /** The time printed in {@code log}, if the job got that far. */
  static OptionalLong find(Path log) throws IOException {
    if (!Files.exists(log)) {
      return OptionalLong.empty();
    }
    try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
      return lines
          .filter(line -> line.startsWith(LINE_PREFIX))
          .mapToLong(line -> Long.parseLong(line.substring(LINE_PREFIX.length()).trim()))
          .findFirst();
    }
  }
}
