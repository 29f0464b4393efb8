package io.taxietl.benchmarks;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Creates the benchmark topic and loads the events into it with one producer (lz4, 20 ms linger).
 * The topic stamps records with the broker's append time ({@code
 * message.timestamp.type=LogAppendTime}), the start of the latency the benchmark measures.
 */
public final class KafkaLoader {
  private KafkaLoader() {}

  /**
   * Creates {@code topic} with {@code partitions} partitions and one replica, stamped at append
   * time.
   */
  public static void createTopic(String bootstrapServers, String topic, int partitions) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(topic, partitions, (short) 1)
                      .configs(Map.of("message.timestamp.type", "LogAppendTime"))))
          .all()
          .get(60, TimeUnit.SECONDS);
      awaitLeaders(admin, topic);
    } catch (ExecutionException | InterruptedException | TimeoutException e) {
      throw new IllegalStateException(
          "cannot create topic " + topic + " at " + bootstrapServers, e);
    }
  }

  /**
   * Waits until every partition of a new topic has a leader: a producer that meets a partition
   * without one right after creation gets NOT_LEADER_OR_FOLLOWER, and its idempotent retries can
   * then fail with OUT_OF_ORDER_SEQUENCE_NUMBER until the batch expires.
   */
  private static void awaitLeaders(Admin admin, String topic)
      throws ExecutionException, InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      TopicDescription description =
          admin.describeTopics(List.of(topic)).allTopicNames().get(60, TimeUnit.SECONDS).get(topic);
      if (description.partitions().stream()
          .allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("partitions of " + topic + " still without a leader after 60 s");
      }
      Thread.sleep(100); // polling the broker's metadata with a deadline, not synchronisation
    }
  }

  /**
   * Produces events {@code 0..count-1} of {@code events} to {@code topic}, waits until every one is
   * acknowledged, and returns the latest append time (epoch millis) the broker gave any of them.
   */
  public static long load(
      String bootstrapServers, String topic, BenchmarkEvents events, long count) {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
    AtomicLong lastAppend = new AtomicLong();
    AtomicReference<Exception> failure = new AtomicReference<>();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (long i = 0; i < count && failure.get() == null; i++) {
        producer.send(
            new ProducerRecord<>(topic, events.payload(i)),
            (metadata, error) -> {
              if (error != null) {
                failure.compareAndSet(null, error);
              } else {
                lastAppend.accumulateAndGet(metadata.timestamp(), Math::max);
              }
            });
      }
      producer.flush();
    }
    if (failure.get() != null) {
      throw new IllegalStateException(
          "loading the events into " + topic + " failed", failure.get());
    }
    return lastAppend.get();
  }
}
