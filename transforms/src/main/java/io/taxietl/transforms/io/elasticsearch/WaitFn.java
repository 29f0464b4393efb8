package io.taxietl.transforms.io.elasticsearch;

import io.taxietl.transforms.metrics.EtlMetrics;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.elasticsearch.ElasticsearchIO.Document;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Holds the documents of a bundle until {@code wait} has passed since the last one arrived, then
 * lets them through to the next write. The wait blocks this step on purpose: while Elasticsearch is
 * unavailable the pipeline slows down instead of piling up retries.
 */
final class WaitFn extends DoFn<Document, Document> {
  private final Duration wait;
  private transient List<Held> held;
  private transient long lastArrivalNanos;
  private transient EtlMetrics.EtlCounter retried;

  private static final class Held {
    private final Document document;
    private final Instant timestamp;
    private final BoundedWindow window;

    Held(Document document, Instant timestamp, BoundedWindow window) {
      this.document = document;
      this.timestamp = timestamp;
      this.window = window;
    }
  }

  WaitFn(Duration wait) {
    this.wait = wait;
  }

  @Setup
  public void setup() {
    retried = EtlMetrics.counter(EtlMetrics.ELASTICSEARCH_DOCUMENTS_RETRIED);
  }

  @StartBundle
  public void startBundle() {
    held = new ArrayList<>();
  }

  @ProcessElement
  public void processElement(
      @Element Document document, @Timestamp Instant timestamp, BoundedWindow window) {
    retried.inc();
    held.add(new Held(document, timestamp, window));
    lastArrivalNanos = System.nanoTime();
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) throws InterruptedException {
    if (held.isEmpty()) {
      return;
    }
    long until = lastArrivalNanos + wait.getMillis() * 1_000_000L;
    for (long left = until - System.nanoTime(); left > 0; left = until - System.nanoTime()) {
      Thread.sleep(Math.max(1, left / 1_000_000L));
    }
    for (Held document : held) {
      context.output(document.document, document.timestamp, document.window);
    }
    held.clear();
  }
}
