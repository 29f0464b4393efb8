package io.taxietl.benchmarks;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The jobs the benchmark compares, and how each is started on the same input and settings: our
 * pipeline, optionally our pipeline from another build (the "before" of a change, measured in the
 * same run), and the hand-written Flink job.
 */
enum JobKind {
  /**
   * Our Beam pipeline on embedded Flink, started exactly as a user starts it (StreamingEtlMain),
   * with the first-event probe beside it ({@link ProbedPipelineMain}).
   */
  OURS(ProbedPipelineMain.class.getName()),
  /**
   * Our pipeline from another build ({@code --reference-classpath}), started the same way: the
   * "before" of a change, alternating with the "after" in the same run.
   */
  REFERENCE(ProbedPipelineMain.class.getName()),
  /** The hand-written Flink DataStream job. */
  BASELINE("io.taxietl.benchmarks.BaselineFlinkJob");

  private final String mainClass;

  JobKind(String mainClass) {
    this.mainClass = mainClass;
  }

  String mainClass() {
    return mainClass;
  }

  String label() {
    switch (this) {
      case OURS:
        return "ours (Beam)";
      case REFERENCE:
        return "ours, reference build";
      default:
        return "baseline (Flink)";
    }
  }

  /**
   * The classpath of this job's JVM: this harness's own, or the reference build's followed by this
   * harness's classes (for the probe, which an older build may not have; the reference's own
   * classes come first).
   */
  String classpath(Settings s) {
    if (this == REFERENCE) {
      if (s.referenceClasspath() == null) {
        throw new IllegalArgumentException("--jobs names 'reference' but no --reference-classpath");
      }
      return s.referenceClasspath() + File.pathSeparator + harnessClasses();
    }
    return System.getProperty("java.class.path");
  }

  private static String harnessClasses() {
    try {
      return Path.of(
              ProbedPipelineMain.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the benchmark harness's classes", e);
    }
  }

  /**
   * Both jobs keep their state on the heap and write checkpoints to {@code checkpoints}: Flink's
   * default JobManager checkpoint storage refuses state over 5 MB, less than a window of this
   * stream.
   */
  List<String> arguments(
      Settings s, String topic, String group, Path trips, Path deadLetters, Path checkpoints) {
    List<String> args = new ArrayList<>();
    if (this == BASELINE) {
      args.addAll(
          List.of(
              "--bootstrap-servers", s.bootstrapServers(),
              "--topic", topic,
              "--group", group,
              "--trips", trips.toString(),
              "--dead-letters", deadLetters.toString(),
              "--parallelism", Integer.toString(s.parallelism()),
              "--checkpoint-millis", Long.toString(s.checkpointMillis()),
              "--checkpoint-dir", checkpoints.toUri().toString()));
      return args;
    }
    args.add("--source=KAFKA");
    args.add("--inputKafkaBootstrapServers=" + s.bootstrapServers());
    args.add("--inputKafkaTopic=" + topic);
    args.add("--kafkaConsumerGroup=" + group);
    args.add("--kafkaStartingPosition=EARLIEST");
    args.add("--outputPath=" + trips);
    args.add("--deadLetterPath=" + deadLetters);
    args.add("--parallelism=" + s.parallelism());
    args.add("--checkpointingInterval=" + s.oursCheckpointMillis());
    args.add("--windowSizeSeconds=" + s.windowSeconds());
    args.add("--stateBackend=filesystem");
    args.add("--stateBackendStoragePath=" + checkpoints.toUri());
    args.removeIf(arg -> s.oursExtraArgs().stream().anyMatch(extra -> sameOption(arg, extra)));
    args.addAll(s.oursExtraArgs());
    return args;
  }

  /** Whether two {@code --name=value} arguments set the same option (an extra one wins). */
  static boolean sameOption(String arg, String other) {
    int end = arg.indexOf('=');
    return end > 0 && other.startsWith(arg.substring(0, end + 1));
  }

  /**
   * The settings of the jobs. The baseline commits its files at each checkpoint, so {@code
   * checkpointMillis} is its commit cadence; ours commits a window's files at the first checkpoint
   * after the window closes, so {@code windowSeconds} is its cadence and {@code
   * oursCheckpointMillis} (shorter, as users run it) bounds the wait after a window.
   */
  record Settings(
      String bootstrapServers,
      int parallelism,
      long checkpointMillis,
      long oursCheckpointMillis,
      int windowSeconds,
      List<String> oursExtraArgs,
      String referenceClasspath) {}
}
