package io.taxietl.pipeline.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;

/**
 * Removes the folders that a finished local run leaves empty: the staging folders' partition
 * folders and the run's checkpoint folder. Only empty folders go, deepest first; a file, and every
 * folder above it, stays. Symbolic links are not followed.
 */
public final class EmptyFolders {
  private EmptyFolders() {}

  /**
   * Removes every empty folder below {@code root}, and {@code root} itself if it ends up empty.
   *
   * @return how many folders were removed (0 when {@code root} is not a folder)
   */
  public static int remove(Path root) {
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    int[] removed = {0};
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<Path>() {
            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException error)
                throws IOException {
              if (error != null) {
                throw error;
              }
              try {
                // Fails on a folder that holds anything, so a file is never removed.
                Files.delete(dir);
                removed[0]++;
              } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                // Kept: it holds a file (or another run removed it first).
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean up the empty folders below " + root, e);
    }
    return removed[0];
  }
}
