package io.taxietl.transforms.io.file;

/** Where a writer stages its files before they are published. */
public final class StagingFolders {
  private StagingFolders() {}

  /**
   * The default staging folder of {@code publishedPath}: a hidden sibling, {@code output/trips} ->
   * {@code output/.trips-staging}, so that staged files are on the same file system (a cheap
   * rename) but never below the published folder, where readers that list it recursively would see
   * them.
   *
   * @throws IllegalArgumentException when the folder has no parent to put a sibling in, such as a
   *     bucket root
   */
  public static String siblingOf(String publishedPath) {
    String path = publishedPath;
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    int schemeEnd = path.indexOf("://");
    if (schemeEnd >= 0 && path.indexOf('/', schemeEnd + 3) < 0) {
      throw new IllegalArgumentException(
          "'" + publishedPath + "' is a bucket root: it has no parent folder for a staging folder");
    }
    int slash = path.lastIndexOf('/');
    String name = path.substring(slash + 1);
    if (name.isEmpty() || name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException(
          "'" + publishedPath + "' has no folder name to derive a staging folder from");
    }
    return path.substring(0, slash + 1) + "." + name + "-staging";
  }
}
