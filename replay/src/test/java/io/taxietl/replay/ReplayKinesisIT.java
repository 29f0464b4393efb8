package io.taxietl.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.taxietl.testing.LocalKinesis;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * {@code replay kinesis} against a real Kinesis API server (kinesalite) started by {@code
 * scripts/kinesis.sh}.
 */
class ReplayKinesisIT {
  @RegisterExtension static final LocalKinesis KINESIS = new LocalKinesis();

  @TempDir Path work;

  @BeforeAll
  static void localCredentials() {
    LocalKinesis.useLocalCredentials();
  }

  @Test
  void everyLineBecomesOneRecordKeyedByTripIdAndEveryShardGetsTheWatermarks() throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 1_700; i++) {
      lines.add(
          String.format(
              "{\"trip_id\":%d,\"pickup_datetime\":\"2019-03-01T00:%02d:%02d\",\"type\":\"yellow\"}",
              1000 + i, i / 60 % 60, i % 60));
    }
    lines.add("this is not json");
    Path input = Files.write(work.resolve("events.jsonl"), lines, StandardCharsets.UTF_8);

    Result result =
        replay(
            "kinesis",
            "--endpoint",
            KINESIS.endpoint(),
            "--stream",
            "replayed",
            "--create-stream",
            "--shards",
            "3",
            "--speedup",
            "0",
            "--watermarks",
            "1000",
            input.toString());

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out())
        .contains("sent 1,701 events to stream 'replayed'")
        .contains("PutRecords: 4 requests")
        .contains("watermarks: 1 rounds to each of 3 open shards");
    Map<String, List<Record>> byShard = readAll("replayed");
    assertThat(byShard).hasSize(3);
    Map<String, Integer> copies = new HashMap<>();
    for (Map.Entry<String, List<Record>> shard : byShard.entrySet()) {
      List<String> watermarks = new ArrayList<>();
      for (Record record : shard.getValue()) {
        String data = record.data().asUtf8String();
        if (data.contains("\"watermark\"")) {
          watermarks.add(data);
          continue;
        }
        copies.merge(data, 1, Integer::sum);
        if (data.startsWith("{")) {
          String tripId = data.substring(data.indexOf(':') + 1, data.indexOf(','));
          assertThat(record.partitionKey()).isEqualTo(tripId);
        } else {
          assertThat(record.partitionKey()).matches("[0-9a-f]{1,16}");
        }
      }
      assertThat(watermarks)
          .as("watermarks in %s", shard.getKey())
          .containsExactly("{\"watermark\":\"2019-03-01T00:28:19Z\",\"type\":\"watermark\"}");
    }
    assertThat(copies.keySet()).containsExactlyInAnyOrderElementsOf(lines);
    assertThat(copies.values()).containsOnly(1);
  }

  @Test
  void randomKeysSpreadRecordsOverAllShards() throws IOException {
    KINESIS.createStream("spread", 4);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      lines.add("{\"trip_id\":7,\"pickup_datetime\":\"2019-03-01T00:00:00\",\"n\":" + i + "}");
    }
    Path input = Files.write(work.resolve("same-trip.jsonl"), lines, StandardCharsets.UTF_8);

    Result result =
        replay(
            "kinesis",
            "--endpoint",
            KINESIS.endpoint(),
            "--stream",
            "spread",
            "--partition-key",
            "random",
            "--speedup",
            "0",
            input.toString());

    assertThat(result.exit()).as(result.err()).isZero();
    Map<String, List<Record>> byShard = readAll("spread");
    assertThat(byShard.values()).allSatisfy(records -> assertThat(records).isNotEmpty());
    assertThat(byShard.values().stream().mapToInt(List::size).sum()).isEqualTo(400);
  }

  @Test
  void aMissingStreamIsReportedWithoutAStackTrace() throws IOException {
    Path input = Files.writeString(work.resolve("one.jsonl"), "{\"trip_id\":1}\n");

    Result result =
        replay(
            "kinesis",
            "--endpoint",
            KINESIS.endpoint(),
            "--stream",
            "nothing-here",
            input.toString());

    assertThat(result.exit()).isEqualTo(Replay.EXIT_FAILURE);
    assertThat(result.err())
        .contains("stream 'nothing-here' does not exist at " + KINESIS.endpoint())
        .doesNotContain("\tat ");
  }

  @Test
  void usageErrorsNameTheArgument() throws IOException {
    Path input = Files.writeString(work.resolve("one.jsonl"), "{\"trip_id\":1}\n");
    assertThat(replay("kinesis", "--stream", "s", "--shards", "2", input.toString()).err())
        .contains("--shards 2 only applies with --create-stream");
    assertThat(replay("kinesis", "--stream", "s", "--create-stream", input.toString()).err())
        .contains("--create-stream needs --shards N");
    assertThat(replay("kinesis", "--stream", "bad name", input.toString()).err())
        .contains("--stream 'bad name' is not a valid stream name");
    assertThat(
            replay("kinesis", "--stream", "s", "--partition-key", "pickup", input.toString()).err())
        .contains("--partition-key must be trip_id or random, got 'pickup'");
    assertThat(
            replay(
                    "kinesis",
                    "--stream",
                    "s",
                    "--endpoint",
                    "http://user:secret@127.0.0.1:1",
                    input.toString())
                .err())
        .contains("--endpoint must not carry credentials")
        .doesNotContain("secret");
    assertThat(replay("kinesis", "--stream", "s", "--shards", "2", input.toString()).exit())
        .isEqualTo(Replay.EXIT_USAGE);
  }

  private record Result(int exit, String out, String err) {}

  private static Result replay(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        Replay.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Every record of every shard from TRIM_HORIZON up to the end, by shard id. */
  private static Map<String, List<Record>> readAll(String stream) {
    Map<String, List<Record>> byShard = new HashMap<>();
    try (KinesisClient client = KINESIS.client()) {
      for (Shard shard : KINESIS.shards(stream)) {
        List<Record> records = new ArrayList<>();
        String iterator =
            client
                .getShardIterator(
                    b ->
                        b.streamName(stream)
                            .shardId(shard.shardId())
                            .shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                .shardIterator();
        while (iterator != null) {
          String current = iterator;
          GetRecordsResponse response =
              client.getRecords(b -> b.shardIterator(current).limit(10_000));
          records.addAll(response.records());
          if (response.records().isEmpty()
              && Long.valueOf(0).equals(response.millisBehindLatest())) {
            break;
          }
          iterator = response.nextShardIterator();
        }
        byShard.put(shard.shardId(), records);
      }
    }
    return byShard;
  }
}
