package io.taxietl.pipeline.validation;

import io.taxietl.options.ParquetOutputOptions;
import io.taxietl.transforms.io.file.PartitionTemplate;
import java.time.ZoneId;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The rules of {@link ParquetOutputOptions}: a partition template that parses, and window and shard
 * counts within bounds. Where the files go is checked with the other sinks ({@link SinkRules}).
 */
final class ParquetOutputRules {
  static final int MAX_WINDOW_SIZE_SECONDS = 24 * 60 * 60;
  static final int MAX_NUM_SHARDS = 1000;

  private ParquetOutputRules() {}

  /**
   * {@code zone}: the event-time zone, or null when it is invalid (the template is not checked).
   */
  static void check(ParquetOutputOptions options, @Nullable ZoneId zone, Problems problems) {
    if (zone != null) {
      problems.parses(
          "partitionTemplate",
          options.getPartitionTemplate(),
          template -> PartitionTemplate.parse(template, zone));
    }
    int window = options.getWindowSizeSeconds();
    if (window < 1 || window > MAX_WINDOW_SIZE_SECONDS) {
      problems.add(
          "--windowSizeSeconds=" + window + " must be between 1 and " + MAX_WINDOW_SIZE_SECONDS);
    }
    int shards = options.getNumShards();
    if (shards < 1 || shards > MAX_NUM_SHARDS) {
      problems.add("--numShards=" + shards + " must be between 1 and " + MAX_NUM_SHARDS);
    }
  }
}
