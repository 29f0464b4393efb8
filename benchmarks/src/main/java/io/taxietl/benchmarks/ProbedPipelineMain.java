package io.taxietl.benchmarks;

import io.taxietl.pipeline.StreamingEtlMain;
import io.taxietl.transforms.metrics.EtlMetrics;

/**
 * Our pipeline's main, exactly as a user runs it, plus a daemon thread that watches this JVM's
 * count of events read and reports the first one ({@link FirstEventProbe}). The count is the one
 * the progress lines show, raised by the step right after the Kafka reader.
 *
 * <p>The same thread then notes when this JVM's count of documents Elasticsearch acknowledged last
 * grew, and the JVM prints it as it exits ({@value #LAST_INDEXED_PREFIX}{@code <epoch ms> (<n>
 * documents)}, nothing if none was indexed): the Elasticsearch benchmark's rate runs from the first
 * event read to the last document acknowledged, as the bulk loader's runs from its first request to
 * its last answer, so that Flink's shutdown after the last bulk does not count.
 */
public final class ProbedPipelineMain {
  private static final long POLL_MILLIS = 2;

  /**
   * With {@code -Dtaxietl.bench.trace=true} the watcher goes on printing the count of events read
   * (and of documents indexed) every {@value #TRACE_MILLIS} ms after the first one: where the
   * reading slows down in a run.
   */
  static final String TRACE_PROPERTY = "taxietl.bench.trace";

  static final String LAST_INDEXED_PREFIX = "benchmark: last document indexed at epoch ms ";

  private static final long TRACE_MILLIS = 500;
  private static final long INDEXED_POLL_MILLIS = 5;

  private static volatile long lastIndexedCount;
  private static volatile long lastIndexedMillis;

  private ProbedPipelineMain() {}

  public static void main(String[] args) {
    Thread watcher = new Thread(ProbedPipelineMain::watch, "benchmark-probe");
    watcher.setDaemon(true);
    watcher.start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  noteIndexed();
                  if (lastIndexedCount > 0) {
                    System.out.println(
                        LAST_INDEXED_PREFIX
                            + lastIndexedMillis
                            + " ("
                            + lastIndexedCount
                            + " documents)");
                    System.out.flush();
                  }
                },
                "last-indexed-probe"));
    StreamingEtlMain.main(args);
  }

  private static void watch() {
    try {
      while (EtlMetrics.localTally(EtlMetrics.EVENTS_READ) == 0) {
        Thread.sleep(POLL_MILLIS); // a polling period, not synchronisation
      }
      FirstEventProbe.mark();
      boolean trace = Boolean.getBoolean(TRACE_PROPERTY);
      long nextTrace = System.currentTimeMillis();
      while (true) {
        noteIndexed();
        long now = System.currentTimeMillis();
        if (trace && now >= nextTrace) {
          System.out.println(
              "benchmark: "
                  + now
                  + " events read "
                  + EtlMetrics.localTally(EtlMetrics.EVENTS_READ)
                  + " documents indexed "
                  + lastIndexedCount);
          nextTrace = now + TRACE_MILLIS;
        }
        Thread.sleep(INDEXED_POLL_MILLIS); // a polling period, not synchronisation
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Notes the time if the count of documents indexed grew since the last look. */
  private static synchronized void noteIndexed() {
    long indexed = EtlMetrics.localTally(EtlMetrics.ELASTICSEARCH_DOCUMENTS_INDEXED);
    if (indexed > lastIndexedCount) {
      lastIndexedCount = indexed;
      lastIndexedMillis = System.currentTimeMillis();
    }
  }
}
