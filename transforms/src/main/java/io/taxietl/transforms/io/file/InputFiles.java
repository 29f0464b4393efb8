package io.taxietl.transforms.io.file;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Which files an input path names: one file, a glob ({@code events/*.jsonl.gz}), or a folder, which
 * stands for every file below it, in sub-folders too ({@code events/} is {@code events/**}).
 *
 * <p>Hidden files are not event files: a file whose name starts with {@code .} or {@code _} ({@code
 * _SUCCESS}, {@code .crc}, {@code .DS_Store}: the convention of Hadoop's and Spark's readers) is
 * skipped when a glob or a folder finds it, and so is everything in a hidden sub-folder of a named
 * folder. A file named on its own is always read.
 */
public final class InputFiles implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String path;
  private final @Nullable String folder;

  /** {@code folder}: for a folder, the prefix of the names of the files below it; else null. */
  private InputFiles(String path, @Nullable String folder) {
    this.path = path;
    this.folder = folder;
  }

  /**
   * What {@code path} names, asking its file system only when the path has no wildcard: whether it
   * is a folder (a local directory, or an {@code s3://} prefix with objects below it). A path that
   * cannot be listed counts as a file; reading it reports why.
   */
  public static InputFiles of(String path) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("input path can not be null or blank");
    }
    if (FileSystems.hasGlobWildcard(path)) {
      return new InputFiles(path, null);
    }
    try {
      MatchResult named = FileSystems.match(path, EmptyMatchTreatment.ALLOW);
      if (named.status() == MatchResult.Status.OK && !named.metadata().isEmpty()) {
        ResourceId found = named.metadata().get(0).resourceId();
        return new InputFiles(path, found.isDirectory() ? withSlash(found.toString()) : null);
      }
      if (path.endsWith("/")) {
        return new InputFiles(path, path);
      }
      MatchResult below = FileSystems.match(path + "/**", EmptyMatchTreatment.ALLOW);
      boolean prefix = below.status() == MatchResult.Status.OK && !below.metadata().isEmpty();
      return new InputFiles(path, prefix ? withSlash(path) : null);
    } catch (IOException | IllegalArgumentException e) {
      return new InputFiles(path, null);
    }
  }

  /** The path as given. */
  public String path() {
    return path;
  }

  /** Whether the path is a folder, read recursively. */
  public boolean isFolder() {
    return folder != null;
  }

  /** The pattern to match: the path itself, or every file below a folder. */
  public String pattern() {
    return folder != null ? folder + "**" : path;
  }

  /** The files to read, hidden ones skipped, in the file system's order. */
  public List<MatchResult.Metadata> list() throws IOException {
    MatchResult match = FileSystems.match(pattern(), EmptyMatchTreatment.ALLOW);
    List<MatchResult.Metadata> files = new ArrayList<>();
    if (match.status() != MatchResult.Status.OK) {
      return files;
    }
    for (MatchResult.Metadata file : match.metadata()) {
      if (!file.resourceId().isDirectory() && !isHidden(file.resourceId())) {
        files.add(file);
      }
    }
    return files;
  }

  /** Whether {@code file}, found by this path, is hidden and so not read. */
  boolean isHidden(ResourceId file) {
    return isHidden(file.toString(), folder, folder != null || FileSystems.hasGlobWildcard(path));
  }

  /**
   * Whether the file named {@code file} is hidden: its name (and, below {@code folder}, any folder
   * on the way) starts with {@code .} or {@code _}. {@code found}: the file was found by a glob or
   * in a folder; a file named on its own is never hidden.
   */
  static boolean isHidden(String file, @Nullable String folder, boolean found) {
    if (!found) {
      return false;
    }
    String relative =
        folder != null && file.startsWith(folder)
            ? file.substring(folder.length())
            : file.substring(file.lastIndexOf('/') + 1);
    for (String part : relative.split("/")) {
      if (part.startsWith(".") || part.startsWith("_")) {
        return true;
      }
    }
    return false;
  }

  private static String withSlash(String path) {
    return path.endsWith("/") ? path : path + "/";
  }
}
