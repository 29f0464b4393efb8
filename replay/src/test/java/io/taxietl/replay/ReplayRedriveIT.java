package io.taxietl.replay;

import static io.taxietl.replay.TlcData.replay;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taxietl.testing.LocalKafka;
import io.taxietl.testing.LocalKinesis;
import io.taxietl.testing.LocalS3;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code replay redrive} against real servers: from the dead-letter topic to the input topic
 * (Kafka), and from dead-letter files on S3 (S3Mock) to a Kinesis stream (kinesalite).
 */
class ReplayRedriveIT {
  @RegisterExtension static final LocalKafka KAFKA = new LocalKafka();
  @RegisterExtension static final LocalKinesis KINESIS = new LocalKinesis();
  @RegisterExtension static final LocalS3 S3 = new LocalS3();
  private static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void credentials() {
    LocalKinesis.useLocalCredentials();
  }

  @Test
  void fromTheDeadLetterTopicToTheInputTopicKeyedByTripId() throws Exception {
    KAFKA.createTopic("dead-letters", 2);
    KAFKA.createTopic("trips", 3);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", KAFKA.bootstrapServers()),
            new StringSerializer(),
            new StringSerializer())) {
      for (String record :
          List.of(
              RedriveCommandTest.MISSING,
              RedriveCommandTest.ELASTICSEARCH,
              RedriveCommandTest.DROPOFF,
              RedriveCommandTest.NOT_UTF8)) {
        producer.send(new ProducerRecord<>("dead-letters", record)).get();
      }
    }

    TlcData.Run run =
        replay(
            "redrive",
            "--from-topic",
            "dead-letters",
            "--from-bootstrap-servers",
            KAFKA.bootstrapServers(),
            "--reason",
            "MISSING_FIELD,DROPOFF_BEFORE_PICKUP",
            "--to-topic",
            "trips",
            "--bootstrap-servers",
            KAFKA.bootstrapServers());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("read 4 dead letters from topic 'dead-letters' on " + KAFKA.bootstrapServers())
        .contains("picked 2: DROPOFF_BEFORE_PICKUP 1, MISSING_FIELD 1; not picked 2")
        .contains("sent 2 to topic 'trips' on " + KAFKA.bootstrapServers());
    Map<String, JsonNode> byKey = new TreeMap<>();
    for (ConsumerRecord<byte[], byte[]> record : KAFKA.readAll("trips")) {
      byKey.put(LocalKafka.utf8(record.key()), JSON.readTree(record.value()));
    }
    assertThat(byKey).containsOnlyKeys("7", "8");
    assertThat(byKey.get("7").path("payload").asText()).isEqualTo("{\"trip_id\":7}");
    assertThat(byKey.get("7").path("redrive").path("previous_failures").get(0).path("origin"))
        .hasToString("{\"source\":\"kafka\",\"topic\":\"trips\",\"partition\":1,\"offset\":12}");
  }

  @Test
  void fromFilesOnS3ToAKinesisStream() throws Exception {
    S3.createBucket("lake");
    try (S3Client s3 = S3.client()) {
      s3.putObject(
          b -> b.bucket("lake").key("dead-letters/dead-letters-1.jsonl"),
          RequestBody.fromString(
              RedriveCommandTest.MISSING + "\n" + RedriveCommandTest.NOT_UTF8 + "\n", UTF_8));
      s3.putObject(
          b -> b.bucket("lake").key("dead-letters/dead-letters-2.jsonl"),
          RequestBody.fromString(RedriveCommandTest.SECOND_TIME + "\n", UTF_8));
      // Not yet published: skipped.
      s3.putObject(
          b -> b.bucket("lake").key("dead-letters/.staging/dead-letters-3.jsonl"),
          RequestBody.fromString(RedriveCommandTest.DROPOFF + "\n", UTF_8));
    }
    KINESIS.createStream("trips", 2);

    TlcData.Run run =
        replay(
            "redrive",
            "s3://lake/dead-letters",
            "--s3-endpoint",
            S3.endpoint(),
            "--s3-path-style",
            "--s3-region",
            LocalKinesis.REGION,
            "--to-stream",
            "trips",
            "--endpoint",
            KINESIS.endpoint(),
            "--region",
            LocalKinesis.REGION);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("read 3 dead letters from s3://lake/dead-letters")
        .contains("picked 3: MALFORMED_JSON 1, MISSING_FIELD 2; not picked 0")
        .contains("sent 3 to stream 'trips' at " + KINESIS.endpoint());
    List<Record> records = readAll("trips");
    Map<String, JsonNode> byKey = new TreeMap<>();
    for (Record record : records) {
      byKey.put(record.partitionKey(), JSON.readTree(record.data().asUtf8String()));
    }
    assertThat(records).hasSize(3);
    // The payload that is not UTF-8 had no trip id: a random partition key.
    assertThat(byKey).hasSize(3).containsKeys("5", "7");
    assertThat(byKey.get("5").path("redrive").path("count").asInt()).isEqualTo(2);
    List<String> base64 = new ArrayList<>();
    for (Record record : records) {
      base64.add(JSON.readTree(record.data().asUtf8String()).path("payload_base64").asText());
    }
    assertThat(base64).containsOnlyOnce("e//+fQ==");
  }

  private static List<Record> readAll(String stream) {
    List<Record> records = new ArrayList<>();
    try (KinesisClient client = KINESIS.client()) {
      for (Shard shard : KINESIS.shards(stream)) {
        String iterator =
            client
                .getShardIterator(
                    b ->
                        b.streamName(stream)
                            .shardId(shard.shardId())
                            .shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                .shardIterator();
        records.addAll(client.getRecords(b -> b.shardIterator(iterator).limit(1000)).records());
      }
    }
    return records;
  }
}
