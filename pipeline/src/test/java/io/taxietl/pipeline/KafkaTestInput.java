package io.taxietl.pipeline;

import io.taxietl.testing.LocalKafka;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Feeds test events into a Kafka topic: through {@code replay kafka}, or produced raw. */
final class KafkaTestInput {
  private KafkaTestInput() {}

  /** Replays the text events through {@code replay kafka}, as fast as possible, one per line. */
  static void replay(LocalKafka kafka, String topic, List<TestEvents.Event> events, Path work) {
    TestEvents.runReplayTool(
        "kafka",
        "--bootstrap-servers",
        kafka.bootstrapServers(),
        "--topic",
        topic,
        "--speedup",
        "0",
        TestEvents.writeLines(work, topic, events).toString());
  }

  /** Produces raw payloads straight to the topic (for binary poison that has no line form). */
  static void produce(LocalKafka kafka, String topic, List<TestEvents.Event> events) {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (TestEvents.Event event : events) {
        producer.send(new ProducerRecord<>(topic, event.payload()));
      }
      producer.flush();
    }
  }
}
