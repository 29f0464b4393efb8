package io.taxietl.sparklauncher;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runner arguments of a Spark run: Beam's Spark runner on a local master with one thread per
 * core, unless the command line says otherwise. An argument the user gives always wins.
 *
 * <p>A local master keeps everything in this JVM and on 127.0.0.1, with Spark's web UI off; so does
 * a cluster whose master is on 127.0.0.1 or localhost (its executors reach the driver there). A
 * Spark system property the user sets ({@code -Dspark.ui.enabled=true}, {@code
 * -Dspark.driver.host=...}) wins over these.
 */
final class SparkRunArguments {
  static final String SPARK_RUNNER = "SparkRunner";

  /**
   * {@code local[N]} rather than {@code local[*]}: Beam stages the JAR for every master but a
   * {@code local[N]} one, and staging would copy this JAR to a temporary folder for a run in this
   * JVM.
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
    List<String> effective = new ArrayList<>();
    if (value(args, "runner") == null) {
      effective.add("--runner=" + SPARK_RUNNER);
    }
    if (value(args, "sparkMaster") == null) {
      effective.add("--sparkMaster=" + LOCAL_MASTER);
    }
    effective.addAll(List.of(args));
    return effective.toArray(String[]::new);
  }

  /**
   * What this JAR cannot run, each naming the option and its value: Kafka's exactly-once sink needs
   * {@code @RequiresStableInput}, which the Spark runner refuses. (A runner other than Spark is
   * refused by Beam's option parsing: the JAR has no other.)
   */
  static List<String> problems(String[] args) {
    List<String> problems = new ArrayList<>();
    String exactlyOnce = value(args, "kafkaExactlyOnce");
    if (exactlyOnce != null && exactlyOnce.equalsIgnoreCase("true")) {
      problems.add(
          "--kafkaExactlyOnce="
              + exactlyOnce
              + " is not supported on Spark: Kafka's exactly-once sink "
              + "needs @RequiresStableInput, which Beam's Spark runner refuses; run it on Flink");
    }
    return problems;
  }

  /** The master that {@code effectiveArgs} name. */
  static String sparkMaster(String[] effectiveArgs) {
    String master = value(effectiveArgs, "sparkMaster");
    return master == null ? LOCAL_MASTER : master;
  }

  /**
   * For a local master or one on this machine's loopback address, sets the Spark properties of a
   * loopback-only run that the user has not set.
   */
  static void configureLocalSpark(String master) {
    if (!isLocal(master) && !isOnLoopback(master)) {
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

  /** Whether a {@code spark://host:port} master runs on 127.0.0.1 or localhost. */
  static boolean isOnLoopback(String master) {
    return master.startsWith("spark://" + LOOPBACK + ":")
        || master.startsWith("spark://localhost:");
  }

  /**
   * The value of the last {@code --name=value} in {@code args} ("true" for a bare {@code --name}),
   * or null.
   */
  static String value(String[] args, String name) {
    String value = null;
    for (String arg : args) {
      if (arg.equals("--" + name)) {
        value = "true";
      } else if (arg.startsWith("--" + name + "=")) {
        value = arg.substring(name.length() + 3);
      }
    }
    return value;
  }
}
