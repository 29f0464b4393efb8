package io.taxietl.testing;

import static io.taxietl.testing.LocalKafka.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Kafka test harness against the real broker that {@code scripts/kafka.sh} starts. */
class LocalKafkaIT {
  @RegisterExtension static final LocalKafka KAFKA = new LocalKafka();

  private static KafkaProducer<byte[], byte[]> producer(String transactionalId) {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static ProducerRecord<byte[], byte[]> record(String topic, String value) {
    return new ProducerRecord<>(topic, 0, null, value.getBytes(StandardCharsets.UTF_8));
  }

  private static List<String> values(List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream().map(r -> utf8(r.value())).toList();
  }

  @Test
  void transactionsWorkAndIsolationLevelsSeeWhatTheyShould() {
    String topic = "transactions";
    KAFKA.createTopic(topic, 1);
    try (KafkaProducer<byte[], byte[]> producer = producer("harness-test")) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(record(topic, "committed-1"));
      producer.send(record(topic, "committed-2"));
      producer.commitTransaction();
      producer.beginTransaction();
      producer.send(record(topic, "aborted"));
      producer.flush();
      producer.abortTransaction();
      producer.beginTransaction();
      producer.send(record(topic, "open"));
      producer.flush();

      // The open transaction holds read_committed readers back at the last stable offset.
      Map<TopicPartition, Long> committedEnd =
          KAFKA.endOffsets(topic, IsolationLevel.READ_COMMITTED);
      Map<TopicPartition, Long> uncommittedEnd =
          KAFKA.endOffsets(topic, IsolationLevel.READ_UNCOMMITTED);
      TopicPartition partition = new TopicPartition(topic, 0);
      // 2 records + commit marker + 1 aborted record + abort marker = 5; the open record is offset
      // 5.
      assertThat(committedEnd).containsExactly(Map.entry(partition, 5L));
      assertThat(uncommittedEnd).containsExactly(Map.entry(partition, 6L));
      assertThat(
              values(KAFKA.readAll(topic, IsolationLevel.READ_COMMITTED, Duration.ofSeconds(30))))
          .containsExactly("committed-1", "committed-2");
      assertThat(
              values(KAFKA.readAll(topic, IsolationLevel.READ_UNCOMMITTED, Duration.ofSeconds(30))))
          .containsExactly("committed-1", "committed-2", "aborted", "open");

      producer.commitTransaction();
    }
    assertThat(values(KAFKA.readAll(topic))).containsExactly("committed-1", "committed-2", "open");
    assertThat(KAFKA.endOffsets(topic, IsolationLevel.READ_COMMITTED))
        .containsExactly(Map.entry(new TopicPartition(topic, 0), 7L));
  }

  @Test
  void committedOffsetsOfAConsumerGroupArePerPartition() {
    String topic = "group-offsets";
    KAFKA.createTopic(topic, 2);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (int i = 0; i < 5; i++) {
        producer.send(
            new ProducerRecord<>(topic, i % 2, null, ("v" + i).getBytes(StandardCharsets.UTF_8)));
      }
    }
    assertThat(KAFKA.committedOffsets("readers")).isEmpty();

    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KAFKA.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "readers",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false),
            new StringDeserializer(),
            new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      List<String> seen = new ArrayList<>();
      Await.until(
          () -> {
            consumer.poll(Duration.ofMillis(200)).forEach(r -> seen.add(r.value()));
            return seen.size() == 5;
          },
          Duration.ofSeconds(60),
          "the group to read all 5 records");
      consumer.commitSync();
      assertThat(seen).containsExactlyInAnyOrder("v0", "v1", "v2", "v3", "v4");
    }

    assertThat(KAFKA.committedOffsets("readers"))
        .containsExactly(
            Map.entry(new TopicPartition(topic, 0), 3L),
            Map.entry(new TopicPartition(topic, 1), 2L));
  }

  @Test
  void scriptCreatesTopicsOnceAndReportsStatus() {
    assertThat(KAFKA.script("create-topic", "from-script", "3")).contains("PartitionCount: 3");
    assertThat(KAFKA.script("create-topic", "from-script", "3")).contains("PartitionCount: 3");

    assertThat(KAFKA.partitionCount("from-script")).isEqualTo(3);
    assertThat(KAFKA.script("status"))
        .contains("Kafka is running on " + KAFKA.bootstrapServers())
        .contains("pid " + KAFKA.pid().orElseThrow());
  }

  @Test
  void startOfARunningBrokerSaysSoAndLeavesItRunning() {
    long pid = KAFKA.pid().orElseThrow();

    String output = KAFKA.script("start", "--port", Integer.toString(KAFKA.port()));

    assertThat(output).contains("already running on " + KAFKA.bootstrapServers());
    assertThat(KAFKA.pid()).hasValue(pid);
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).hasValue(true);
  }
}
