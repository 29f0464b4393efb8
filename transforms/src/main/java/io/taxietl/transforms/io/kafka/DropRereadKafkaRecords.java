package io.taxietl.transforms.io.kafka;

import io.taxietl.avro.EventSource;
import io.taxietl.avro.RawEvent;
import io.taxietl.transforms.OffsetLedgerCoder;
import io.taxietl.transforms.metrics.EtlMetrics;
import java.time.Duration;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Lets each Kafka record (topic, partition, offset) through once, even when the source reads it twice.
 *
 * <pre>{@code
 * PCollection<RawEvent> once =
 *     kafkaEvents.apply("DropRereadRecords", DropRereadKafkaRecords.create());
 * }</pre>
 *
 * <p>Why: Beam 2.62's Flink runner splits an unbounded source again when a job is restored from a
 * savepoint (or after a JobManager failover) and hands the new splits to the readers beside the splits
 * restored from the snapshot, so every partition is read twice from the snapshot's offsets on
 * (apache/beam#31313). This step remembers, in the job's keyed state (so it is part of the same
 * snapshot), which offsets it has let through, and drops a record whose offset it has seen. It never
 * drops an offset it has not seen: see {@link OffsetLedger} for what is remembered and for how long
 * ({@code horizon}, default 10 minutes since a range was last touched).
 *
 * <p>Keys: each partition is cut into {@value #STRIPES} stripes by offset modulo {@value #STRIPES},
 * so the work after this step spreads over all workers even with few partitions (keyed by partition
 * alone, four partitions could all land on one worker). A reader passes a stripe's offsets in order
 * ({@code o, o + STRIPES, ...}), so each stripe's ledger counts in {@code offset / STRIPES} and keeps
 * the same contiguous ranges a whole partition would.
 *
 * <p>Input: raw Kafka events with their coordinates. Output: the same events, each offset once,
 * with the same timestamps. Records without Kafka coordinates fail the step: they mean a wiring bug.
 * Metric: {@code kafka_records_read_twice} (records dropped). Cost: one keyed shuffle of the events, and a
 * copy of the key's ledger (usually one or two ranges) per event.
 */
public final class DropRereadKafkaRecords extends PTransform<PCollection<RawEvent>, PCollection<RawEvent>> {
  static final Duration DEFAULT_HORIZON = Duration.ofMinutes(10);
  /** How many keys (stripes) each partition is spread over. Part of the state's layout: keep it. */
  static final int STRIPES = 32;

  private final Duration horizon;

  private DropRereadKafkaRecords(Duration horizon) {
    this.horizon = horizon;
  }

  public static DropRereadKafkaRecords create() {
    return new DropRereadKafkaRecords(DEFAULT_HORIZON);
  }

  /** How long a range of offsets nobody touched is still remembered. */
  public DropRereadKafkaRecords withHorizon(Duration horizon) {
    if (horizon == null || horizon.isNegative() || horizon.isZero()) {
      throw new IllegalArgumentException("horizon must be positive, was " + horizon);
    }
    return new DropRereadKafkaRecords(horizon);
  }

  @Override
  public PCollection<RawEvent> expand(PCollection<RawEvent> events) {
    return events
        .apply("KeyByPartitionStripe", ParDo.of(new KeyByStripeFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), AvroCoder.of(RawEvent.class)))
        .apply("LetEachOffsetThroughOnce", ParDo.of(new LetThroughOnceFn(horizon.toMillis())))
        .setCoder(AvroCoder.of(RawEvent.class));
  }

  /** The key of a record: its topic, partition and stripe. */
  static String stripeKey(String topic, int partition, long offset) {
    return topic + "/" + partition + "/" + (offset % STRIPES);
  }

  static final class KeyByStripeFn extends DoFn<RawEvent, KV<String, RawEvent>> {
    @ProcessElement
    public void processElement(@Element RawEvent event, OutputReceiver<KV<String, RawEvent>> out) {
      EventSource origin = event.getOrigin();
      if (origin == null || origin.getTopic() == null || origin.getPartition() == null || origin.getOffset() == null) {
        throw new IllegalStateException("a Kafka event without topic, partition and offset: " + origin);
      }
      out.output(KV.of(stripeKey(origin.getTopic(), origin.getPartition(), origin.getOffset()), event));
    }
  }

  static final class LetThroughOnceFn extends DoFn<KV<String, RawEvent>, RawEvent> {
    private final long horizonMillis;

    @StateId("ledger")
    private final StateSpec<ValueState<OffsetLedger>> ledgerSpec = StateSpecs.value(OffsetLedgerCoder.of());

    private transient EtlMetrics.EtlCounter readTwice;

    LetThroughOnceFn(long horizonMillis) {
      this.horizonMillis = horizonMillis;
    }

    @Setup
    public void setup() {
      readTwice = EtlMetrics.counter(EtlMetrics.KAFKA_RECORDS_READ_TWICE);
    }

    @ProcessElement
    public void processElement(
        @Element KV<String, RawEvent> element,
        @StateId("ledger") ValueState<OffsetLedger> ledgerState,
        OutputReceiver<RawEvent> out) {
      OffsetLedger stored = ledgerState.read();
      // Change a copy, never the object read: a checkpoint in progress may still be writing it.
      OffsetLedger ledger = stored == null ? new OffsetLedger() : stored.copy();
      RawEvent event = element.getValue();
      long positionInStripe = event.getOrigin().getOffset() / STRIPES;
      if (ledger.firstSighting(positionInStripe, System.currentTimeMillis(), horizonMillis)) {
        out.output(event);
      } else {
        readTwice.inc();
      }
      ledgerState.write(ledger);
    }
  }
}
