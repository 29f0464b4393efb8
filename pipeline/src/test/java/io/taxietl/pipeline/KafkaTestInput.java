package io.taxietl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.taxietl.replay.Replay;
import io.taxietl.testing.LocalKafka;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
    Path file = work.resolve(topic + "-" + System.nanoTime() + ".jsonl");
    try (OutputStream out = Files.newOutputStream(file)) {
      for (TestEvents.Event event : events) {
        out.write(event.payload());
        out.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(log, true, StandardCharsets.UTF_8);
    int exit =
        Replay.run(
            new String[] {
              "kafka", "--bootstrap-servers", kafka.bootstrapServers(), "--topic", topic, "--speedup", "0",
              file.toString()
            },
            print,
            print);
    assertThat(exit).as(log.toString(StandardCharsets.UTF_8)).isZero();
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
