package io.taxietl.transforms.io.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taxietl.avro.EventSource;
import io.taxietl.avro.RawEvent;
import io.taxietl.transforms.TestTrips;
import io.taxietl.transforms.metrics.EtlMetrics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/** Records read twice (as Flink does after a savepoint restore) come out once; nothing else is dropped. */
class DropRereadKafkaRecordsTest {

  @Test
  void everyOffsetOfEveryPartitionComesOutOnceAndTheRepeatsAreCounted() {
    List<RawEvent> events = new ArrayList<>();
    // Partition 0: offsets 0..99 read by one reader, 50..99 again by a second one.
    for (long offset = 0; offset < 100; offset++) {
      events.add(kafka("trips", 0, offset));
    }
    for (long offset = 50; offset < 100; offset++) {
      events.add(kafka("trips", 0, offset));
    }
    // Partition 1 of the same topic and partition 0 of another topic share offsets with partition 0.
    for (long offset = 0; offset < 60; offset++) {
      events.add(kafka("trips", 1, offset));
      events.add(kafka("other", 0, offset));
    }
    events.add(kafka("other", 0, 59));

    TestPipeline pipeline = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    PCollection<String> coordinates =
        pipeline
            .apply(Create.of(events).withCoder(AvroCoder.of(RawEvent.class)))
            .apply(DropRereadKafkaRecords.create())
            .apply(
                MapElements.into(TypeDescriptors.strings())
                    .via(e -> e.getOrigin().getTopic() + "/" + e.getOrigin().getPartition() + "@" + e.getOrigin().getOffset()));
    List<String> expected = new ArrayList<>();
    for (long offset = 0; offset < 100; offset++) {
      expected.add("trips/0@" + offset);
    }
    for (long offset = 0; offset < 60; offset++) {
      expected.add("trips/1@" + offset);
      expected.add("other/0@" + offset);
    }
    PAssert.that(coordinates).containsInAnyOrder(expected);

    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    long dropped =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(EtlMetrics.NAMESPACE, EtlMetrics.KAFKA_RECORDS_READ_TWICE))
                    .build())
            .getCounters()
            .iterator()
            .next()
            .getAttempted();
    assertThat(dropped).isEqualTo(51);
  }

  @Test
  void eachPartitionIsSpreadOverItsStripesInTurn() {
    java.util.Set<String> keys = new java.util.HashSet<>();
    for (long offset = 1_000; offset < 1_000 + DropRereadKafkaRecords.STRIPES; offset++) {
      keys.add(DropRereadKafkaRecords.stripeKey("trips", 3, offset));
    }
    assertThat(keys).hasSize(DropRereadKafkaRecords.STRIPES).allMatch(k -> k.startsWith("trips/3/"));
    assertThat(DropRereadKafkaRecords.stripeKey("trips", 3, 1_000))
        .isEqualTo(DropRereadKafkaRecords.stripeKey("trips", 3, 1_000 + DropRereadKafkaRecords.STRIPES))
        .isNotEqualTo(DropRereadKafkaRecords.stripeKey("trips", 4, 1_000));
  }

  @Test
  void anEventWithoutKafkaCoordinatesFailsTheStep() {
    TestPipeline pipeline = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    pipeline
        .apply(Create.of(TestTrips.rawFromFile("{}", "/data/a.jsonl", 1)).withCoder(AvroCoder.of(RawEvent.class)))
        .apply(DropRereadKafkaRecords.create());
    assertThatThrownBy(pipeline::run).hasMessageContaining("without topic, partition and offset");
  }

  @Test
  void theHorizonMustBePositive() {
    assertThatThrownBy(() -> DropRereadKafkaRecords.create().withHorizon(java.time.Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT0S");
  }

  /**
   * On Flink's heap state backend with {@code fasterCopy}, the ledger read from state is the object an
   * asynchronous checkpoint may still be serialising: changing it in place would smuggle offsets read
   * after the checkpoint into it, and a restore from that checkpoint would drop them as repeats (lost
   * records). The step must write a changed copy and leave the object it read as it was.
   */
  @Test
  void theLedgerReadFromStateIsNeverChangedInPlace() {
    OffsetLedger checkpointed = new OffsetLedger();
    for (long position = 0; position < 3; position++) {
      checkpointed.firstSighting(position, 0, DropRereadKafkaRecords.DEFAULT_HORIZON.toMillis());
    }
    InMemoryValueState<OffsetLedger> state = new InMemoryValueState<>(checkpointed);
    List<RawEvent> out = new ArrayList<>();
    DropRereadKafkaRecords.LetThroughOnceFn fn =
        new DropRereadKafkaRecords.LetThroughOnceFn(DropRereadKafkaRecords.DEFAULT_HORIZON.toMillis());
    fn.setup();
    // Offsets 5, 37, 69 are positions 0..2 of stripe 5 (offset mod 32); offset 101 is position 3, new.
    for (long offset : new long[] {37, 101}) {
      RawEvent event = kafka("trips", 0, offset);
      fn.processElement(
          KV.of(DropRereadKafkaRecords.stripeKey("trips", 0, offset), event), state, receiver(out));
    }

    assertThat(out).extracting(e -> e.getOrigin().getOffset()).containsExactly(101L);
    assertThat(checkpointed.ranges()).as("the object read from state").containsExactly(new long[] {0, 2});
    assertThat(state.read()).isNotSameAs(checkpointed);
    assertThat(state.read().ranges()).as("the ledger written back").containsExactly(new long[] {0, 3});
  }

  private static DoFn.OutputReceiver<RawEvent> receiver(List<RawEvent> out) {
    return new DoFn.OutputReceiver<>() {
      @Override
      public void output(RawEvent output) {
        out.add(output);
      }

      @Override
      public void outputWithTimestamp(RawEvent output, Instant timestamp) {
        out.add(output);
      }
    };
  }

  /** A value state kept in a field, as a heap state backend keeps it: read returns the stored object. */
  private static final class InMemoryValueState<T> implements ValueState<T> {
    private T value;

    InMemoryValueState(T value) {
      this.value = value;
    }

    @Override
    public void write(T input) {
      value = input;
    }

    @Override
    public T read() {
      return value;
    }

    @Override
    public ValueState<T> readLater() {
      return this;
    }

    @Override
    public void clear() {
      value = null;
    }
  }

  private static RawEvent kafka(String topic, int partition, long offset) {
    return RawEvent.newBuilder()
        .setPayload(ByteBuffer.wrap(("{\"trip_id\":" + offset + "}").getBytes(StandardCharsets.UTF_8)))
        .setOrigin(
            EventSource.newBuilder().setSource("kafka").setTopic(topic).setPartition(partition).setOffset(offset).build())
        .build();
  }
}
