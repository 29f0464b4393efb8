package io.taxietl.transforms;

import io.taxietl.avro.EventSource;
import io.taxietl.avro.RawEvent;
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
 * <p>Why: Beam 2.62's Flink runner splits an unbounded source again when a job is restored from a
 * savepoint (or after a JobManager failover) and hands the new splits to the readers beside the splits
 * restored from the snapshot, so every partition is read twice from the snapshot's offsets on
 * (apache/beam#31313). This step remembers, per partition and in the job's keyed state (so it is part
 * of the same snapshot), which offsets it has let through, and drops a record whose offset it has
 * seen. It never drops an offset it has not seen: see {@link OffsetLedger} for what is remembered and
 * for how long ({@code horizon}, default 10 minutes since a range was last touched).
 *
 * <p>Input: raw Kafka events with their coordinates. Output: the same events, each offset once,
 * with the same timestamps. Records without Kafka coordinates fail the step: they mean a wiring bug.
 * Metric: {@code kafka_records_read_twice} (records dropped). Cost: one keyed shuffle by partition.
 */
public final class DropRereadKafkaRecords extends PTransform<PCollection<RawEvent>, PCollection<RawEvent>> {
  static final Duration DEFAULT_HORIZON = Duration.ofMinutes(10);

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
        .apply("KeyByPartition", ParDo.of(new KeyByPartitionFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), AvroCoder.of(RawEvent.class)))
        .apply("LetEachOffsetThroughOnce", ParDo.of(new LetThroughOnceFn(horizon.toMillis())))
        .setCoder(AvroCoder.of(RawEvent.class));
  }

  static final class KeyByPartitionFn extends DoFn<RawEvent, KV<String, RawEvent>> {
    @ProcessElement
    public void processElement(@Element RawEvent event, OutputReceiver<KV<String, RawEvent>> out) {
      EventSource origin = event.getOrigin();
      if (origin == null || origin.getTopic() == null || origin.getPartition() == null || origin.getOffset() == null) {
        throw new IllegalStateException("a Kafka event without topic, partition and offset: " + origin);
      }
      out.output(KV.of(origin.getTopic() + "/" + origin.getPartition(), event));
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
      OffsetLedger ledger = ledgerState.read();
      if (ledger == null) {
        ledger = new OffsetLedger();
      }
      RawEvent event = element.getValue();
      if (ledger.firstSighting(event.getOrigin().getOffset(), System.currentTimeMillis(), horizonMillis)) {
        out.output(event);
      } else {
        readTwice.inc();
      }
      ledgerState.write(ledger);
    }
  }
}
