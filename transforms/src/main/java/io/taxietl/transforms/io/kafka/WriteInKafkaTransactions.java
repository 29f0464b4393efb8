package io.taxietl.transforms.io.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes (key, value) records to a Kafka topic exactly once for {@code read_committed} consumers:
 * the records are spread over a fixed number of shards, gathered per shard into numbered batches of
 * up to {@code maxBatchRecords} records (or what arrived within {@code flushDelay}), and each batch
 * is written in one Kafka transaction once the runner has made it stable
 * ({@code @RequiresStableInput}: on Flink, after the checkpoint that holds it has completed).
 *
 * <p>Each transaction also commits, in the consumer group {@code <sinkGroup>-<shard>}, the number
 * of its batch and the id of the writer of that shard. A batch replayed after a failure whose
 * transaction had already been committed is recognised by its number and skipped; a batch whose
 * writer id differs from the one in the group (another job using the same group) is refused.
 *
 * <p>Why not KafkaIO's exactly-once sink: it numbers single records behind two GroupByKeys that
 * fire on every element, so on Flink every buffered element carries one record and every record
 * becomes a transaction of its own (tens of records per second; see benchmarks/RESULTS.md).
 *
 * <p>Input: (key, value) records, a null key lets Kafka spread the record. Needs a runner that
 * supports {@code @RequiresStableInput} (Flink with checkpointing) and an unbounded input: when an
 * input ends, Beam 2.62's Flink runner hands over the held batches only after the final watermark,
 * and the stateful writing step drops them as late (docs/exactly-once.md).
 */
final class WriteInKafkaTransactions extends PTransform<PCollection<KV<String, String>>, PDone> {
  private final String topic;
  private final Map<String, Object> producerConfig;
  private final HashMap<String, String> clientProperties;
  private final int shards;
  private final String sinkGroup;
  private final int maxBatchRecords;
  private final org.joda.time.Duration flushDelay;

  /**
   * @param producerConfig the producer settings without secrets (bootstrap servers included)
   * @param clientProperties the user's client properties with their secrets, added to the
   *     producer's and the progress reader's settings on the worker
   */
  WriteInKafkaTransactions(
      String topic,
      Map<String, Object> producerConfig,
      HashMap<String, String> clientProperties,
      int shards,
      String sinkGroup,
      int maxBatchRecords,
      Duration flushDelay) {
    this.topic = topic;
    this.producerConfig = producerConfig;
    this.clientProperties = clientProperties;
    this.shards = shards;
    this.sinkGroup = sinkGroup;
    this.maxBatchRecords = maxBatchRecords;
    this.flushDelay = org.joda.time.Duration.millis(flushDelay.toMillis());
  }

  @Override
  public PDone expand(PCollection<KV<String, String>> records) {
    records
        .apply("IntoGlobalWindow", Window.into(new GlobalWindows()))
        .apply("AssignShards", ParDo.of(new AssignShardFn(shards)))
        .setCoder(KvCoder.of(VarIntCoder.of(), TransactionBatch.RECORD_CODER))
        .apply("NumberBatches", ParDo.of(new NumberBatchesFn(maxBatchRecords, flushDelay)))
        .setCoder(KvCoder.of(VarIntCoder.of(), new TransactionBatch.Coder()))
        .apply(
            "CommitBatches",
            ParDo.of(new CommitBatchesFn(topic, producerConfig, clientProperties, sinkGroup)));
    return PDone.in(records.getPipeline());
  }

  /** Deals the records round robin over the shards. */
  static final class AssignShardFn
      extends DoFn<KV<String, String>, KV<Integer, KV<String, String>>> {
    private final int shards;
    private transient int next;

    AssignShardFn(int shards) {
      this.shards = shards;
    }

    @Setup
    public void setup() {
      next = ThreadLocalRandom.current().nextInt(shards);
    }

    @ProcessElement
    public void processElement(
        @Element KV<String, String> record, OutputReceiver<KV<Integer, KV<String, String>>> out) {
      next = (next + 1) % shards;
      out.output(KV.of(next, record));
    }
  }

