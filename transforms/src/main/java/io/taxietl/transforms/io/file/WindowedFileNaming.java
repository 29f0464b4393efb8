package io.taxietl.transforms.io.file;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;

/**
 * File names that say which window, pane and shard wrote them, inside an optional folder: {@code
 * <folder>/<prefix>-20190301T001000Z-20190301T001100Z-0-00000-of-00001<suffix>}. Names contain no
 * colons, so Hadoop-based readers accept them.
 */
public final class WindowedFileNaming implements FileIO.Write.FileNaming {
  private static final long serialVersionUID = 1L;
  private static final DateTimeFormatter COMPACT_UTC =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final String folder;
  private final String prefix;
  private final String suffix;

  public WindowedFileNaming(String folder, String prefix, String suffix) {
    this.folder = folder;
    this.prefix = prefix;
    this.suffix = suffix;
  }

  @Override
  public String getFilename(
      BoundedWindow window, PaneInfo pane, int numShards, int shardIndex, Compression compression) {
    StringBuilder name = new StringBuilder(96);
    if (!folder.isEmpty()) {
      name.append(folder).append('/');
    }
    name.append(prefix).append('-');
    if (window instanceof IntervalWindow) {
      IntervalWindow interval = (IntervalWindow) window;
      name.append(COMPACT_UTC.format(Instant.ofEpochMilli(interval.start().getMillis())))
          .append('-')
          .append(COMPACT_UTC.format(Instant.ofEpochMilli(interval.end().getMillis())));
    } else {
      name.append("global");
    }
    name.append('-').append(pane.getIndex());
    name.append(String.format("-%05d-of-%05d", shardIndex, numShards));
    return name.append(suffix).toString();
  }
}
