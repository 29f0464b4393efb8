package io.taxietl.options;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Where the repository's documentation is: the front page and the pages of {@code docs/}. */
final class Documentation {
  private Documentation() {}

  /** The folder that holds the root pom and {@code docs/}, above the module the test runs in. */
  static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("docs")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "no folder with docs/ and pom.xml above " + Path.of("").toAbsolutePath());
  }

  /** README.md and every Markdown page of docs/, sorted. */
  static List<Path> pages() throws IOException {
    Path root = repositoryRoot();
    List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md")));
    try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
      docs.filter(page -> page.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    return pages;
  }
}
