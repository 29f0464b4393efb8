package io.taxietl.transforms.io.kafka;

import io.taxietl.avro.RawEvent;
import io.taxietl.transforms.event.EventOrigins;
import io.taxietl.transforms.event.EventSize;
import io.taxietl.transforms.metrics.EtlMetrics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads events from Kafka (or Amazon MSK) topics with Beam's {@link KafkaIO}.
 *
 * <pre>{@code
 * PCollection<RawEvent> events =
 *     pipeline.apply(
 *         "ReadEvents",
 *         ReadKafkaEvents.from("b-1.msk.example:9092", List.of("trips"), "taxi-etl")
 *             .withStartingPosition(KafkaStartingPosition.parse("EARLIEST"))
 *             .withConsumerProperties(Map.of("security.protocol", "SSL")));
 * }</pre>
 *
 * <p>Output: one {@link RawEvent} per record, its value as the payload (a null value becomes an
 * empty payload, which the parser rejects) and topic, partition and offset as coordinates,
 * timestamped with its arrival (processing) time. Isolation is {@code read_committed}, so records
 * of aborted transactions are never read. The consumer group's offsets are committed back to Kafka
 * when a checkpoint finalizes, so lag tools see progress; they are for monitoring and for where a
 * new job starts: the running job resumes from its own checkpoints. Delivery: exactly once into the
 * pipeline on runners that checkpoint (Flink restores the offsets of the last completed checkpoint
 * or savepoint; on Flink, run it with the project's restore-safe runner, which keeps Beam 2.62's
 * runner from reading every partition again after a restore).
 *
 * <p>Metrics: {@code events_read} and {@code events_read.kafka} (every record read), the
 * distribution {@code arrival_lag_millis} (processing time minus the record's Kafka timestamp), the
 * gauge {@code arrival_lag_max_millis}, and the consumer-lag gauges of {@link KafkaConsumerLag}:
 * {@code kafka_consumer_lag.<topic>.<partition>} and {@code kafka_consumer_lag} (records between
 * the last one read and the partition's end).
 */
public final class ReadKafkaEvents extends PTransform<PBegin, PCollection<RawEvent>> {
  private static final String SOURCE_KIND = "kafka";

  /** Consumer properties that this transform sets itself, so that none may be given. */
  public static final List<String> OWNED_CONSUMER_PROPERTIES =
      List.of(
          ConsumerConfig.GROUP_ID_CONFIG,
          ConsumerConfig.ISOLATION_LEVEL_CONFIG,
          ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
          ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
          ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);

  private final String bootstrapServers;
  private final List<String> topics;
  private final String consumerGroup;
  private final KafkaStartingPosition startingPosition;
  private final Map<String, String> consumerProperties;

  private ReadKafkaEvents(
      String bootstrapServers,
      List<String> topics,
      String consumerGroup,
      KafkaStartingPosition startingPosition,
      Map<String, String> consumerProperties) {
    this.bootstrapServers = bootstrapServers;
    this.topics = topics;
    this.consumerGroup = consumerGroup;
    this.startingPosition = startingPosition;
    this.consumerProperties = consumerProperties;
  }

  /**
   * Reads {@code topics} from the cluster at {@code bootstrapServers} as consumer group {@code
   * consumerGroup}.
   */
  public static ReadKafkaEvents from(
      String bootstrapServers, List<String> topics, String consumerGroup) {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("bootstrapServers can not be null or blank");
    }
    if (topics == null
        || topics.isEmpty()
        || topics.stream().anyMatch(t -> t == null || t.isBlank())) {
      throw new IllegalArgumentException("topics must name at least one topic, and no blank one");
    }
    if (consumerGroup == null || consumerGroup.isBlank()) {
      throw new IllegalArgumentException("consumerGroup can not be null or blank");
    }
    return new ReadKafkaEvents(
        bootstrapServers,
        List.copyOf(topics),
        consumerGroup,
        KafkaStartingPosition.LATEST,
        Map.of());
  }

  /**
   * Where to start when the group has no committed offset, or the time to start at. Default:
   * LATEST.
   */
  public ReadKafkaEvents withStartingPosition(KafkaStartingPosition position) {
    return new ReadKafkaEvents(
        bootstrapServers,
        topics,
        consumerGroup,
        Objects.requireNonNull(position, "position"),
        consumerProperties);
  }

  /**
   * Extra consumer properties, e.g. for TLS, SASL/SCRAM or MSK IAM. They cannot override the
   * settings this transform owns: group, isolation, deserializers and offset handling.
   */
  public ReadKafkaEvents withConsumerProperties(Map<String, String> properties) {
    for (String owned : OWNED_CONSUMER_PROPERTIES) {
      if (properties.containsKey(owned)) {
        throw new IllegalArgumentException(
            "consumer property '" + owned + "' is set by the pipeline and cannot be overridden");
      }
    }
    return new ReadKafkaEvents(
        bootstrapServers, topics, consumerGroup, startingPosition, Map.copyOf(properties));
  }

  @Override
  public PCollection<RawEvent> expand(PBegin input) {
    // Secrets go through the consumer factory, not the configuration KafkaIO shows as display data.
    Map<String, Object> config = KafkaClientSecrets.withoutSecrets(consumerProperties);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, consumerGroup);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, startingPosition.autoOffsetReset());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);

    KafkaIO.Read<byte[], byte[]> read =
        KafkaIO.<byte[], byte[]>read()
            .withBootstrapServers(bootstrapServers)
            .withTopics(topics)
            .withKeyDeserializer(ByteArrayDeserializer.class)
            .withValueDeserializer(ByteArrayDeserializer.class)
            .withConsumerConfigUpdates(config)
            .withConsumerFactoryFn(
                new KafkaClientSecrets.ConsumerFactory(
                    KafkaClientSecrets.secrets(consumerProperties)))
            .withReadCommitted()
            .commitOffsetsInFinalize();
    if (startingPosition.timestamp() != null) {
      read =
          read.withStartReadTime(
              new org.joda.time.Instant(startingPosition.timestamp().toEpochMilli()));
    }
    Map<String, Object> lagProbe = new HashMap<>(consumerProperties);
    lagProbe.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return input
        .apply("ReadRecords", read)
        .apply("ToRawEvents", ParDo.of(new ToRawEventFn(lagProbe)))
        .setCoder(AvroCoder.of(RawEvent.class));
  }

  static final class ToRawEventFn extends DoFn<KafkaRecord<byte[], byte[]>, RawEvent> {
    private static final byte[] EMPTY = new byte[0];
    private final Map<String, Object> lagProbeConfig;
    private transient EtlMetrics.BundleCounter eventsRead;
    private transient EtlMetrics.BundleCounter kafkaEventsRead;
    private transient EtlMetrics.EtlLag arrivalLag;
    private transient KafkaConsumerLag consumerLag;

    ToRawEventFn(Map<String, Object> lagProbeConfig) {
      this.lagProbeConfig = new HashMap<>(lagProbeConfig);
    }

    @Setup
    public void setup() {
      eventsRead = EtlMetrics.bundleCounter(EtlMetrics.EVENTS_READ);
      kafkaEventsRead = EtlMetrics.bundleCounter(EtlMetrics.eventsReadCounterName(SOURCE_KIND));
      arrivalLag = EtlMetrics.lag(EtlMetrics.ARRIVAL_LAG_MILLIS, EtlMetrics.ARRIVAL_LAG_MAX_MILLIS);
      consumerLag = new KafkaConsumerLag(lagProbeConfig);
    }

    @Teardown
    public void teardown() {
      if (consumerLag != null) {
        consumerLag.close();
      }
    }

    @ProcessElement
    public void processElement(
        @Element KafkaRecord<byte[], byte[]> record, OutputReceiver<RawEvent> out) {
      byte[] value = record.getKV().getValue();
      eventsRead.inc();
      kafkaEventsRead.inc();
      // Kafka stamps every record (producer create time or broker append time); -1 means it has
      // none.
      if (record.getTimestamp() >= 0) {
        arrivalLag.update(System.currentTimeMillis() - record.getTimestamp());
      }
      consumerLag.read(record.getTopic(), record.getPartition(), record.getOffset());
      out.output(
          new RawEvent(
              EventSize.bounded(value == null ? EMPTY : value),
              EventOrigins.kafka(record.getTopic(), record.getPartition(), record.getOffset())));
    }

    @FinishBundle
    public void finishBundle() {
      eventsRead.finishBundle();
      kafkaEventsRead.finishBundle();
      arrivalLag.finishBundle();
      consumerLag.report();
    }
  }
}
