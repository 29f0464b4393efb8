package io.taxietl.transforms;

import io.taxietl.avro.FailedEvent;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.transforms.Contextful;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * Writes dead letters as newline-delimited JSON files ({@code .jsonl}, one {@link FailedEventJson}
 * line per rejected event) below a folder, one file per window of arrival time.
 *
 * <p>Input: {@link FailedEvent}s from any stage. Output: the committed file names. Metric: {@code
 * dead_letter_files_committed}. Files are committed when their window closes, like the trip files.
 */
public final class WriteDeadLetters extends PTransform<PCollection<FailedEvent>, PCollection<String>> {
  private final String path;
  private final int windowSizeSeconds;

  private WriteDeadLetters(String path, int windowSizeSeconds) {
    this.path = path;
    this.windowSizeSeconds = windowSizeSeconds;
  }

  public static WriteDeadLetters to(String path) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("dead-letter path can not be null or blank");
    }
    return new WriteDeadLetters(path, 60);
  }

  public WriteDeadLetters withWindowSizeSeconds(int seconds) {
    if (seconds < 1) {
      throw new IllegalArgumentException("windowSizeSeconds must be at least 1, was " + seconds);
    }
    return new WriteDeadLetters(path, seconds);
  }

  @Override
  public PCollection<String> expand(PCollection<FailedEvent> deadLetters) {
    WriteFilesResult<Void> written =
        deadLetters
            .apply(
                "WindowByArrivalTime",
                Window.<FailedEvent>into(FixedWindows.of(Duration.standardSeconds(windowSizeSeconds))))
            .apply(
                "WriteFiles",
                FileIO.<FailedEvent>write()
                    .via(
                        Contextful.fn((SerializableFunction<FailedEvent, String>) FailedEventJson::toJson),
                        TextIO.sink())
                    .to(path)
                    .withNaming(new WindowedFileNaming("", "dead-letters", ".jsonl"))
                    .withNumShards(1));
    PCollection<String> files =
        written.getPerDestinationOutputFilenames().apply("FileNames", Values.create());
    return files
        .apply("CountFiles", ParDo.of(new WriteParquetByEventTime.CountFn<String>(EtlMetrics.DEAD_LETTER_FILES_COMMITTED)))
        .setCoder(files.getCoder());
  }
}
