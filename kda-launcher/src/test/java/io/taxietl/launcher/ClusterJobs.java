package io.taxietl.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taxietl.launcher.ClusterEvents.Event;
import io.taxietl.launcher.ClusterEvents.Expected;
import io.taxietl.replay.Replay;
import io.taxietl.testing.Await;
import io.taxietl.testing.LocalFlinkCluster;
import io.taxietl.testing.LocalKinesis;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * A launcher job on the shared cluster ({@link ClusterServers}), as the cluster tests run one:
 * where its events come from (a Kafka topic or a Kinesis stream, filled by the replay tool), where
 * it publishes (a local folder or an S3 prefix), its properties file in the managed service's
 * format, and the wait for its output.
 */
final class ClusterJobs {
  static final Duration OUTPUT_DEADLINE = Duration.ofMinutes(4);
  static final String BUCKET = "lake";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ClusterJobs() {}

  /**
   * Where a test's events come from: the source's properties, how to send events, what a dead
   * letter names.
   */
  interface Input {
    Map<String, String> properties();

    void send(List<Event> events) throws IOException;

    /** Waits until the job has read everything sent so far, where the source shows it. */
    void awaitEverythingRead();

    void assertOrigin(JsonNode deadLetter);
  }

  /** A 4-partition topic of the Kafka broker, filled by {@code replay kafka}. */
  static final class KafkaInput implements Input {
    private final String topic;
    private final String group;
    private final Path work;

    /** Creates the topic; {@code work} holds the files the replay tool reads. */
    KafkaInput(String topic, String group, Path work) {
      this.topic = topic;
      this.group = group;
      this.work = work;
      ClusterServers.KAFKA.createTopic(topic, 4);
    }

    @Override
    public Map<String, String> properties() {
      Map<String, String> properties = new LinkedHashMap<>();
      properties.put("Source", "KAFKA");
      properties.put("InputKafkaBootstrapServers", ClusterServers.KAFKA.bootstrapServers());
      properties.put("InputKafkaTopic", topic);
      properties.put("KafkaConsumerGroup", group);
      properties.put("KafkaStartingPosition", "EARLIEST");
      properties.put("JobName", "taxi-etl-" + group);
      return properties;
    }

    @Override
    public void send(List<Event> events) {
      replay(
          "kafka",
          "--bootstrap-servers",
          ClusterServers.KAFKA.bootstrapServers(),
          "--topic",
          topic,
          "--speedup",
          "0",
          ClusterEvents.writeLines(work, topic, events).toString());
    }

    @Override
    public void awaitEverythingRead() {
      Map<TopicPartition, Long> end =
          ClusterServers.KAFKA.endOffsets(topic, IsolationLevel.READ_COMMITTED);
      Await.until(
          () -> ClusterServers.KAFKA.committedOffsets(group).equals(end),
          OUTPUT_DEADLINE,
          "the committed offsets of group " + group + " to reach the end of " + topic + " " + end);
    }

    @Override
    public void assertOrigin(JsonNode deadLetter) {
      assertThat(deadLetter.path("source").asText()).isEqualTo("kafka");
      assertThat(deadLetter.path("topic").asText()).isEqualTo(topic);
      assertThat(deadLetter.path("partition").asInt()).isBetween(0, 3);
    }
  }

  /** A 4-shard kinesalite stream, filled by {@code replay kinesis} with random partition keys. */
  static final class KinesisInput implements Input {
    private final String stream;
    private final Set<String> shards;
    private final Path work;

    /** Creates the stream; {@code work} holds the files the replay tool reads. */
    KinesisInput(String stream, Path work) {
      this.stream = stream;
      this.work = work;
      ClusterServers.KINESIS.createStream(stream, 4);
      this.shards =
          ClusterServers.KINESIS.shards(stream).stream()
              .map(Shard::shardId)
              .collect(Collectors.toSet());
    }

    @Override
    public Map<String, String> properties() {
      Map<String, String> properties = new LinkedHashMap<>();
      properties.put("Source", "KINESIS");
      properties.put("InputKinesisStream", stream);
      properties.put("InputStreamRegion", LocalKinesis.REGION);
      properties.put("KinesisEndpoint", ClusterServers.KINESIS.endpoint());
      properties.put("InputStreamInitialPosition", "TRIM_HORIZON");
      properties.put("JobName", "taxi-etl-" + stream);
      return properties;
    }

    @Override
    public void send(List<Event> events) {
      replay(
          "kinesis",
          "--endpoint",
          ClusterServers.KINESIS.endpoint(),
          "--region",
          LocalKinesis.REGION,
          "--stream",
          stream,
          "--partition-key",
          "random",
          "--speedup",
          "0",
          ClusterEvents.writeLines(work, stream, events).toString());
    }

