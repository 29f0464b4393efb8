package io.taxietl.benchmarks;

import io.taxietl.pipeline.StreamingEtlMain;
import io.taxietl.transforms.metrics.EtlMetrics;

/**
 * Our pipeline's main, exactly as a user runs it, plus a daemon thread that watches this JVM's
 * count of events read and reports the first one ({@link FirstEventProbe}). The count is the one
 * the progress lines show, raised by the step right after the Kafka reader.
 */
public final class ProbedPipelineMain {
  private static final long POLL_MILLIS = 2;

  private ProbedPipelineMain() {}

  public static void main(String[] args) {
    Thread watcher =
        new Thread(
            () -> {
              try {
                while (EtlMetrics.localTally(EtlMetrics.EVENTS_READ) == 0) {
                  Thread.sleep(POLL_MILLIS); // a polling period, not synchronisation
                }
                FirstEventProbe.mark();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "first-event-probe");
    watcher.setDaemon(true);
    watcher.start();
    StreamingEtlMain.main(args);
  }
}
