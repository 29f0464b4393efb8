package io.taxietl.replay;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Reads dead-letter records where the pipeline writes them: {@code .jsonl} files below local
 * folders or {@code s3://} prefixes, or the dead-letter Kafka topic from its beginning to its end
 * at the time of reading. Folders and keys whose name starts with {@code .} are skipped: they are
 * the pipeline's staging areas, whose files are published later and would be sent twice.
 */
final class DeadLetterReader {
  /** One line of text and where it was read, for messages. */
  record Line(String location, String text) {}

  /** Where {@code s3://} sources are read: an endpoint other than AWS's, a region, path style. */
  record S3Settings(Optional<URI> endpoint, Optional<String> region, boolean pathStyle) {}

  private DeadLetterReader() {}

  /**
   * Every line of every {@code .jsonl} file of {@code sources} (files, folders, s3:// prefixes).
   */
  static List<Line> fromPaths(List<String> sources, S3Settings s3) throws IOException {
    List<Line> lines = new ArrayList<>();
    S3Client client = null;
    try {
      for (String source : sources) {
        if (source.startsWith("s3://")) {
          if (client == null) {
            client = s3Client(s3);
          }
          readS3(client, source, lines);
        } else {
          readLocal(Path.of(source), lines);
        }
      }
    } finally {
      if (client != null) {
        client.close();
      }
    }
    return lines;
  }

  /**
   * Every record of {@code topic} from the beginning of each partition to its end offset when
   * reading starts ({@code read_committed}).
   */
  static List<Line> fromTopic(
      String servers, String topic, Map<String, String> consumerProperties, int timeoutSeconds)
      throws KafkaReplayException {
    Map<String, Object> config = new HashMap<>(consumerProperties);
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "taxietl-redrive");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutSeconds * 1000);
    String where = "topic '" + topic + "' on " + servers;
    long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
    List<Line> lines = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic);
      if (infos == null || infos.isEmpty()) {
        throw new KafkaReplayException(where + " does not exist", null);
      }
      List<TopicPartition> partitions =
          infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (!caughtUp(consumer, end)) {
        if (System.nanoTime() > deadline) {
          throw new KafkaReplayException(
              "reading " + where + " did not reach its end within " + timeoutSeconds + " s", null);
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          if (record.offset() < end.get(new TopicPartition(topic, record.partition()))
              && record.value() != null) {
            lines.add(
                new Line(
                    where + " partition " + record.partition() + " offset " + record.offset(),
                    new String(record.value(), UTF_8)));
          }
        }
      }
    } catch (KafkaException e) {
      throw new KafkaReplayException(
          "cannot read " + where + ": " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
    return lines;
  }

  private static boolean caughtUp(
      KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
      if (consumer.position(partition.getKey()) < partition.getValue()) {
        return false;
      }
    }
    return true;
  }

  private static void readLocal(Path source, List<Line> lines) throws IOException {
    if (!Files.exists(source)) {
      throw new NoSuchFileException(source.toString(), null, "no such file or folder");
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(source)) {
      files =
          walk.filter(Files::isRegularFile)
              .filter(file -> file.getFileName().toString().endsWith(".jsonl"))
              .filter(file -> !hidden(source.relativize(file).toString()))
              .sorted()
              .toList();
    }
    for (Path file : files) {
      addLines(file.toString(), Files.readString(file, UTF_8), lines);
    }
  }

  private static void readS3(S3Client client, String source, List<Line> lines) throws IOException {
    String rest = source.substring("s3://".length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String prefix = slash < 0 ? "" : rest.substring(slash + 1);
    try {
      List<String> keys =
          client
              .listObjectsV2Paginator(request -> request.bucket(bucket).prefix(prefix))
              .contents()
              .stream()
              .map(S3Object::key)
              .filter(key -> key.endsWith(".jsonl"))
              .filter(key -> !hidden(key.substring(prefix.length())))
              .sorted()
              .toList();
      for (String key : keys) {
        String text =
            client.getObjectAsBytes(request -> request.bucket(bucket).key(key)).asString(UTF_8);
        addLines("s3://" + bucket + "/" + key, text, lines);
      }
    } catch (SdkException e) {
      throw new IOException("cannot read " + source + ": " + e.getMessage(), e);
    }
  }

  private static void addLines(String location, String text, List<Line> lines) {
    String[] split = text.split("\r?\n", -1);
    for (int i = 0; i < split.length; i++) {
      if (!split[i].isBlank()) {
        lines.add(new Line(location + " line " + (i + 1), split[i]));
      }
    }
  }

  /** Whether a path below the source has a part that starts with a dot (a staging folder). */
  private static boolean hidden(String relative) {
    for (String part : relative.split("/")) {
      if (part.startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private static S3Client s3Client(S3Settings settings) {
    S3ClientBuilder builder =
        S3Client.builder()
            .httpClientBuilder(ApacheHttpClient.builder())
            .forcePathStyle(settings.pathStyle());
    settings.endpoint().ifPresent(builder::endpointOverride);
    settings.region().map(Region::of).ifPresent(builder::region);
    return builder.build();
  }
}
