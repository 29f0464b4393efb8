package io.taxietl.pipeline.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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

  /**
   * The Flink settings for these ports: the REST endpoint (and dashboard) on {@code restPort}, and
   * a Prometheus reporter unless {@code prometheusPort} is 0.
   */
  static Map<String, String> flinkConfiguration(int restPort, int prometheusPort) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("rest.address", LOOPBACK);
    settings.put("rest.bind-address", LOOPBACK);
    settings.put("rest.port", Integer.toString(restPort));
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

  /** A port free on loopback now (the embedded cluster binds it a moment later). */
  static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on " + LOOPBACK, e);
    }
  }

  /**
   * The REST port of the configuration directory {@code confDir} that {@link #writeFlinkConfDir}
   * wrote, or 0 if it names none.
   */
  public static int restPort(Path confDir) {
    try {
      for (String line :
          Files.readAllLines(confDir.resolve("config.yaml"), StandardCharsets.UTF_8)) {
        if (line.startsWith("rest.port: ")) {
          return port(line.substring("rest.port: ".length()).replace("\"", ""));
        }
      }
      return 0;
    } catch (IOException e) {
      return 0;
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
