package io.taxietl.testing;

/**
 * A real Apache Spark 3.5 standalone cluster (a master and a worker JVM on 127.0.0.1; the worker
 * starts an executor JVM per application) started by {@code scripts/spark-cluster.sh}. Applications
 * run on it in client mode: the driver is the process that names {@link #masterUrl()}.
 */
public final class LocalSparkCluster extends ScriptedServer {
  public LocalSparkCluster() {
    super("spark-cluster.sh");
  }

  /** The master's URL, {@code spark://127.0.0.1:PORT}. */
  public String masterUrl() {
    return "spark://127.0.0.1:" + port();
  }
}