    @Override
    public void awaitEverythingRead() {
      // kinesalite reports no consumer position; the output itself shows what was read.
    }

    @Override
    public void assertOrigin(JsonNode deadLetter) {
      assertThat(deadLetter.path("source").asText()).isEqualTo("kinesis");
      assertThat(deadLetter.path("stream").asText()).isEqualTo(stream);
      assertThat(shards).contains(deadLetter.path("shard").asText());
    }
  }

  /** Where a test's job publishes, and a local view of it. */
  interface Output {
    Map<String, String> properties();

    PublishedOutput published();
  }

  static final class LocalOutput implements Output {
    private final Path folder;

    LocalOutput(Path folder) {
      this.folder = folder;
    }

    @Override
    public Map<String, String> properties() {
      return Map.of(
          "OutputPath", folder.resolve("trips").toString(),
          "DeadLetterPath", folder.resolve("dead-letters").toString());
    }

    @Override
    public PublishedOutput published() {
      return new PublishedOutput(folder.resolve("trips"), folder.resolve("dead-letters"));
    }
  }

  /**
   * A prefix of the S3Mock bucket; {@link #published()} first copies the objects not copied yet
   * (published objects never change) into a local folder.
   */
  static final class S3Output implements Output {
    private final String prefix;
    private final Path copy;
    private final Set<String> copied = new HashSet<>();

    S3Output(String prefix, Path copy) {
      this.prefix = prefix;
      this.copy = copy.resolve(prefix);
    }

    @Override
    public Map<String, String> properties() {
      Map<String, String> properties = new LinkedHashMap<>();
      properties.put("OutputPath", "s3://" + BUCKET + "/" + prefix + "/trips");
      properties.put("DeadLetterPath", "s3://" + BUCKET + "/" + prefix + "/dead-letters");
      properties.put("S3Endpoint", ClusterServers.S3.endpoint());
      properties.put("S3PathStyleAccess", "true");
      return properties;
    }

    @Override
    public PublishedOutput published() {
      for (String key : ClusterServers.S3.listKeys(BUCKET, prefix + "/")) {
        if (copied.add(key)) {
          ClusterServers.S3.downloadObject(
              BUCKET, key, copy.resolve(key.substring(prefix.length() + 1)));
        }
      }
      return new PublishedOutput(copy.resolve("trips"), copy.resolve("dead-letters"));
    }
  }

  /** Waits until the job has published at least the expected rows and dead letters. */
  static void awaitOutput(String jobId, Output output, Expected expected) {
    int[] seen = new int[2];
    try {
      Await.until(
          () -> {
            String state = ClusterServers.CLUSTER.jobState(jobId);
            if (LocalFlinkCluster.TERMINAL_STATES.contains(state)) {
              throw new IllegalStateException(
                  "job "
                      + jobId
                      + " ended "
                      + state
                      + ": "
                      + ClusterServers.CLUSTER.failure(jobId));
            }
            PublishedOutput published = output.published();
            seen[0] = published.rows().size();
            seen[1] = published.deadLetters().size();
            return seen[0] >= expected.trips().size() && seen[1] >= expected.rejections().size();
          },
          OUTPUT_DEADLINE,
          "job "
              + jobId
              + " to publish "
              + expected.trips().size()
              + " rows and "
              + expected.rejections().size()
              + " dead letters");
    } catch (AssertionError e) {
      throw new AssertionError(
          e.getMessage() + "; published: " + seen[0] + " rows, " + seen[1] + " dead letters", e);
    }
  }

  static Path propertiesFile(
      Path work, String name, Input input, Output output, int windowSizeSeconds)
      throws IOException {
    Map<String, String> properties = new LinkedHashMap<>(input.properties());
    properties.putAll(output.properties());
    properties.put("WindowSizeSeconds", Integer.toString(windowSizeSeconds));
    return propertiesFile(work, name, properties);
  }

  static Path propertiesFile(Path work, String name, Map<String, String> beamProperties)
      throws IOException {
    ArrayNode groups = JSON.createArrayNode();
    ObjectNode group = groups.addObject();
    group.put("PropertyGroupId", PropertyGroupMapping.BEAM_GROUP);
    ObjectNode map = group.putObject("PropertyMap");
    beamProperties.forEach(map::put);
    Path file = work.resolve(name);
    Files.writeString(
        file,
        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(groups),
        StandardCharsets.UTF_8);
    return file;
  }

  /**
   * Runs the replay tool in this JVM, as a user fills a stream; fails with its output on a non-zero
   * exit.
   */
  static void replay(String... args) {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(log, true, StandardCharsets.UTF_8);
    int exit = Replay.run(args, print, print);
    assertThat(exit).as(log.toString(StandardCharsets.UTF_8)).isZero();
  }
}
