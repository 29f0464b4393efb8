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

  /**
   * With {@code -Dtaxietl.bench.trace=true} the watcher goes on printing the count of events read
   * every {@value #TRACE_MILLIS} ms after the first one: where the reading slows down in a run.
   */
  static final String TRACE_PROPERTY = "taxietl.bench.trace";

  private static final long TRACE_MILLIS = 500;

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
                if (Boolean.getBoolean(TRACE_PROPERTY)) {
                  for (long read = 0; read >= 0; ) {
                    read = EtlMetrics.localTally(EtlMetrics.EVENTS_READ);
                    System.out.println(
                        "benchmark: " + System.currentTimeMillis() + " events read " + read);
                    Thread.sleep(TRACE_MILLIS); // the tracing period, not synchronisation
                  }
                }
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
