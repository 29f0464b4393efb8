package io.taxietl.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** File listings for the end-to-end checks. */
final class TestFiles {
  private TestFiles() {}

  static List<Path> parquetFiles(Path folder) {
    return filesEndingWith(folder, ".parquet");
  }

  static List<Path> filesEndingWith(Path folder, String suffix) {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(folder)) {
      return files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
