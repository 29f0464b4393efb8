package io.taxietl.replay;

import static io.taxietl.replay.TlcData.replay;
import static org.assertj.core.api.Assertions.assertThat;

import io.taxietl.testing.LocalKafka;
import io.taxietl.testing.ScriptedServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code replay kafka} against a real Kafka broker started by {@code scripts/kafka.sh}. */
class ReplayKafkaIT {
  @RegisterExtension static final LocalKafka KAFKA = new LocalKafka();

  private static final Path SAMPLE =
      ScriptedServer.repoRoot()
          .resolve("pipeline/src/main/resources/sample/taxi-trips-sample.jsonl.gz");
  private static final int SAMPLE_EVENTS = 19_745;
  private static final Pattern PICKUP = Pattern.compile("\"pickup_datetime\":\"([^\"]+)\"");

  /** Bad events, each with the key it must get: they are replayed verbatim for the dead letters. */
  private static final List<BadLine> BAD_LINES =
      List.of(
          new BadLine(
              utf8(
                  "{\"trip_id\":\"abc\",\"pickup_datetime\":\"2019-08-15T12:00:00\",\"type\":\"yellow\"}"),
              null),
          new BadLine(utf8("this is not json"), null),
          new BadLine(
              utf8(
                  "{\"trip_id\":999000001,\"pickup_datetime\":\"2019-08-15T12:00:01\",\"dropoff_datetime\":"
                      + "\"2019-08-15T12:10:00\",\"pickup_location_id\":999,\"dropoff_location_id\":1,\"type\":\"yellow\"}"),
              "999000001"),
          new BadLine(
              new byte[] {
                '{',
                '"',
                't',
                'r',
                'i',
                'p',
                '_',
                'i',
                'd',
                '"',
                ':',
                '7',
                ',',
                '"',
                'n',
                '"',
                ':',
                '"',
                (byte) 0xFF,
                (byte) 0xFE,
                '"',
                '}'
              },
              "7"),
          new BadLine(utf8("{\"vendor_id\":1,\"pickup_datetime\":\"2019-08-15 12:00:02\"}"), null));

  record BadLine(byte[] bytes, String key) {}

  @TempDir Path dir;

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  private Path badLinesFile() throws IOException {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (BadLine line : BAD_LINES) {
      content.writeBytes(line.bytes());
      content.write('\n');
    }
    return Files.write(dir.resolve("bad-events.jsonl"), content.toByteArray());
  }

