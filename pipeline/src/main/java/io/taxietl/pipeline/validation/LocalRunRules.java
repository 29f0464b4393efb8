package io.taxietl.pipeline.validation;

import io.taxietl.options.LocalRunObservabilityOptions;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The rules of {@link LocalRunObservabilityOptions}: {@code --flinkWebUiPort} and {@code
 * --metricsPrometheusPort} are each a port or 0, not the same port, and only for an embedded-Flink
 * run whose Flink configuration the launcher writes.
 */
final class LocalRunRules {
  static final int MAX_PORT = 65_535;

  private LocalRunRules() {}

  static void check(
      LocalRunObservabilityOptions options,
      boolean embeddedFlink,
      @Nullable String userFlinkConfDir,
      Problems problems) {
    int webUi = options.getFlinkWebUiPort();
    int prometheus = options.getMetricsPrometheusPort();
    StringBuilder requested = new StringBuilder();
    checkPort("flinkWebUiPort", webUi, requested, problems);
    checkPort("metricsPrometheusPort", prometheus, requested, problems);
    if (webUi > 0 && webUi == prometheus) {
      problems.add(
          "--metricsPrometheusPort="
              + prometheus
              + " and --flinkWebUiPort="
              + webUi
              + " must be different ports");
    }
    if (requested.length() > 0 && !embeddedFlink) {
      problems.add(
          requested
              + " apply to an embedded-Flink run only (--runner=FlinkRunner "
              + "--flinkMaster=[local]); a Flink cluster or the managed service has its own "
              + "dashboard and reporters");
    } else if (requested.length() > 0 && userFlinkConfDir != null) {
      problems.add(
          requested
              + " can not be combined with --flinkConfDir="
              + userFlinkConfDir
              + ": set rest.port and metrics.reporter.* in that directory's configuration instead");
    }
  }

  /** A port or 0 (off); a port asked for is added to {@code requested} ("--a=1 and --b=2"). */
  private static void checkPort(
      String option, int value, StringBuilder requested, Problems problems) {
    if (value < 0 || value > MAX_PORT) {
      problems.add(
          "--" + option + "=" + value + " must be 0 (off) or a port between 1 and " + MAX_PORT);
    } else if (value > 0) {
      requested.append(requested.length() > 0 ? " and " : "").append("--" + option + "=" + value);
    }
  }
}
