package io.taxietl.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A real single-node Kafka 4.1.1 broker (KRaft), started by {@code scripts/kafka.sh} on 127.0.0.1
 * and a free port, with its data in a temporary folder; stopped with its whole process group.
 * Register it with {@code @RegisterExtension static final LocalKafka KAFKA = new LocalKafka();} or
 * use try-with-resources.
 *
 * <p>The helpers talk to it with kafka-clients 3.9.1 (the version KafkaIO of Beam 2.62 needs):
 * create topics, read a whole topic up to its end offsets with either isolation level, end offsets,
 * a consumer group's committed offsets. Transactions work: the broker's transaction log has one
 * replica and needs one in sync.
 *
 * <p>{@link #secure()} starts it with {@code --secure}: the job's listener ({@link
 * #bootstrapServers()}) is SASL_SSL with SCRAM-SHA-512 and a certificate made at start; the helpers
 * of this class talk to the broker's own PLAINTEXT listener ({@link #internalBootstrapServers()}).
 *
 * <p>Longer than most classes here on purpose: besides starting the broker, it is the one place the
 * tests create topics and read offsets, groups and records back, so every Kafka test checks the
 * broker the same way.
 */
public final class LocalKafka extends ScriptedServer {
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  private static final Comparator<TopicPartition> BY_TOPIC_AND_PARTITION =
      Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

  private final boolean secure;

  public LocalKafka() {
    this(false);
  }

  private LocalKafka(boolean secure) {
    super("kafka.sh");
    this.secure = secure;
  }

  /**
   * A broker whose client listener is SASL_SSL with SCRAM-SHA-512 (user {@code taxietl}, {@link
   * #password()}), trusted through {@link #trustStore()}.
   */
  public static LocalKafka secure() {
    return new LocalKafka(true);
  }

  @Override
  protected List<String> startArguments() {
    return secure ? List.of("--secure") : List.of();
  }

  /** The {@code bootstrap.servers} value of the client listener: {@code 127.0.0.1:PORT}. */
  public String bootstrapServers() {
    return "127.0.0.1:" + port();
  }

  /**
   * The address this class's helpers use: the client listener of a plain broker, the broker's own
   * PLAINTEXT listener of a secure one.
   */
  public String internalBootstrapServers() {
    if (!secure) {
      return bootstrapServers();
    }
    try {
      return "127.0.0.1:"
          + Files.readString(dataDir().resolve("internal-port"), StandardCharsets.US_ASCII).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The PKCS#12 trust store with the secure broker's certificate (password {@code changeit}). */
  public Path trustStore() {
    return dataDir().resolve("truststore.p12");
  }

  /**
   * The secure broker's client settings file: security protocol, mechanism, trust store and {@code
   * sasl.jaas.config} with the password (for Kafka's FileConfigProvider).
   */
  public Path clientPropertiesFile() {
    return dataDir().resolve("client.properties");
  }

  /** The SCRAM password of the secure broker's user {@code taxietl}. */
  public String password() {
    try {
      for (String line : Files.readAllLines(dataDir().resolve("credentials"))) {
        if (line.startsWith("password=")) {
          return line.substring("password=".length());
        }
      }
      throw new IllegalStateException("no password in " + dataDir().resolve("credentials"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The password of the secure broker's own key store (which only the broker reads). */
  public String keyStorePassword() {
    try {
      return Files.readString(dataDir().resolve("keystore-password"), StandardCharsets.US_ASCII)
          .trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The broker's process id while it runs, from the script's pid file; empty if there is none. */
  public OptionalLong pid() {
    Path pidFile = dataDir().resolve("kafka.pid");
    try {
      return Files.isRegularFile(pidFile)
          ? OptionalLong.of(
              Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).trim()))
          : OptionalLong.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs {@code scripts/kafka.sh COMMAND --dir DIR args...} and returns its output; fails on a
   * non-zero exit.
   */
  public String script(String command, String... args) {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(List.of(args));
    all.addAll(List.of("--dir", dataDir().toString()));
    return runScript(all);
  }

  /** A new admin client for this broker; the caller closes it. */
  public Admin admin() {
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, internalBootstrapServers(),
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000));
  }

  /**
   * Creates a topic with one replica and returns once the broker lists all its partitions with a
   * leader.
   */
  public void createTopic(String name, int partitions) {
    try (Admin admin = admin()) {
      get(admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all());
      Await.until(
          () ->
              describe(admin, name)
                  .map(
                      d ->
                          d.partitions().size() == partitions
                              && d.partitions().stream().allMatch(p -> p.leader() != null))
                  .orElse(false),
          DEFAULT_TIMEOUT,
          "topic " + name + " with " + partitions + " partitions and their leaders");
    }
  }

  /** The number of partitions of a topic. */
  public int partitionCount(String topic) {
    try (Admin admin = admin()) {
      return describe(admin, topic)
          .orElseThrow(() -> new AssertionError("topic " + topic + " does not exist"))
          .partitions()
          .size();
    }
  }

  /** Whether a topic exists. */
  public boolean topicExists(String topic) {
    try (Admin admin = admin()) {
      return describe(admin, topic).isPresent();
    }
  }

  /**
   * The end offset of every partition of a topic: for {@link IsolationLevel#READ_COMMITTED} the
   * last stable offset (records of open transactions are beyond it), else the high watermark.
   */
  public Map<TopicPartition, Long> endOffsets(String topic, IsolationLevel isolation) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(isolation)) {
      Map<TopicPartition, Long> offsets = new TreeMap<>(BY_TOPIC_AND_PARTITION);
      offsets.putAll(consumer.endOffsets(partitions(consumer, topic), DEFAULT_TIMEOUT));
      return offsets;
    }
  }

  /**
   * Every record of a topic as {@link #readAll(String, IsolationLevel, Duration)} reads it,
   * read_committed.
   */
  public List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    return readAll(topic, IsolationLevel.READ_COMMITTED, DEFAULT_TIMEOUT);
  }

  /**
   * Every record of a topic from the beginning up to the end offsets taken when called, partition
   * by partition in offset order. With {@link IsolationLevel#READ_COMMITTED} records of aborted
   * transactions are left out and reading stops at the last stable offset.
   *
   * @throws AssertionError if the records up to the end offsets cannot be read within {@code
   *     timeout}
   */
  public List<ConsumerRecord<byte[], byte[]>> readAll(
      String topic, IsolationLevel isolation, Duration timeout) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(isolation)) {
      List<TopicPartition> partitions = partitions(consumer, topic);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> records = new HashMap<>();
      Await.until(
          () -> {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
              records
                  .computeIfAbsent(
                      new TopicPartition(r.topic(), r.partition()), p -> new ArrayList<>())
                  .add(r);
            }
            return partitions.stream().allMatch(p -> consumer.position(p, timeout) >= end.get(p));
          },
          timeout,
          "all records of " + topic + " up to the end offsets " + end);
      List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
      partitions.forEach(p -> all.addAll(records.getOrDefault(p, List.of())));
      return all;
    }
  }

  /**
   * A consumer group's committed offset of every partition that it committed; empty if it has none.
   */
  public Map<TopicPartition, Long> committedOffsets(String groupId) {
    try (Admin admin = admin()) {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          get(admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata());
      return offsets.entrySet().stream()
          .filter(e -> e.getValue() != null)
          .collect(
              Collectors.toMap(
                  Map.Entry::getKey,
                  e -> e.getValue().offset(),
                  (a, b) -> a,
                  () -> new TreeMap<>(BY_TOPIC_AND_PARTITION)));
    }
  }

  /** A record's key or value as UTF-8 text; null stays null. */
  public static String utf8(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  private KafkaConsumer<byte[], byte[]> consumer(IsolationLevel isolation) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            internalBootstrapServers(),
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            isolation.toString().toLowerCase(Locale.ROOT),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false,
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
            5_000),
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }

  private static List<TopicPartition> partitions(
      KafkaConsumer<byte[], byte[]> consumer, String topic) {
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic, DEFAULT_TIMEOUT).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .sorted(BY_TOPIC_AND_PARTITION)
            .toList();
    if (partitions.isEmpty()) {
      throw new AssertionError("topic " + topic + " does not exist");
    }
    return partitions;
  }

  private static Optional<TopicDescription> describe(Admin admin, String topic) {
    try {
      return Optional.of(
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(30, TimeUnit.SECONDS)
              .get(topic));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return Optional.empty();
      }
      throw new IllegalStateException("describing topic " + topic, e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new IllegalStateException("describing topic " + topic, e);
    }
  }

  private static <T> T get(KafkaFuture<T> future) {
    try {
      return future.get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }
}
