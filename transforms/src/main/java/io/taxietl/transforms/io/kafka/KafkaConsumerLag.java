package io.taxietl.transforms.io.kafka;

import io.taxietl.transforms.metrics.EtlMetrics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka source's consumer lag per partition, as Beam gauges: the end offset of each partition
 * this worker reads (its last stable offset: {@code read_committed}, like the source) minus the
 * offset of the next record to read.
 *
 * <p>Why our own: KafkaIO 2.62 on Flink reports a backlog per split ({@code
 * source.splits.<n>.backlog_elements}), but only while records arrive, so it never returns to zero
 * once the job has caught up; and the consumer's own {@code records-lag-max} is a JMX value of
 * KafkaIO's internal consumer that Beam does not forward. The end offsets come from a consumer of
 * our own (no group, no subscription: it only asks for end offsets), at most once per {@link
 * #REFRESH_INTERVAL} per worker, when a bundle finishes. Between refreshes the lag falls as records
 * are read. When nothing arrives no bundle finishes and the gauges keep their last value, which is
 * 0 once the job has read everything the broker had at the last refresh.
 *
 * <p>A failed end-offset request leaves the gauges as they were: monitoring never fails the
 * pipeline. With transactional producers a partition's end offset lies one commit marker past its
 * last record, so a fully caught-up partition may show a lag of 1.
 */
final class KafkaConsumerLag implements AutoCloseable {
  static final Duration REFRESH_INTERVAL = Duration.ofSeconds(1);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
  private static final Logger LOG = LoggerFactory.getLogger(KafkaConsumerLag.class);

  private final Map<String, Object> config;
  private final Map<TopicPartition, Long> nextOffsets = new HashMap<>();
  private final Map<TopicPartition, Long> endOffsets = new HashMap<>();
  private final Map<TopicPartition, EtlMetrics.EtlGauge> gauges = new HashMap<>();
  private final Gauge total = EtlMetrics.gauge(EtlMetrics.KAFKA_CONSUMER_LAG);
  private Consumer<byte[], byte[]> consumer;
  private long lastRefreshNanos;
  private boolean refreshedOnce;

  /** {@code config}: bootstrap servers and the source's extra consumer properties (TLS, SASL). */
  KafkaConsumerLag(Map<String, Object> config) {
    this.config = new HashMap<>(config);
    this.config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    this.config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    this.config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    this.config.put(ConsumerConfig.CLIENT_ID_CONFIG, "taxi-etl-lag-probe");
  }

  /** Notes that the record at {@code offset} of {@code topic}/{@code partition} was read. */
  void read(String topic, int partition, long offset) {
    nextOffsets.merge(new TopicPartition(topic, partition), offset + 1, Math::max);
  }

  /** Refreshes the end offsets if they are older than the refresh interval, and sets the gauges. */
  void report() {
    if (nextOffsets.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    if (!refreshedOnce
        || now - lastRefreshNanos >= REFRESH_INTERVAL.toNanos()
        || !endOffsets.keySet().containsAll(nextOffsets.keySet())) {
      refresh();
      lastRefreshNanos = now;
      refreshedOnce = true;
    }
    long sum = 0;
    for (Map.Entry<TopicPartition, Long> next : nextOffsets.entrySet()) {
      Long end = endOffsets.get(next.getKey());
      if (end == null) {
        continue;
      }
      long lag = Math.max(0, end - next.getValue());
      sum += lag;
      gauges
          .computeIfAbsent(
              next.getKey(),
              tp ->
                  EtlMetrics.localGauge(
                      EtlMetrics.kafkaConsumerLagGaugeName(tp.topic(), tp.partition())))
          .set(lag);
    }
    total.set(sum);
  }

  private void refresh() {
    try {
      if (consumer == null) {
        consumer =
            new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
      }
      endOffsets.putAll(consumer.endOffsets(nextOffsets.keySet(), REQUEST_TIMEOUT));
    } catch (KafkaException e) {
      // Kafka's TimeoutException is a KafkaException too. The source itself fails if the broker is
      // gone.
      LOG.debug("Could not read end offsets for the consumer-lag metrics: {}", e.toString());
    }
  }

  @Override
  public void close() {
    if (consumer != null) {
      consumer.close(Duration.ofSeconds(2));
      consumer = null;
    }
  }
}
