package io.taxietl.pipeline;

import io.taxietl.avro.RawEvent;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Wraps a source so that, once armed, the job fails a single time after a number of events: the
 * runner then recovers from its last checkpoint. The flags live in this JVM, so it works with
 * embedded Flink, and the failure does not repeat after the restart.
 */
final class FailOnce extends PTransform<PBegin, PCollection<RawEvent>> {
  static final AtomicBoolean ARMED = new AtomicBoolean();
  static final AtomicBoolean FAILED = new AtomicBoolean();
  static final AtomicLong SEEN_WHILE_ARMED = new AtomicLong();

  private final PTransform<PBegin, PCollection<RawEvent>> source;
  private final long afterEvents;

  FailOnce(PTransform<PBegin, PCollection<RawEvent>> source, long afterEvents) {
    this.source = source;
    this.afterEvents = afterEvents;
  }

  static void reset() {
    ARMED.set(false);
    FAILED.set(false);
    SEEN_WHILE_ARMED.set(0);
  }

  @Override
  public PCollection<RawEvent> expand(PBegin input) {
    PCollection<RawEvent> events = input.apply("Source", source);
    return events.apply("MaybeFail", ParDo.of(new FailFn(afterEvents))).setCoder(events.getCoder());
  }

  static final class FailFn extends DoFn<RawEvent, RawEvent> {
    private final long afterEvents;

    FailFn(long afterEvents) {
      this.afterEvents = afterEvents;
    }

    @ProcessElement
    public void processElement(@Element RawEvent event, OutputReceiver<RawEvent> out) {
      if (ARMED.get()
          && !FAILED.get()
          && SEEN_WHILE_ARMED.incrementAndGet() >= afterEvents
          && FAILED.compareAndSet(false, true)) {
        throw new IllegalStateException("injected failure after " + afterEvents + " events (test)");
      }
      out.output(event);
    }
  }
}