  private static List<byte[]> sampleLines() throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(SAMPLE))) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return text.lines().map(ReplayKafkaIT::utf8).toList();
    }
  }

  private static boolean isWatermark(ConsumerRecord<byte[], byte[]> record) {
    return text(record.value()).startsWith("{\"watermark\":");
  }

  /** The pickup time of an event line, read independently of the tool; empty if it has none. */
  private static Optional<Instant> pickup(byte[] value) {
    Matcher matcher = PICKUP.matcher(text(value));
    if (!matcher.find()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          LocalDateTime.parse(matcher.group(1).replace(' ', 'T')).toInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  @Test
  void sampleAndBadLinesAreReplayedIntoFourPartitionsKeyedInEventTimeOrderWithWatermarks()
      throws IOException {
    String topic = "trips-sample";

    TlcData.Run run =
        replay(
            "kafka",
            "--bootstrap-servers",
            KAFKA.bootstrapServers(),
            "--topic",
            topic,
            "--create-topic",
            "--partitions",
            4,
            "--speedup",
            0,
            "--watermarks",
            1,
            SAMPLE,
            badLinesFile());

    assertThat(run.exitCode()).as("exit code; stderr: %s", run.err()).isZero();
    assertThat(run.out())
        .contains("sent 19,750 events to topic 'trips-sample' on " + KAFKA.bootstrapServers())
        .contains("3 lines without a readable trip_id")
        .contains("2 without a readable pickup_datetime")
        .contains("to each of 4 partitions");
    assertThat(KAFKA.partitionCount(topic)).isEqualTo(4);

    List<ConsumerRecord<byte[], byte[]>> records = KAFKA.readAll(topic);
    List<ConsumerRecord<byte[], byte[]>> events =
        records.stream().filter(r -> !isWatermark(r)).toList();

    // Everything arrived, exactly once, byte for byte.
    assertThat(events).hasSize(SAMPLE_EVENTS + BAD_LINES.size());
    List<byte[]> expected = new ArrayList<>(sampleLines());
    BAD_LINES.forEach(line -> expected.add(line.bytes()));
    assertThat(sortedBase64(events.stream().map(ConsumerRecord::value).toList()))
        .isEqualTo(sortedBase64(expected));

    // Valid events are keyed by their trip_id; bad lines by what they carry.
    for (ConsumerRecord<byte[], byte[]> record : events) {
      Optional<BadLine> bad =
          BAD_LINES.stream().filter(b -> Arrays.equals(b.bytes(), record.value())).findFirst();
      String expectedKey =
          bad.isPresent()
              ? bad.get().key()
              : TlcData.parse(text(record.value())).get("trip_id").toString();
      assertThat(text(record.key())).as("key of %s", text(record.value())).isEqualTo(expectedKey);
    }
    assertThat(events.stream().map(ConsumerRecord::partition).distinct())
        .containsExactlyInAnyOrder(0, 1, 2, 3);

    // Within each partition, events come in pickup-time order and watermarks never run ahead of
    // them.
    Instant latestPickup =
        expected.stream()
            .map(ReplayKafkaIT::pickup)
            .flatMap(Optional::stream)
            .max(Comparator.naturalOrder())
            .orElseThrow();
    Map<Integer, List<ConsumerRecord<byte[], byte[]>>> byPartition =
        records.stream()
            .collect(
                Collectors.groupingBy(
                    ConsumerRecord::partition, TreeMap::new, Collectors.toList()));
    assertThat(byPartition).containsOnlyKeys(0, 1, 2, 3);
    for (Map.Entry<Integer, List<ConsumerRecord<byte[], byte[]>>> entry : byPartition.entrySet()) {
      int partition = entry.getKey();
      Instant position = Instant.MIN;
      int watermarks = 0;
      for (ConsumerRecord<byte[], byte[]> record : entry.getValue()) {
        if (isWatermark(record)) {
          Map<String, Object> watermark = TlcData.parse(text(record.value()));
          assertThat(watermark)
              .containsOnlyKeys("watermark", "type")
              .containsEntry("type", "watermark");
          assertThat(record.key()).isNull();
          Instant at = Instant.parse((String) watermark.get("watermark"));
          assertThat(at).as("watermark in partition %d", partition).isAfterOrEqualTo(position);
          watermarks++;
        } else {
          Optional<Instant> time = pickup(record.value());
          if (time.isPresent()) {
            assertThat(time.get())
                .as("pickup in partition %d after %s", partition, position)
                .isAfterOrEqualTo(position);
            position = time.get();
          }
        }
      }
      assertThat(watermarks).as("watermarks in partition %d", partition).isPositive();
      ConsumerRecord<byte[], byte[]> last = entry.getValue().get(entry.getValue().size() - 1);
      assertThat(text(last.value()))
          .as("the last record of partition %d", partition)
          .isEqualTo("{\"watermark\":\"" + latestPickup + "\",\"type\":\"watermark\"}");
    }
  }

  @Test
  void limitSendsOnlyTheEarliestEvents() throws IOException {
    String topic = "trips-limit";
    KAFKA.createTopic(topic, 1);

    TlcData.Run run =
        replay(
            "kafka",
            "--bootstrap-servers",
            KAFKA.bootstrapServers(),
            "--topic",
            topic,
            "--speedup",
            0,
            "--limit",
            100,
            SAMPLE);

    assertThat(run.exitCode()).as("exit code; stderr: %s", run.err()).isZero();
    // The sample is sorted by pickup time already, and equal times keep their order.
    assertThat(KAFKA.readAll(topic).stream().map(r -> text(r.value())).toList())
        .containsExactlyElementsOf(
            sampleLines().subList(0, 100).stream().map(ReplayKafkaIT::text).toList());
  }

  @Test
  void pacedReplayDeliversEverythingInOrder() throws IOException {
    String topic = "trips-paced";
    KAFKA.createTopic(topic, 1);
    Path input =
        Files.writeString(
            dir.resolve("paced.jsonl"),
            "{\"trip_id\":3,\"pickup_datetime\":\"2019-03-01T00:00:03\"}\n"
                + "{\"trip_id\":1,\"pickup_datetime\":\"2019-03-01T00:00:01\"}\n"
                + "{\"trip_id\":2,\"pickup_datetime\":\"2019-03-01T00:00:02\"}\n");

    TlcData.Run run =
        replay(
            "kafka",
            "--bootstrap-servers",
            KAFKA.bootstrapServers(),
            "--topic",
            topic,
            "--speedup",
            20,
            "--stats-every",
            "0.01",
            input);

    assertThat(run.exitCode()).as("exit code; stderr: %s", run.err()).isZero();
    assertThat(run.out()).contains("--speedup 20, largest lag behind the schedule");
    assertThat(KAFKA.readAll(topic).stream().map(r -> text(r.key())).toList())
        .containsExactly("1", "2", "3");
  }

  @Test
  void missingTopicFailsUnlessCreateTopicIsGiven() throws IOException {
    TlcData.Run run =
        replay(
            "kafka",
            "--bootstrap-servers",
            KAFKA.bootstrapServers(),
            "--topic",
            "no-such-topic",
            "--speedup",
            0,
            badLinesFile());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains(
            "replay kafka: error: topic 'no-such-topic' does not exist on "
                + KAFKA.bootstrapServers())
        .contains("--create-topic")
        .doesNotContain("\tat ");
    assertThat(KAFKA.topicExists("no-such-topic")).isFalse();
  }

  @Test
  void existingTopicKeepsItsPartitionsWhenCreateTopicAsksForOthers() throws IOException {
    String topic = "trips-existing";
    KAFKA.createTopic(topic, 2);

    TlcData.Run run =
        replay(
            "kafka",
            "--bootstrap-servers",
            KAFKA.bootstrapServers(),
            "--topic",
            topic,
            "--create-topic",
            "--partitions",
            6,
            "--speedup",
            0,
            "--watermarks",
            60,
            badLinesFile());

    assertThat(run.exitCode()).as("exit code; stderr: %s", run.err()).isZero();
    assertThat(run.err())
        .contains("topic 'trips-existing' exists with 2 partitions; --partitions 6 is not applied");
    assertThat(KAFKA.partitionCount(topic)).isEqualTo(2);
    assertThat(
            KAFKA.readAll(topic).stream()
                .filter(ReplayKafkaIT::isWatermark)
                .map(ConsumerRecord::partition))
        .containsExactlyInAnyOrder(0, 1);
  }

  private static List<String> sortedBase64(List<byte[]> values) {
    return values.stream().map(v -> Base64.getEncoder().encodeToString(v)).sorted().toList();
  }
}
