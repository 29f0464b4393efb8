package io.taxietl.transforms.io.file;

import io.taxietl.transforms.metrics.EtlMetrics;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Moves files that FileIO has finished in a staging folder into the published folder, only once the
 * runner has made the files' inputs durable.
 *
 * <pre>{@code
 * PCollection<KV<String, String>> published =
 *     writeFilesResult
 *         .getPerDestinationOutputFilenames()
 *         .apply(
 *             "PublishFiles",
 *             PublishCommittedFiles.<String>from(
 *                 stagingPath, outputPath, EtlMetrics.PARQUET_FILES_COMMITTED));
 * }</pre>
 *
 * <p>Why: FileIO renames a window's files into place as soon as the window closes. If the job then
 * fails before its next checkpoint, the runner replays the source from the last checkpoint and the
 * replayed events, timestamped anew on arrival, land in new windows and new files: the rows of the
 * renamed files would be written twice. Here FileIO writes to a staging folder that readers never
 * see, and this step, marked {@link DoFn.RequiresStableInput}, publishes a file only after the
 * checkpoint that covers it has completed (on Flink the runner holds the file names back until
 * then). A staging file from a failed attempt is overwritten by the replay or never published.
 *
 * <p>Input: (destination, staged file) pairs as FileIO reports them. Output: (destination,
 * published file) pairs. Publishing is idempotent: a file already moved by an earlier attempt is
 * not moved again. The relative path below the staging folder is kept below the published folder.
 */
public final class PublishCommittedFiles<DestinationT>
    extends PTransform<
        PCollection<KV<DestinationT, String>>, PCollection<KV<DestinationT, String>>> {
  private final String stagingPath;
  private final String publishedPath;
  private final String filesMetric;
  private final boolean stableInput;

  private PublishCommittedFiles(
      String stagingPath, String publishedPath, String filesMetric, boolean stableInput) {
    this.stagingPath = stagingPath;
    this.publishedPath = publishedPath;
    this.filesMetric = filesMetric;
    this.stableInput = stableInput;
  }

  /**
   * Publishes files staged below {@code stagingPath} to the same relative path below {@code
   * publishedPath}.
   */
  public static <DestinationT> PublishCommittedFiles<DestinationT> from(
      String stagingPath, String publishedPath, String filesMetric) {
    if (stagingPath == null
        || stagingPath.isBlank()
        || publishedPath == null
        || publishedPath.isBlank()) {
      throw new IllegalArgumentException("stagingPath and publishedPath can not be null or blank");
    }
    return new PublishCommittedFiles<>(stagingPath, publishedPath, filesMetric, true);
  }

  /**
   * Publishes each file as soon as FileIO reports it, without waiting for its inputs to be durable:
   * for runners that do not support {@code @RequiresStableInput}. A replay after a failure may then
   * publish rows twice (in new files of new windows); a run without failures publishes the same
   * files.
   */
  public PublishCommittedFiles<DestinationT> withoutStableInput() {
    return new PublishCommittedFiles<>(stagingPath, publishedPath, filesMetric, false);
  }

  @Override
  public PCollection<KV<DestinationT, String>> expand(
      PCollection<KV<DestinationT, String>> staged) {
    KvCoder<DestinationT, String> inputCoder = (KvCoder<DestinationT, String>) staged.getCoder();
    MoveIntoPlaceFn<DestinationT> publish =
        stableInput
            ? new PublishFn<>(stagingPath, publishedPath, filesMetric)
            : new PublishAtOnceFn<>(stagingPath, publishedPath, filesMetric);
    return staged
        .apply("MoveIntoPlace", ParDo.of(publish))
        .setCoder(KvCoder.of(inputCoder.getKeyCoder(), StringUtf8Coder.of()));
  }

  /**
   * Publishes each file once its inputs are durable. Its simple name is part of the step names, so
   * of the Flink operator ids (StepNamesTest).
   */
  static final class PublishFn<DestinationT> extends MoveIntoPlaceFn<DestinationT> {
    PublishFn(String stagingPath, String publishedPath, String filesMetric) {
      super(stagingPath, publishedPath, filesMetric);
    }

    @RequiresStableInput
    @ProcessElement
    public void processElement(
        @Element KV<DestinationT, String> file, OutputReceiver<KV<DestinationT, String>> out)
        throws IOException {
      publish(file, out);
    }
  }

  /** Publishes each file as it comes. */
  static final class PublishAtOnceFn<DestinationT> extends MoveIntoPlaceFn<DestinationT> {
    PublishAtOnceFn(String stagingPath, String publishedPath, String filesMetric) {
      super(stagingPath, publishedPath, filesMetric);
    }

    @ProcessElement
    public void processElement(
        @Element KV<DestinationT, String> file, OutputReceiver<KV<DestinationT, String>> out)
        throws IOException {
      publish(file, out);
    }
  }

  /** Moves a staged file to its published place; subclasses say when ({@code @ProcessElement}). */
  abstract static class MoveIntoPlaceFn<DestinationT>
      extends DoFn<KV<DestinationT, String>, KV<DestinationT, String>> {
    private final String stagingPath;
    private final String publishedPath;
    private final String filesMetric;
    private transient EtlMetrics.EtlCounter published;

    MoveIntoPlaceFn(String stagingPath, String publishedPath, String filesMetric) {
      this.stagingPath = stagingPath;
      this.publishedPath = publishedPath;
      this.filesMetric = filesMetric;
    }

    @Setup
    public void setup() {
      published = EtlMetrics.counter(filesMetric);
    }

    final void publish(KV<DestinationT, String> file, OutputReceiver<KV<DestinationT, String>> out)
        throws IOException {
      ResourceId staged = FileSystems.matchNewResource(file.getValue(), false);
      ResourceId target = publishedLocation(file.getValue());
      if (exists(staged)) {
        Publishing.publish(
            () -> {
              FileSystems.rename(
                  List.of(staged),
                  List.of(target),
                  MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
              published.inc();
            });
      } else if (!exists(target)) {
        throw new FileNotFoundException(
            "staged file " + staged + " is gone but was never published to " + target);
      }
      out.output(KV.of(file.getKey(), target.toString()));
    }

    private ResourceId publishedLocation(String stagedFile) {
      String stagingRoot = withSlash(FileSystems.matchNewResource(stagingPath, true).toString());
      String staged = FileSystems.matchNewResource(stagedFile, false).toString();
      if (!staged.startsWith(stagingRoot)) {
        throw new IllegalStateException(
            "file " + staged + " is not below the staging folder " + stagingRoot);
      }
      return FileSystems.matchNewResource(publishedPath, true)
          .resolve(
              staged.substring(stagingRoot.length()),
              ResolveOptions.StandardResolveOptions.RESOLVE_FILE);
    }

    private static boolean exists(ResourceId file) throws IOException {
      MatchResult match =
          FileSystems.match(List.of(file.toString()), EmptyMatchTreatment.ALLOW).get(0);
      return match.status() == MatchResult.Status.OK && !match.metadata().isEmpty();
    }

    private static String withSlash(String path) {
      return path.endsWith("/") ? path : path + "/";
    }
  }
}
