package io.taxietl.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * What a local run (the command line on embedded Flink) shows while it runs: the Flink web
 * dashboard and a Prometheus endpoint, both on 127.0.0.1. A Flink cluster or the managed service
 * has its own.
 */
public interface LocalRunObservabilityOptions extends PipelineOptions {
  @Description(
      "Port of the Flink web dashboard (and its REST API) of an embedded-Flink run, on 127.0.0.1, e.g. 8081. "
          + "0 = not served on a fixed port. Only with --flinkMaster=[local] (the default).")
  @Default.Integer(0)
  int getFlinkWebUiPort();

  void setFlinkWebUiPort(int value);

  @Description(
      "Port of a Prometheus endpoint (http://127.0.0.1:PORT/metrics, Flink's Prometheus reporter) with every "
          + "Flink and pipeline metric of an embedded-Flink run, e.g. 9249. 0 = off. Only with --flinkMaster=[local].")
  @Default.Integer(0)
  int getMetricsPrometheusPort();

  void setMetricsPrometheusPort(int value);
}
