package io.taxietl.replay;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Sends a replay to a Kafka topic with one idempotent producer (settings: {@link
 * KafkaArguments#producerConfig()}). Opening it checks that the brokers answer and the topic
 * exists, creating the topic if asked to. Sends are asynchronous; the first failed send fails the
 * next call, naming the servers and the topic.
 */
final class KafkaEventSink implements EventSink {
  private static final Duration CLOSE_AFTER_FAILURE = Duration.ofSeconds(1);

  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final String servers;
  private final int partitionCount;
  private final Duration timeout;
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private final Callback onCompletion =
      (metadata, exception) -> {
        if (exception != null) {
          failure.compareAndSet(null, exception);
        }
      };
  private long sent;

  private KafkaEventSink(
      Producer<byte[], byte[]> producer,
      String servers,
      String topic,
      int partitionCount,
      Duration timeout) {
    this.producer = producer;
    this.servers = servers;
    this.topic = topic;
    this.partitionCount = partitionCount;
    this.timeout = timeout;
  }

  /**
   * Connects to the brokers, finds or creates the topic and opens the producer.
   *
   * @param progress where a note goes when an existing topic's partitions differ from {@code
   *     --partitions}
   * @throws KafkaReplayException if the brokers do not answer in time, the topic is missing and not
   *     to be created, or the brokers refuse
   */
  static KafkaEventSink open(KafkaArguments arguments, PrintStream progress)
      throws KafkaReplayException {
    String where = where(arguments.bootstrapServers(), arguments.topic());
    int partitions;
    Admin admin;
    try {
      admin = Admin.create(arguments.adminConfig());
    } catch (KafkaException e) {
      throw new KafkaReplayException("cannot connect to " + where + ": " + describe(e), e);
    }
    try {
      partitions = findOrCreateTopic(admin, arguments, progress);
    } finally {
      admin.close(CLOSE_AFTER_FAILURE);
    }
    try {
      return new KafkaEventSink(
          new KafkaProducer<>(arguments.producerConfig()),
          arguments.bootstrapServers(),
          arguments.topic(),
          partitions,
          Duration.ofSeconds(arguments.timeoutSeconds()));
    } catch (KafkaException e) {
      throw new KafkaReplayException(
          "cannot create a producer for " + where + ": " + describe(e), e);
    }
  }

  private static int findOrCreateTopic(Admin admin, KafkaArguments arguments, PrintStream progress)
      throws KafkaReplayException {
    String topic = arguments.topic();
    String where = where(arguments.bootstrapServers(), topic);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(arguments.timeoutSeconds());
    Optional<TopicDescription> found = describe(admin, arguments, deadline);
    if (found.isEmpty()) {
      if (!arguments.createTopic()) {
        throw new KafkaReplayException(
            "topic '"
                + topic
                + "' does not exist on "
                + arguments.bootstrapServers()
                + ": create it, or pass --create-topic [--partitions N]");
      }
      NewTopic newTopic =
          new NewTopic(
              topic,
              arguments.partitions().isPresent()
                  ? Optional.of(arguments.partitions().getAsInt())
                  : Optional.empty(),
              Optional.empty());
      try {
        await(admin.createTopics(List.of(newTopic)).all(), deadline);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new KafkaReplayException(
              "cannot create " + where + ": " + describe(e.getCause()), e.getCause());
        }
      } catch (TimeoutException e) {
        throw noAnswer(arguments);
      }
      // A new topic reaches the brokers' metadata a moment after the controller has created it.
      while (found.isEmpty()) {
        if (System.nanoTime() - deadline > 0) {
          throw new KafkaReplayException(
              "topic '"
                  + topic
                  + "' was created but "
                  + arguments.bootstrapServers()
                  + " does not show it after "
                  + arguments.timeoutSeconds()
                  + " s");
        }
        pause();
        found = describe(admin, arguments, deadline);
      }
    }
    int partitions = found.get().partitions().size();
    if (arguments.partitions().isPresent() && arguments.partitions().getAsInt() != partitions) {
      progress.printf(
          "replay kafka: topic '%s' exists with %d partitions; --partitions %d is not applied%n",
          topic, partitions, arguments.partitions().getAsInt());
    }
    return partitions;
  }

  /** The topic's description, or empty if it does not exist. */
  private static Optional<TopicDescription> describe(
      Admin admin, KafkaArguments arguments, long deadline) throws KafkaReplayException {
    String topic = arguments.topic();
    try {
      Map<String, TopicDescription> topics =
          await(admin.describeTopics(List.of(topic)).allTopicNames(), deadline);
      return Optional.of(topics.get(topic));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return Optional.empty();
      }
      if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
        throw noAnswer(arguments);
      }
      throw new KafkaReplayException(
          "cannot read "
              + where(arguments.bootstrapServers(), topic)
              + ": "
              + describe(e.getCause()),
          e.getCause());
    } catch (TimeoutException e) {
      throw noAnswer(arguments);
    }
  }

  private static <T> T await(KafkaFuture<T> future, long deadline)
      throws ExecutionException, TimeoutException, KafkaReplayException {
    try {
      // The admin client's own timeout ends the call first; this bound only guards against a hang.
      return future.get(
          Math.max(0, deadline - System.nanoTime()) + TimeUnit.SECONDS.toNanos(5),
          TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaReplayException("interrupted while waiting for Kafka", e);
    }
  }

  private static void pause() throws KafkaReplayException {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaReplayException("interrupted while waiting for Kafka", e);
    }
  }

  private static KafkaReplayException noAnswer(KafkaArguments arguments) {
    return new KafkaReplayException(
        "no answer from Kafka at "
            + arguments.bootstrapServers()
            + " within "
            + arguments.timeoutSeconds()
            + " s (topic '"
            + arguments.topic()
            + "'): is the broker running and reachable from here?");
  }

  @Override
  public int partitionCount() {
    return partitionCount;
  }

  @Override
  public void send(byte[] key, byte[] value) throws KafkaReplayException {
    send(new ProducerRecord<>(topic, null, key, value));
  }

  @Override
  public void sendToPartition(int partition, byte[] value) throws KafkaReplayException {
    send(new ProducerRecord<>(topic, partition, null, value));
  }

  private void send(ProducerRecord<byte[], byte[]> record) throws KafkaReplayException {
    checkFailure();
    try {
      producer.send(record, onCompletion);
    } catch (KafkaException e) {
      failure.compareAndSet(null, e);
      checkFailure();
    }
    sent++;
  }

  @Override
  public void flush() throws KafkaReplayException {
    try {
      producer.flush();
    } catch (KafkaException e) {
      failure.compareAndSet(null, e);
    }
    checkFailure();
  }

  private void checkFailure() throws KafkaReplayException {
    Exception e = failure.get();
    if (e != null) {
      throw new KafkaReplayException(
          "sending to "
              + where(servers, topic)
              + " failed ("
              + sent
              + " records handed to the producer): "
              + describe(e),
          e);
    }
  }

  @Override
  public void close() {
    producer.close(failure.get() == null ? timeout : CLOSE_AFTER_FAILURE);
  }

  private static String where(String servers, String topic) {
    return "topic '" + topic + "' on " + servers;
  }

  private static String describe(Throwable e) {
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}
