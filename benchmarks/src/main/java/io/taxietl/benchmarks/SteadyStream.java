package io.taxietl.benchmarks;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces the benchmark's events into a topic at a steady rate, on a thread of its own, while a
 * job reads them, and keeps the broker's append time of every event (the topic stamps records at
 * append time, see {@link KafkaLoader#createTopic}), so the harness can take each row's latency
 * from its own append to the moment its file is committed. The stream runs until the time the
 * harness sets with {@link #stopAt} (it learns it only once the job has read its first event) or
 * until it has produced its capacity of events.
 */
final class SteadyStream implements AutoCloseable {
  private final AtomicLongArray appendMillis;
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private final Thread thread;
  private volatile boolean stopped;
  private volatile long stopAtMillis = Long.MAX_VALUE;
  private volatile int sent;

  private SteadyStream(
      String bootstrapServers,
      String topic,
      BenchmarkEvents events,
      int capacity,
      double eventsPerSecond) {
    appendMillis = new AtomicLongArray(capacity);
    thread =
        new Thread(
            () -> produce(bootstrapServers, topic, events, capacity, eventsPerSecond),
            "steady-stream");
    thread.setDaemon(true);
  }

  /**
   * Starts producing events {@code 0, 1, ...} at {@code eventsPerSecond}, at most {@code capacity}
   * of them.
   */
  static SteadyStream start(
      String bootstrapServers,
      String topic,
      BenchmarkEvents events,
      int capacity,
      double eventsPerSecond) {
    if (eventsPerSecond <= 0) {
      throw new IllegalArgumentException("the rate must be positive, was " + eventsPerSecond);
    }
    SteadyStream stream =
        new SteadyStream(bootstrapServers, topic, events, capacity, eventsPerSecond);
    stream.thread.start();
    return stream;
  }

  private void produce(
      String bootstrapServers, String topic, BenchmarkEvents events, int capacity, double rate) {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      long start = System.nanoTime();
      int produced = 0;
      while (produced < capacity
          && !stopped
          && failure.get() == null
          && System.currentTimeMillis() < stopAtMillis) {
        long due = Math.min(capacity, (long) ((System.nanoTime() - start) / 1e9 * rate) + 1);
        for (; produced < due; produced++) {
          int index = produced;
          producer.send(
              new ProducerRecord<>(topic, events.payload(index)),
              (metadata, error) -> {
                if (error != null) {
                  failure.compareAndSet(null, error);
                } else {
                  appendMillis.set(index, metadata.timestamp());
                }
              });
        }
        sent = produced;
        LockSupport.parkNanos(1_000_000); // the pace of the stream: about one batch a millisecond
      }
      producer.flush();
    } catch (RuntimeException e) {
      failure.compareAndSet(null, e);
    }
  }

  /** Produces no event from {@code epochMillis} on. */
  void stopAt(long epochMillis) {
    stopAtMillis = epochMillis;
  }

  /** How many events were produced: final once {@link #done()}. */
  int sent() {
    return sent;
  }

  /** The broker's append time of event {@code index}, or 0 if it is not acknowledged yet. */
  long appendMillis(long index) {
    return appendMillis.get((int) index);
  }

  /** Fails if producing failed. */
  void check() {
    if (failure.get() != null) {
      throw new IllegalStateException("producing the steady stream failed", failure.get());
    }
  }

  /** Whether the stream has ended and every event produced is acknowledged. */
  boolean done() {
    return !thread.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    thread.join(Duration.ofSeconds(30).toMillis());
  }
}
