package io.taxietl.pipeline.local;

import io.taxietl.options.SourceType;
import io.taxietl.transforms.io.file.Publishing;
import io.taxietl.transforms.io.file.StagingFolders;
import io.taxietl.transforms.metrics.EtlMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a local run says when the JVM exits before the job has finished (Ctrl-C, SIGTERM): a JVM
 * shutdown hook, registered for the duration of the run, that stops publishing files ({@link
 * Publishing}), then prints the run's counts so far, which files were published, what was not and
 * how to carry on for the source in use. Its work is bounded (a wait of at most {@value
 * #PUBLISH_WAIT_SECONDS} s for a publish under way, one listing of the checkpoint folder), so it
 * never holds up the exit. It prints paths, topic and group names, and counts: no option value that
 * could hold a secret.
 */
public final class StopReport implements AutoCloseable {
  static final long PUBLISH_WAIT_SECONDS = 10;
  private static final Pattern CHECKPOINT = Pattern.compile("chk-(\\d+)");

  private final PrintStream out;
  private final Run run;
  private final long startNanos = System.nanoTime();
  private final Thread hook;

  private StopReport(PrintStream out, Run run) {
    this.out = out;
    this.run = run;
    this.hook = new Thread(this::report, "stop-report");
  }

  /** The facts about a run that the report needs. */
  public static final class Run {
    private final SourceType source;
    private final String tripsPath;
    private final String deadLetterPath;
    private final String kafkaGroup;
    private final String kinesisInitialPosition;
    private final Path checkpointFolder;
    private final boolean ownCheckpointFolder;

    /**
     * A run reading {@code source}, writing Parquet below {@code tripsPath} and dead letters below
     * {@code deadLetterPath} (either null when not written), checkpointing below the local {@code
     * checkpointFolder} (null when not local), which is the run's own ({@link
     * LocalRunDefaults#ownCheckpointFolder}) or the user's.
     */
    public Run(
        SourceType source,
        String tripsPath,
        String deadLetterPath,
        String kafkaGroup,
        String kinesisInitialPosition,
        Path checkpointFolder,
        boolean ownCheckpointFolder) {
      this.source = source;
      this.tripsPath = tripsPath;
      this.deadLetterPath = deadLetterPath;
      this.kafkaGroup = kafkaGroup;
      this.kinesisInitialPosition = kinesisInitialPosition;
      this.checkpointFolder = checkpointFolder;
      this.ownCheckpointFolder = ownCheckpointFolder;
    }
  }

  /** Registers the report, to be printed on {@code out} if the JVM exits before {@link #close}. */
  public static StopReport register(PrintStream out, Run run) {
    StopReport report = new StopReport(out, run);
    Runtime.getRuntime().addShutdownHook(report.hook);
    return report;
  }

  /** The run has ended: no report. */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is exiting already: the hook runs (or has run).
    }
  }

  private void report() {
    boolean stopped = Publishing.stop(Duration.ofSeconds(PUBLISH_WAIT_SECONDS));
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    Optional<Path> checkpoint =
        run.checkpointFolder == null ? Optional.empty() : latestCheckpoint(run.checkpointFolder);
    // One print, so that log lines of the exiting job cannot interleave with it.
    out.print(text(run, seconds, EtlMetrics.localTallies(), stopped, checkpoint));
    out.flush();
  }

  /** The report's text for a run stopped after {@code seconds} with these tallies. */
  static String text(
      Run run,
      double seconds,
      Map<String, Long> tallies,
      boolean publishingStopped,
      Optional<Path> latestCheckpoint) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream text = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    text.printf(
        Locale.ROOT,
        "%nStopped after %,.1f s, before the job finished (Ctrl-C, SIGTERM or the JVM exiting).%n",
        seconds);
    RunSummary counted = new RunSummary(tallies, seconds);
    text.println("Summary until the stop");
    line(text, "events read", counted.counter(EtlMetrics.EVENTS_READ));
    line(text, "trips parsed", counted.counter(EtlMetrics.TRIPS_PARSED));
    line(text, "dead letters", counted.counter(EtlMetrics.DEAD_LETTERS));
    counted.deadLettersByReason().forEach((reason, count) -> line(text, "  " + reason, count));
    line(text, "watermarks skipped", counted.counter(EtlMetrics.WATERMARK_EVENTS_SKIPPED));
    text.println("Published (whole files: each is moved into place by one rename)");
    List<String> staging = new ArrayList<>();
    long parquet = counted.counter(EtlMetrics.PARQUET_FILES_COMMITTED);
    long deadLetterFiles = counted.counter(EtlMetrics.DEAD_LETTER_FILES_COMMITTED);
    if (run.tripsPath != null) {
      line(text, "parquet files", parquet, " below " + run.tripsPath);
      staging.add(StagingFolders.siblingOf(run.tripsPath));
    }
    if (run.deadLetterPath != null) {
      line(text, "dead-letter files", deadLetterFiles, " below " + run.deadLetterPath);
      staging.add(StagingFolders.siblingOf(run.deadLetterPath));
    }
    text.println("Not published");
    text.println(
        "  the rows of the windows still open or waiting for their checkpoint: this run publishes"
            + " no more files"
            + (publishingStopped
                ? ""
                : " (a publish still under way after " + PUBLISH_WAIT_SECONDS + " s may end)"));
    if (!staging.isEmpty()) {
      text.println(
          "  their files, finished or not, stay in "
              + String.join(" and ", staging)
              + " (never read as output: delete them once no run writes there)");
    }
    if (run.ownCheckpointFolder) {
      text.println(
          "  this run's checkpoints: "
              + run.checkpointFolder
              + " stays until the next local run removes it (a local run does not resume from"
              + " it)");
    } else {
      latestCheckpoint.ifPresent(
          checkpoint ->
              text.println(
                  "  the last completed checkpoint is in " + checkpoint + " (left as it is)"));
    }
    text.println("To carry on");
    carryOn(run, parquet + deadLetterFiles).forEach(line -> text.println("  " + line));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static void line(PrintStream out, String label, long value) {
    line(out, label, value, "");
  }

  private static void line(PrintStream out, String label, long value, String where) {
    out.printf(Locale.ROOT, "  %-22s %,d%s%n", label, value, where);
  }

  /** What a run drained on a signal says about carrying on, for its source. */
  public static String afterDrain(Run run) {
    switch (run.source) {
      case FILE:
        return "The files it had started were read to their end first: a run again over the same"
            + " input would write every event a second time.";
      case KAFKA:
        return "Consumer group "
            + run.kafkaGroup
            + " has committed the offsets of every event read: a new run with this group carries"
            + " on after them.";
      case KINESIS:
        return "Kinesis keeps no position for this job outside its checkpoints: a new run starts"
            + " again at --inputStreamInitialPosition="
            + run.kinesisInitialPosition
            + ".";
      default:
        throw new IllegalArgumentException("unknown source " + run.source);
    }
  }

  private static List<String> carryOn(Run run, long filesPublished) {
    List<String> lines = new ArrayList<>();
    switch (run.source) {
      case FILE:
        lines.add(
            "A run over files closes its windows only once it has read all of its input, so a run"
                + " stopped earlier publishes nothing.");
        if (filesPublished == 0) {
          lines.add("Nothing was published: run the same command again.");
        } else {
          lines.add(
              "A run again over the same input is refused while the output folders hold files;"
                  + " --appendToOutput=true would write the published rows a second time. Delete"
                  + " the output folders (or choose new ones) and run again.");
        }
        break;
      case KAFKA:
        lines.add(
            "Consumer group "
                + run.kafkaGroup
                + " has committed the offsets of the events read up to the last completed"
                + " checkpoint, including events whose rows were not published: a new run with"
                + " this group starts after them and does not write those rows.");
        lines.add(
            "To write them: run with a new --kafkaConsumerGroup and a --kafkaStartingPosition at"
                + " or before the first event this run read (EARLIEST: all that the topic holds),"
                + " into new output folders, so that no row is there twice.");
        break;
      case KINESIS:
        lines.add(
            "Kinesis keeps no position for this job outside its checkpoints: a new run starts"
                + " again at --inputStreamInitialPosition="
                + run.kinesisInitialPosition
                + " (into new output folders with TRIM_HORIZON or a time before this run's first"
                + " event, every event is written once; LATEST skips what arrived in between).");
        break;
      default:
        throw new IllegalArgumentException("unknown source " + run.source);
    }
    return lines;
  }

  /**
   * The newest {@code <job id>/chk-N} folder below {@code folder} that holds a completed checkpoint
   * ({@code _metadata}).
   */
  static Optional<Path> latestCheckpoint(Path folder) {
    if (!Files.isDirectory(folder)) {
      return Optional.empty();
    }
    try (Stream<Path> candidates = Files.find(folder, 2, (path, attributes) -> true)) {
      return candidates
          .filter(path -> checkpointNumber(path) >= 0)
          .filter(path -> Files.isRegularFile(path.resolve("_metadata")))
          .max((a, b) -> Long.compare(checkpointNumber(a), checkpointNumber(b)));
    } catch (IOException | UncheckedIOException e) {
      return Optional.empty();
    }
  }

  private static long checkpointNumber(Path path) {
    Path name = path.getFileName();
    Matcher matcher = CHECKPOINT.matcher(name == null ? "" : name.toString());
    return matcher.matches() ? Long.parseLong(matcher.group(1)) : -1;
  }
}
