package io.taxietl.benchmarks;

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
   * Our Beam pipeline on embedded Flink, started exactly as a user starts it (StreamingEtlMain).
   */
  OURS("io.taxietl.pipeline.StreamingEtlMain"),
  /**
   * Our pipeline from another build ({@code --reference-classpath}), started the same way: the
   * "before" of a change, alternating with the "after" in the same run.
   */
  REFERENCE("io.taxietl.pipeline.StreamingEtlMain"),
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

  /** The classpath of this job's JVM: the reference build's, or this harness's own. */
  String classpath(Settings s) {
    if (this == REFERENCE) {
      if (s.referenceClasspath() == null) {
        throw new IllegalArgumentException("--jobs names 'reference' but no --reference-classpath");
      }
      return s.referenceClasspath();
    }
    return System.getProperty("java.class.path");
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
    args.add("--checkpointingInterval=" + s.checkpointMillis());
    args.add("--windowSizeSeconds=" + s.windowSeconds());
    args.add("--stateBackend=filesystem");
    args.add("--stateBackendStoragePath=" + checkpoints.toUri());
    args.addAll(s.oursExtraArgs());
    return args;
  }

  /** The settings all jobs share. */
  record Settings(
      String bootstrapServers,
      int parallelism,
      long checkpointMillis,
      int windowSeconds,
      List<String> oursExtraArgs,
      String referenceClasspath) {}
}
