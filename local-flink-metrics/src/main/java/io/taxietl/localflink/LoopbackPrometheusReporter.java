package io.taxietl.localflink;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.HTTPServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.prometheus.AbstractPrometheusReporter;

/**
 * Flink's Prometheus reporter (metric names, labels and types exactly as {@code PrometheusReporter}
 * exports them), serving {@code /metrics} on 127.0.0.1 only. Flink 1.19's own {@code
 * PrometheusReporter} binds every network interface and has no setting for the address; a local run
 * must not expose its metrics beyond the machine.
 */
public final class LoopbackPrometheusReporter extends AbstractPrometheusReporter {
  private final int port;
  private HTTPServer server;

  LoopbackPrometheusReporter(int port) {
    this.port = port;
  }

  @Override
  public void open(MetricConfig config) {
    super.open(config);
    try {
      server =
          new HTTPServer(
              new InetSocketAddress(InetAddress.getLoopbackAddress(), port), registry(), true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve Prometheus metrics on 127.0.0.1:" + port, e);
    }
    log.info("Serving Prometheus metrics on http://127.0.0.1:{}/metrics", port);
  }

  @Override
  public void close() {
    if (server != null) {
      server.stop();
    }
    super.close();
  }

  /**
   * The registry that {@link AbstractPrometheusReporter} fills. Flink keeps it package-private; it
   * is read once, by reflection, so that the metrics stay Flink's own rather than a copy of its
   * code.
   */
  private CollectorRegistry registry() {
    try {
      Field field = AbstractPrometheusReporter.class.getDeclaredField("registry");
      field.setAccessible(true);
      return (CollectorRegistry) field.get(this);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "Flink's Prometheus reporter has no 'registry' field in this version", e);
    }
  }
}