  /**
   * Per shard: keeps the records in state until {@code maxBatchRecords} have arrived or {@code
   * flushDelay} has passed since the first, then emits them as the shard's next numbered batch.
   */
  static final class NumberBatchesFn
      extends DoFn<KV<Integer, KV<String, String>>, KV<Integer, TransactionBatch>> {
    private final int maxBatchRecords;
    private final org.joda.time.Duration flushDelay;

    @StateId("pending")
    private final StateSpec<BagState<KV<String, String>>> pendingSpec =
        StateSpecs.bag(TransactionBatch.RECORD_CODER);

    @StateId("count")
    private final StateSpec<ValueState<Integer>> countSpec = StateSpecs.value(VarIntCoder.of());

    @StateId("nextSequence")
    private final StateSpec<ValueState<Long>> nextSequenceSpec =
        StateSpecs.value(VarLongCoder.of());

    @StateId("writerId")
    private final StateSpec<ValueState<String>> writerIdSpec =
        StateSpecs.value(StringUtf8Coder.of());

    @TimerId("flush")
    private final TimerSpec flushSpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

    // Fires when the input ends (the watermark passes the end of the global window), before the
    // state is dropped: processing-time timers of an expired window are ignored.
    @TimerId("endOfInput")
    private final TimerSpec endOfInputSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    NumberBatchesFn(int maxBatchRecords, org.joda.time.Duration flushDelay) {
      this.maxBatchRecords = maxBatchRecords;
      this.flushDelay = flushDelay;
    }

    @ProcessElement
    public void processElement(
        @Element KV<Integer, KV<String, String>> element,
        @StateId("pending") BagState<KV<String, String>> pending,
        @StateId("count") ValueState<Integer> count,
        @StateId("nextSequence") ValueState<Long> nextSequence,
        @StateId("writerId") ValueState<String> writerId,
        @TimerId("flush") Timer flush,
        @TimerId("endOfInput") Timer endOfInput,
        OutputReceiver<KV<Integer, TransactionBatch>> out) {
      pending.add(element.getValue());
      Integer before = count.read();
      int held = (before == null ? 0 : before) + 1;
      if (held >= maxBatchRecords) {
        emit(element.getKey(), pending, count, nextSequence, writerId, out);
        return;
      }
      if (held == 1) {
        flush.offset(flushDelay).setRelative();
        endOfInput.set(GlobalWindow.INSTANCE.maxTimestamp());
      }
      count.write(held);
    }

    @OnTimer("flush")
    public void onFlush(
        @Key Integer shard,
        @StateId("pending") BagState<KV<String, String>> pending,
        @StateId("count") ValueState<Integer> count,
        @StateId("nextSequence") ValueState<Long> nextSequence,
        @StateId("writerId") ValueState<String> writerId,
        OutputReceiver<KV<Integer, TransactionBatch>> out) {
      emit(shard, pending, count, nextSequence, writerId, out);
    }

    @OnTimer("endOfInput")
    public void onEndOfInput(
        @Key Integer shard,
        @StateId("pending") BagState<KV<String, String>> pending,
        @StateId("count") ValueState<Integer> count,
        @StateId("nextSequence") ValueState<Long> nextSequence,
        @StateId("writerId") ValueState<String> writerId,
        OutputReceiver<KV<Integer, TransactionBatch>> out) {
      emit(shard, pending, count, nextSequence, writerId, out);
    }

    private static void emit(
        int shard,
        BagState<KV<String, String>> pending,
        ValueState<Integer> count,
        ValueState<Long> nextSequence,
        ValueState<String> writerId,
        OutputReceiver<KV<Integer, TransactionBatch>> out) {
      List<KV<String, String>> records = new ArrayList<>();
      pending.read().forEach(records::add);
      pending.clear();
      count.clear();
      if (records.isEmpty()) {
        return;
      }
      String writer = writerId.read();
      if (writer == null) {
        writer = UUID.randomUUID().toString();
        writerId.write(writer);
      }
      Long next = nextSequence.read();
      long sequence = next == null ? 0 : next;
      nextSequence.write(sequence + 1);
      out.output(KV.of(shard, new TransactionBatch(writer, sequence, records)));
    }
  }

  /**
   * Writes each stable batch in one transaction with the transactional producer of its shard,
   * skipping batches whose transaction an earlier attempt has committed.
   */
  static final class CommitBatchesFn extends DoFn<KV<Integer, TransactionBatch>, Void> {
    private final String topic;
    private final Map<String, Object> producerConfig;
    private final HashMap<String, String> clientProperties;
    private final String sinkGroup;

    /** The last batch this job has committed for the shard (restored with the checkpoint). */
    @StateId("committed")
    private final StateSpec<ValueState<Long>> committedSpec = StateSpecs.value(VarLongCoder.of());

    private transient Map<Integer, ShardProducer> producers;

    CommitBatchesFn(
        String topic,
        Map<String, Object> producerConfig,
        HashMap<String, String> clientProperties,
        String sinkGroup) {
      this.topic = topic;
      this.producerConfig = producerConfig;
      this.clientProperties = clientProperties;
      this.sinkGroup = sinkGroup;
    }

    @Setup
    public void setup() {
      producers = new HashMap<>();
    }

