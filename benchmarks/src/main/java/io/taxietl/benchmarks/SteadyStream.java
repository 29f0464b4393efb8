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
 * from its own append to the moment its file is committed.
 */
final class SteadyStream implements AutoCloseable {
  private final AtomicLongArray appendMillis;
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private final Thread thread;
  private volatile boolean stopped;

  private SteadyStream(
      String bootstrapServers,
      String topic,
      BenchmarkEvents events,
      int count,
      double eventsPerSecond) {
    appendMillis = new AtomicLongArray(count);
    thread =
        new Thread(
            () -> produce(bootstrapServers, topic, events, count, eventsPerSecond),
            "steady-stream");
    thread.setDaemon(true);
  }

  /** Starts producing events {@code 0..count-1} at {@code eventsPerSecond}. */
  static SteadyStream start(
      String bootstrapServers,
      String topic,
      BenchmarkEvents events,
      int count,
      double eventsPerSecond) {
    if (eventsPerSecond <= 0) {
      throw new IllegalArgumentException("the rate must be positive, was " + eventsPerSecond);
    }
    SteadyStream stream = new SteadyStream(bootstrapServers, topic, events, count, eventsPerSecond);
    stream.thread.start();
    return stream;
  }

  private void produce(
      String bootstrapServers, String topic, BenchmarkEvents events, int count, double rate) {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      long start = System.nanoTime();
      int sent = 0;
      while (sent < count && !stopped && failure.get() == null) {
        long due = Math.min(count, (long) ((System.nanoTime() - start) / 1e9 * rate) + 1);
        for (; sent < due; sent++) {
          int index = sent;
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
        LockSupport.parkNanos(1_000_000); // the pace of the stream: about one batch a millisecond
      }
      producer.flush();
    } catch (RuntimeException e) {
      failure.compareAndSet(null, e);
    }
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

  /** Whether every event has been produced and acknowledged. */
  boolean done() {
    return !thread.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    thread.join(Duration.ofSeconds(30).toMillis());
  }
}
