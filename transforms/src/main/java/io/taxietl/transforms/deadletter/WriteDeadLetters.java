package io.taxietl.transforms.deadletter;

import io.taxietl.avro.FailedEvent;
import io.taxietl.transforms.io.file.PublishCommittedFiles;
import io.taxietl.transforms.io.file.StagingFolders;
import io.taxietl.transforms.io.file.WindowedFileNaming;
import io.taxietl.transforms.metrics.CountFn;
import io.taxietl.transforms.metrics.EtlMetrics;
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
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * Writes dead letters as newline-delimited JSON files ({@code .jsonl}, one {@link FailedEventJson}
 * line per rejected event) below a folder, one file per window of arrival time.
 *
 * <pre>{@code
 * deadLetters.apply(
 *     "WriteDeadLetters",
 *     WriteDeadLetters.to("s3://my-bucket/dead-letters").withWindowSizeSeconds(60));
 * }</pre>
 *
 * <p>Input: {@link FailedEvent}s from any stage. Output: the committed file names. Metric: {@code
 * dead_letter_files_written} and {@code dead_letter_files_committed} (published). Files are staged
 * and published like the trip files ({@link PublishCommittedFiles}): each dead letter is written
 * once, even when the runner replays after a failure.
 */
public final class WriteDeadLetters
    extends PTransform<PCollection<FailedEvent>, PCollection<String>> {
  private final String path;
  private final String stagingPath;
  private final int windowSizeSeconds;

  private WriteDeadLetters(String path, String stagingPath, int windowSizeSeconds) {
    this.path = path;
    this.stagingPath = stagingPath;
    this.windowSizeSeconds = windowSizeSeconds;
  }

  public static WriteDeadLetters to(String path) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("dead-letter path can not be null or blank");
    }
    return new WriteDeadLetters(path, StagingFolders.siblingOf(path), 60);
  }

  public WriteDeadLetters withWindowSizeSeconds(int seconds) {
    if (seconds < 1) {
      throw new IllegalArgumentException("windowSizeSeconds must be at least 1, was " + seconds);
    }
    return new WriteDeadLetters(path, stagingPath, seconds);
  }

  /**
   * Stages files below {@code stagingPath} until published; default: a hidden sibling of the
   * folder.
   */
  public WriteDeadLetters withStagingPath(String stagingPath) {
    if (stagingPath == null || stagingPath.isBlank()) {
      throw new IllegalArgumentException("stagingPath can not be null or blank");
    }
    return new WriteDeadLetters(path, stagingPath, windowSizeSeconds);
  }

  @Override
  public PCollection<String> expand(PCollection<FailedEvent> deadLetters) {
    WriteFilesResult<Void> written =
        deadLetters
            .apply(
                "WindowByArrivalTime",
                Window.<FailedEvent>into(
                    FixedWindows.of(Duration.standardSeconds(windowSizeSeconds))))
            .apply(
                "WriteFiles",
                FileIO.<FailedEvent>write()
                    .via(
                        Contextful.fn(
                            (SerializableFunction<FailedEvent, String>) FailedEventJson::toJson),
                        TextIO.sink())
                    .to(stagingPath)
                    .withNaming(new WindowedFileNaming("", "dead-letters", ".jsonl"))
                    .withNumShards(1));
    return written
        .getPerDestinationOutputFilenames()
        .apply(
            "CountFiles",
            ParDo.of(new CountFn<KV<Void, String>>(EtlMetrics.DEAD_LETTER_FILES_WRITTEN)))
        .setCoder(written.getPerDestinationOutputFilenames().getCoder())
        .apply(
            "PublishFiles",
            PublishCommittedFiles.<Void>from(
                stagingPath, path, EtlMetrics.DEAD_LETTER_FILES_COMMITTED))
        .apply("FileNames", Values.create());
  }
}