    @RequiresStableInput
    @ProcessElement
    public void processElement(
        @Element KV<Integer, TransactionBatch> element,
        @StateId("committed") ValueState<Long> committed) {
      int shard = element.getKey();
      TransactionBatch batch = element.getValue();
      ShardProducer writer = producers.get(shard);
      if (writer == null) {
        writer = ShardProducer.open(topic, producerConfig, clientProperties, sinkGroup, shard);
        producers.put(shard, writer);
      }
      Long ours = committed.read();
      writer.check(batch, ours == null ? -1 : ours);
      if (batch.sequence() <= writer.committedSequence()) {
        return; // committed by an earlier attempt
      }
      try {
        writer.commit(batch);
      } catch (RuntimeException e) {
        producers.remove(shard);
        writer.close();
        throw e;
      }
      committed.write(batch.sequence());
    }

    @Teardown
    public void teardown() {
      if (producers != null) {
        producers.values().forEach(ShardProducer::close);
        producers.clear();
      }
    }
  }

  /** The transactional producer of one shard and the progress recorded in its consumer group. */
  static final class ShardProducer {
    private final String topic;
    private final String group;
    private final int shard;
    private final Producer<String, String> producer;
    private String committedWriterId;
    private long committedSequence;

    private ShardProducer(
        String topic,
        String group,
        int shard,
        Producer<String, String> producer,
        String committedWriterId,
        long committedSequence) {
      this.topic = topic;
      this.group = group;
      this.shard = shard;
      this.producer = producer;
      this.committedWriterId = committedWriterId;
      this.committedSequence = committedSequence;
    }

    /**
     * Starts the shard's transactional producer (which aborts a transaction an earlier attempt left
     * open) and reads the last batch committed in the shard's group.
     */
    static ShardProducer open(
        String topic,
        Map<String, Object> producerConfig,
        HashMap<String, String> clientProperties,
        String sinkGroup,
        int shard) {
      String group = sinkGroup + "-" + shard;
      Map<String, Object> config = new HashMap<>(producerConfig);
      config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
      config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
      config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, group);
      Producer<String, String> producer =
          new KafkaClientSecrets.ProducerFactory(KafkaClientSecrets.secrets(clientProperties))
              .apply(config);
      try {
        producer.initTransactions();
        Map<String, Object> reader = new HashMap<>();
        reader.put(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            producerConfig.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
        reader.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        reader.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        reader.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        reader.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        reader.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        TopicPartition progress = new TopicPartition(topic, 0);
        OffsetAndMetadata last;
        try (Consumer<byte[], byte[]> consumer =
            new KafkaClientSecrets.ConsumerFactory(clientProperties).apply(reader)) {
          last = consumer.committed(Set.of(progress)).get(progress);
        }
        String metadata = last == null ? "" : last.metadata();
        int space = metadata.lastIndexOf(' ');
        if (space < 0) {
          return new ShardProducer(topic, group, shard, producer, null, -1);
        }
        return new ShardProducer(
            topic,
            group,
            shard,
            producer,
            metadata.substring(0, space),
            Long.parseLong(metadata.substring(space + 1)));
      } catch (RuntimeException e) {
        producer.close(Duration.ZERO);
        throw e;
      }
    }

    /** The last batch committed for the shard, by any attempt of this job; -1 if none. */
    long committedSequence() {
      return committedSequence;
    }

    /** Refuses a batch that does not follow what the group and this job have committed. */
    void check(TransactionBatch batch, long committedByJob) {
      if (committedWriterId != null && !committedWriterId.equals(batch.writerId())) {
        throw new IllegalStateException(
            "Kafka consumer group '"
                + group
                + "' holds the progress of another exactly-once writer ("
                + committedWriterId
                + ", this job's is "
                + batch.writerId()
                + "): give each job its own --kafkaExactlyOnceSinkGroup");
      }
      if (committedSequence < committedByJob) {
        throw new IllegalStateException(
            "Kafka consumer group '"
                + group
                + "' records batch "
                + committedSequence
                + " as the last one written, but this job has committed batch "
                + committedByJob
                + ": the group's offsets were deleted or expired (offsets.retention.minutes)");
      }
      if (batch.sequence() > committedSequence + 1) {
        throw new IllegalStateException(
            "shard "
                + shard
                + " of the exactly-once Kafka sink got batch "
                + batch.sequence()
                + " but the last batch written is "
                + committedSequence
                + " (consumer group '"
                + group
                + "')");
      }
    }

    /** Writes the batch and its number in one transaction. */
    void commit(TransactionBatch batch) {
      producer.beginTransaction();
      for (KV<String, String> record : batch.records()) {
        producer.send(new ProducerRecord<>(topic, record.getKey(), record.getValue()));
      }
      producer.sendOffsetsToTransaction(
          Map.of(
              new TopicPartition(topic, 0),
              new OffsetAndMetadata(0, batch.writerId() + " " + batch.sequence())),
          new ConsumerGroupMetadata(group));
      producer.commitTransaction();
      committedWriterId = batch.writerId();
      committedSequence = batch.sequence();
    }

    void close() {
      producer.close(Duration.ofSeconds(5));
    }
  }
}
