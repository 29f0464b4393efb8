package io.taxietl.sparklauncher;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runner arguments of a Spark run: Beam's Spark runner on a local master with one thread per
 * core, unless the command line says otherwise. An argument the user gives always wins.
 *
 * <p>A local master keeps everything in this JVM and on 127.0.0.1, with Spark's web UI off; a
 * Spark system property the user sets ({@code -Dspark.ui.enabled=true}) wins over these.
 */
final class SparkRunArguments {
  static final String SPARK_RUNNER = "SparkRunner";
  /**
   * {@code local[N]} rather than {@code local[*]}: Beam stages the JAR for every master but a
   * {@code local[N]} one, and staging would copy this JAR to a temporary folder for a run in this JVM.
   */
  static final String LOCAL_MASTER = "local[" + Runtime.getRuntime().availableProcessors() + "]";
  static final String LOOPBACK = "127.0.0.1";

  private static final Map<String, String> LOCAL_SPARK_PROPERTIES = new LinkedHashMap<>();

  static {
    LOCAL_SPARK_PROPERTIES.put("spark.ui.enabled", "false");
    LOCAL_SPARK_PROPERTIES.put("spark.driver.bindAddress", LOOPBACK);
    LOCAL_SPARK_PROPERTIES.put("spark.driver.host", LOOPBACK);
  }

  private SparkRunArguments() {}

  /** {@code args} after the defaults for what they leave out: the runner and the master. */
  static String[] withDefaults(String[] args) {
    Map<String, String> given = settings(args);
    List<String> effective = new ArrayList<>();
    if (!given.containsKey("runner")) {
      effective.add("--runner=" + SPARK_RUNNER);
    }
    if (!given.containsKey("sparkMaster")) {
      effective.add("--sparkMaster=" + LOCAL_MASTER);
    }
    effective.addAll(List.of(args));
    return effective.toArray(String[]::new);
  }

  /**
   * What this JAR cannot run, each naming the option and its value: a runner other than Spark (the
   * JAR has no other), and Kafka's exactly-once sink (it needs {@code @RequiresStableInput}, which
   * the Spark runner refuses).
   */
  static List<String> problems(String[] args) {
    Map<String, String> given = settings(args);
    List<String> problems = new ArrayList<>();
    String runner = given.get("runner");
    if (runner != null && !runner.equals(SPARK_RUNNER) && !runner.endsWith("." + SPARK_RUNNER)) {
      problems.add("--runner=" + runner + " is not available in the Spark JAR: leave it out or use --runner="
          + SPARK_RUNNER + " (the pipeline JAR runs Flink and the DirectRunner)");
    }
    String exactlyOnce = given.get("kafkaExactlyOnce");
    if (exactlyOnce != null && exactlyOnce.equalsIgnoreCase("true")) {
      problems.add("--kafkaExactlyOnce=" + exactlyOnce + " is not supported on Spark: Kafka's exactly-once sink "
          + "needs @RequiresStableInput, which Beam's Spark runner refuses; run it on Flink");
    }
    return problems;
  }

  /** The master that {@code effectiveArgs} name (the last {@code --sparkMaster} wins). */
  static String sparkMaster(String[] effectiveArgs) {
    return settings(effectiveArgs).getOrDefault("sparkMaster", LOCAL_MASTER);
  }

  /** For a local master, sets the Spark properties of a loopback-only run that the user has not set. */
  static void configureLocalSpark(String master) {
    if (!isLocal(master)) {
      return;
    }
    LOCAL_SPARK_PROPERTIES.forEach(
        (name, value) -> {
          if (System.getProperty(name) == null) {
            System.setProperty(name, value);
          }
        });
  }

  static boolean isLocal(String master) {
    return master.equals("local") || master.startsWith("local[");
  }

  /** The {@code --name=value} arguments as a map (the last one of a name wins; a bare flag is "true"). */
  static Map<String, String> settings(String[] args) {
    Map<String, String> settings = new LinkedHashMap<>();
    for (String arg : args) {
      if (arg.startsWith("--")) {
        int eq = arg.indexOf('=');
        settings.put(eq < 0 ? arg.substring(2) : arg.substring(2, eq), eq < 0 ? "true" : arg.substring(eq + 1));
      }
    }
    return settings;
  }
}
