package io.taxietl.localflink;

import java.util.Properties;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * Creates a {@link LoopbackPrometheusReporter}. Configured in an embedded cluster's Flink
 * configuration as {@code metrics.reporter.prom.factory.class:
 * io.taxietl.localflink.LoopbackPrometheusReporterFactory} with {@code metrics.reporter.prom.port}.
 */
public final class LoopbackPrometheusReporterFactory implements MetricReporterFactory {
  static final String PORT = "port";

  @Override
  public LoopbackPrometheusReporter createMetricReporter(Properties properties) {
    String port = properties.getProperty(PORT);
    if (port == null || port.isBlank()) {
      throw new IllegalArgumentException("metrics.reporter.<name>." + PORT + " is required");
    }
    int value;
    try {
      value = Integer.parseInt(port.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "metrics.reporter.<name>." + PORT + "=" + port + " is not a port number", e);
    }
    if (value < 1 || value > 65_535) {
      throw new IllegalArgumentException(
          "metrics.reporter.<name>." + PORT + "=" + port + " is not a port number");
    }
    return new LoopbackPrometheusReporter(value);
  }
}
