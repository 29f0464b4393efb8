package io.taxietl.sparklauncher;

import io.taxietl.pipeline.StreamingEtlMain;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The main class of the Spark JAR: runs the same pipeline as the {@code pipeline} module's main on
 * Beam's Spark runner, on a local Spark master in this JVM unless {@code --sparkMaster} names a
 * cluster ({@code spark://host:7077}). Every option of the pipeline's main works here; {@code
 * --help} lists them.
 *
 * <p>What differs from a Flink run: the runner options ({@link SparkRunArguments}), the files are
 * published without {@code @RequiresStableInput}, which the Spark runner refuses ({@link
 * SparkOverrides}), and Kafka's exactly-once sink is refused for the same reason. Exit codes are
 * the pipeline main's: 0 done, 1 failed, 2 invalid options.
 */
public final class SparkEtlMain {
  /** The pipeline main's exit code for invalid options: nothing was read or written. */
  private static final int EXIT_BAD_OPTIONS = 2;

  private static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.log.";
  private static final Map<String, String> LOG_LEVELS = new LinkedHashMap<>();

  static {
    // Spark logs every stage and task at INFO: only what is wrong, as for Flink.
    LOG_LEVELS.put("org.apache.spark", "warn");
    LOG_LEVELS.put("org.sparkproject", "warn");
    // Replacing the publish steps (SparkOverrides) applies a second instance under each step's
    // name, which
    // Beam's name check reports as "do not have stable unique names"; it is the only warning
    // Pipeline logs.
    LOG_LEVELS.put("org.apache.beam.sdk.Pipeline", "error");
  }

  private SparkEtlMain() {}

  public static void main(String[] args) {
    LOG_LEVELS.forEach(
        (logger, level) -> {
          if (System.getProperty(LOG_LEVEL_PROPERTY + logger) == null) {
            System.setProperty(LOG_LEVEL_PROPERTY + logger, level);
          }
        });
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the job to completion on Spark and returns the process exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    List<String> problems = SparkRunArguments.problems(args);
    if (!problems.isEmpty()) {
      err.println("Invalid options:");
      problems.forEach(problem -> err.println("  " + problem));
      return EXIT_BAD_OPTIONS;
    }
    String[] effective = SparkRunArguments.withDefaults(args);
    SparkRunArguments.configureLocalSpark(SparkRunArguments.sparkMaster(effective));
    return new StreamingEtlMain(out, err, SparkOverrides::apply).run(effective);
  }
}
