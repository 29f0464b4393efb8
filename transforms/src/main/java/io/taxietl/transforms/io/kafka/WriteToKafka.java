package io.taxietl.transforms.io.kafka;

import io.taxietl.transforms.metrics.EtlMetrics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes elements to a Kafka topic as JSON records with Beam's {@link KafkaIO}.
 *
 * <pre>{@code
 * trips.apply(
 *     "WriteTripsToKafka",
 *     WriteToKafka.<TripEvent>to(
 *             "b-1.msk.example:9092",
 *             "trips-clean",
 *             trip -> Long.toString(trip.getTripId()),
 *             TripEventJson::toJson,
 *             EtlMetrics.KAFKA_TRIPS_PRODUCED)
 *         .withExactlyOnce(1, "taxi-etl-trips"));
 * }</pre>
 *
 * <p>Input: any elements, turned into (key, JSON value) by the functions given; a null key lets
 * Kafka spread the record. Delivery: at least once by default (an idempotent producer with {@code
 * acks=all}); {@link #withExactlyOnce} writes through {@link WriteInKafkaTransactions}: batches of
 * up to {@value #MAX_RECORDS_PER_TRANSACTION} records, each in one Kafka transaction committed once
 * the runner's checkpoint holds the batch, so {@code read_committed} consumers see each record once
 * even when the job fails and replays (needs checkpointing on Flink).
 *
 * <p>Metric: the counter named at construction, one per record handed to the producer.
 */
public final class WriteToKafka<T> extends PTransform<PCollection<T>, PDone> {
  /** Producer properties that this transform sets itself, so that none may be given. */
  public static final List<String> OWNED_PRODUCER_PROPERTIES =
      List.of(
          ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
          ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
          ProducerConfig.TRANSACTIONAL_ID_CONFIG);

  /** Records per Kafka transaction of the exactly-once sink, at most. */
  static final int MAX_RECORDS_PER_TRANSACTION = 5_000;

  /** How long the exactly-once sink gathers a shard's records before it closes a smaller batch. */
  static final Duration TRANSACTION_FLUSH_DELAY = Duration.ofSeconds(1);

  static final int TRANSACTION_RETRY_BACKOFF_MS = 10;

  private final String bootstrapServers;
  private final String topic;
  private final SerializableFunction<T, String> keyFn;
  private final SerializableFunction<T, String> valueFn;
  private final String recordsMetric;
  private final Map<String, String> producerProperties;
  private final int exactlyOnceShards;
  private final String exactlyOnceSinkGroup;

  private WriteToKafka(
      String bootstrapServers,
      String topic,
      SerializableFunction<T, String> keyFn,
      SerializableFunction<T, String> valueFn,
      String recordsMetric,
      Map<String, String> producerProperties,
      int exactlyOnceShards,
      String exactlyOnceSinkGroup) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.keyFn = keyFn;
    this.valueFn = valueFn;
    this.recordsMetric = recordsMetric;
    this.producerProperties = producerProperties;
    this.exactlyOnceShards = exactlyOnceShards;
    this.exactlyOnceSinkGroup = exactlyOnceSinkGroup;
  }

  public static <T> WriteToKafka<T> to(
      String bootstrapServers,
      String topic,
      SerializableFunction<T, String> keyFn,
      SerializableFunction<T, String> valueFn,
      String recordsMetric) {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("bootstrapServers can not be null or blank");
    }
    if (topic == null || topic.isBlank()) {
      throw new IllegalArgumentException("topic can not be null or blank");
    }
    return new WriteToKafka<>(
        bootstrapServers, topic, keyFn, valueFn, recordsMetric, Map.of(), 0, null);
  }

  /** Extra producer properties (TLS, SASL, tuning); the serializers are set by the transform. */
  public WriteToKafka<T> withProducerProperties(Map<String, String> properties) {
    for (String owned : OWNED_PRODUCER_PROPERTIES) {
      if (properties.containsKey(owned)) {
        throw new IllegalArgumentException(
            "producer property '" + owned + "' is set by the pipeline and cannot be overridden");
      }
    }
    return new WriteToKafka<>(
        bootstrapServers,
        topic,
        keyFn,
        valueFn,
        recordsMetric,
        Map.copyOf(properties),
        exactlyOnceShards,
        exactlyOnceSinkGroup);
  }

  /**
   * Writes in transactions through {@code shards} parallel writers; the consumer groups {@code
   * <sinkGroup>-<shard>} keep the sink's progress, so {@code sinkGroup} must be unique per job.
   */
  public WriteToKafka<T> withExactlyOnce(int shards, String sinkGroup) {
    if (shards < 1) {
      throw new IllegalArgumentException("exactly-once shards must be at least 1, was " + shards);
    }
    if (sinkGroup == null || sinkGroup.isBlank()) {
      throw new IllegalArgumentException("sinkGroup can not be null or blank");
    }
    return new WriteToKafka<>(
        bootstrapServers,
        topic,
        keyFn,
        valueFn,
        recordsMetric,
        producerProperties,
        shards,
        sinkGroup);
  }

  @Override
  public PDone expand(PCollection<T> input) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    // Secrets go through the producer factory, not the configuration KafkaIO shows as display data.
    config.putAll(KafkaClientSecrets.withoutSecrets(producerProperties));

    PCollection<KV<String, String>> records =
        input
            .apply("ToRecords", ParDo.of(new ToRecordFn<>(keyFn, valueFn, recordsMetric)))
            .setCoder(KvCoder.of(NullableCoder.of(StringUtf8Coder.of()), StringUtf8Coder.of()));
    if (exactlyOnceShards > 0) {
      config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
      // A transaction that follows a commit at once is told CONCURRENT_TRANSACTIONS until the
      // broker has written the commit markers; the default 100 ms back-off would idle most of that
      // time.
      config.putIfAbsent(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, TRANSACTION_RETRY_BACKOFF_MS);
      return records.apply(
          "ProduceRecords",
          new WriteInKafkaTransactions(
              topic,
              config,
              new HashMap<>(producerProperties),
              exactlyOnceShards,
              exactlyOnceSinkGroup,
              MAX_RECORDS_PER_TRANSACTION,
              TRANSACTION_FLUSH_DELAY));
    }
    return records.apply(
        "ProduceRecords",
        KafkaIO.<String, String>write()
            .withBootstrapServers(bootstrapServers)
            .withTopic(topic)
            .withKeySerializer(StringSerializer.class)
            .withValueSerializer(StringSerializer.class)
            .withProducerConfigUpdates(config)
            .withProducerFactoryFn(
                new KafkaClientSecrets.ProducerFactory(
                    KafkaClientSecrets.secrets(producerProperties))));
  }

  static final class ToRecordFn<T> extends DoFn<T, KV<String, String>> {
    private final SerializableFunction<T, String> keyFn;
    private final SerializableFunction<T, String> valueFn;
    private final String recordsMetric;
    private transient EtlMetrics.EtlCounter records;

    ToRecordFn(
        SerializableFunction<T, String> keyFn,
        SerializableFunction<T, String> valueFn,
        String recordsMetric) {
      this.keyFn = keyFn;
      this.valueFn = valueFn;
      this.recordsMetric = recordsMetric;
    }

    @Setup
    public void setup() {
      records = EtlMetrics.counter(recordsMetric);
    }

    @ProcessElement
    public void processElement(@Element T element, OutputReceiver<KV<String, String>> out) {
      records.inc();
      out.output(KV.of(keyFn.apply(element), valueFn.apply(element)));
    }
  }
}
