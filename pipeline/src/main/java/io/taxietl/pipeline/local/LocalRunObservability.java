package io.taxietl.pipeline.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps {@code --flinkWebUiPort} and {@code --metricsPrometheusPort} onto the configuration of the
 * embedded Flink cluster: the REST endpoint (which serves the web dashboard, from {@code
 * flink-runtime-web} on the classpath) and a Prometheus reporter, both bound to 127.0.0.1. Beam's
 * Flink runner builds the embedded cluster from a Flink configuration directory ({@code
 * --flinkConfDir}), so the settings are written to one. Keys are Flink's, as strings: this module
 * imports no Flink class.
 */
public final class LocalRunObservability {
  static final String PROMETHEUS_REPORTER_FACTORY =
      "io.taxietl.localflink.LoopbackPrometheusReporterFactory";
  public static final String LOOPBACK = "127.0.0.1";

  private LocalRunObservability() {}

  static boolean requested(int webUiPort, int prometheusPort) {
    return webUiPort > 0 || prometheusPort > 0;
  }

  /** The Flink settings for these ports; a port of 0 leaves its part as Flink's default. */
  static Map<String, String> flinkConfiguration(int webUiPort, int prometheusPort) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("rest.address", LOOPBACK);
    settings.put("rest.bind-address", LOOPBACK);
    // 0: the REST endpoint, which the embedded cluster always starts, takes a free port.
    settings.put("rest.port", Integer.toString(Math.max(webUiPort, 0)));
    if (prometheusPort > 0) {
      settings.put("metrics.reporter.prom.factory.class", PROMETHEUS_REPORTER_FACTORY);
      settings.put("metrics.reporter.prom.port", Integer.toString(prometheusPort));
    }
    return settings;
  }

  /**
   * Writes {@code settings} as a Flink configuration directory ({@code config.yaml}, deleted when
   * the JVM exits) and returns its path.
   */
  static Path writeFlinkConfDir(Map<String, String> settings) {
    try {
      Path dir = Files.createTempDirectory("taxi-etl-flink-conf-");
      StringBuilder yaml =
          new StringBuilder(
              "# Written by the local launcher for --flinkWebUiPort/--metricsPrometheusPort\n");
      settings.forEach(
          (key, value) -> yaml.append(key).append(": \"").append(value).append("\"\n"));
      Path file = dir.resolve("config.yaml");
      Files.writeString(file, yaml, StandardCharsets.UTF_8);
      dir.toFile().deleteOnExit();
      file.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the embedded Flink cluster's configuration", e);
    }
  }

  /**
   * A port option's value, or 0 when it is absent or not a valid port (the validator reports that).
   */
  static int port(String value) {
    if (value == null) {
      return 0;
    }
    try {
      int port = Integer.parseInt(value.trim());
      return port >= 1 && port <= 65_535 ? port : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
