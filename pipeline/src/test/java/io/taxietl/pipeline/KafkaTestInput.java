package io.taxietl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.taxietl.testing.Await;
import io.taxietl.testing.LocalKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
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

  /**
   * Produces the events in order to a one-partition topic with the client settings {@code config}
   * (bootstrap servers included); notes each bad event's offset with its reason and each trip id.
   */
  static void produceInOrder(
      Properties config,
      String topic,
      List<TestEvents.Event> events,
      Map<Long, String> reasons,
      Set<Long> tripIds)
      throws Exception {
    Properties settings = new Properties();
    settings.putAll(config);
    settings.put(ProducerConfig.ACKS_CONFIG, "all");
    Map<Future<RecordMetadata>, TestEvents.Event> sent = new HashMap<>();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (TestEvents.Event event : events) {
        sent.put(producer.send(new ProducerRecord<>(topic, event.payload())), event);
      }
      producer.flush();
    }
    for (Map.Entry<Future<RecordMetadata>, TestEvents.Event> record : sent.entrySet()) {
      long offset = record.getKey().get().offset();
      TestEvents.Event event = record.getValue();
      if (event.expectedReason() != null) {
        reasons.put(offset, event.expectedReason());
      } else if (!event.text().contains("\"watermark\"")) {
        tripIds.add(TripOutput.JSON.readTree(event.payload()).get("trip_id").asLong());
      }
    }
  }

  /** Dead letters as the offset of their record -> reason; an offset twice fails. */
  static Map<Long, String> reasonsByOffset(List<JsonNode> deadLetters) {
    Map<Long, String> byOffset = new TreeMap<>();
    for (JsonNode d : deadLetters) {
      assertThat(byOffset.put(d.get("offset").asLong(), d.get("reason").asText()))
          .as("dead letter twice: %s", d.get("offset"))
          .isNull();
    }
    return byOffset;
  }

  /**
   * Waits until the running job has published {@code rows} trips below {@code trips} and {@code
   * deadLetterCount} dead letters below {@code deadLetters} (or has ended); fails with the counts
   * and the job's log, which it also copies to {@code target/<logName>}.
   */
  static void awaitPublished(
      JarRun.Background run,
      Path trips,
      Path deadLetters,
      int rows,
      int deadLetterCount,
      Duration deadline,
      Path log)
      throws IOException {
    try {
      Await.until(
          () ->
              !run.isAlive()
                  || (TripOutput.rows(trips).size() >= rows
                      && TripOutput.deadLetters(deadLetters).size() >= deadLetterCount),
          deadline,
          "every trip and dead letter published");
    } catch (AssertionError e) {
      Files.copy(
          log, Path.of("target").resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      throw new AssertionError(
          String.format(
              "%s: %d of %d rows, %d of %d dead letters; the job's log:%n%s",
              e.getMessage(),
              TripOutput.rows(trips).size(),
              rows,
              TripOutput.deadLetters(deadLetters).size(),
              deadLetterCount,
              run.tail()),
          e);
    }
    assertThat(run.isAlive()).as("the job runs; its log:%n%s", run.tail()).isTrue();
  }
}
