package io.taxietl.transforms.metrics;

import org.apache.beam.sdk.transforms.DoFn;

/**
 * Counts the elements that pass, unchanged, in the counter {@code metric} of {@link EtlMetrics}.
 */
public final class CountFn<T> extends DoFn<T, T> {
  private final String metric;
  private transient EtlMetrics.BundleCounter counter;

  public CountFn(String metric) {
    this.metric = metric;
  }

  @Setup
  public void setup() {
    counter = EtlMetrics.bundleCounter(metric);
  }

  @ProcessElement
  public void processElement(@Element T element, OutputReceiver<T> out) {
    counter.inc();
    out.output(element);
  }

  @FinishBundle
  public void finishBundle() {
    counter.finishBundle();
  }
}
