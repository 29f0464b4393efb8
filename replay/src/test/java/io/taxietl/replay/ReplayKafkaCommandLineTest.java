package io.taxietl.replay;

import static io.taxietl.replay.TlcData.replay;
import static org.assertj.core.api.Assertions.assertThat;

import io.taxietl.testing.ScriptedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Usage errors, help and unreachable brokers of {@code replay kafka}: nothing here needs a broker.
 */
class ReplayKafkaCommandLineTest {
  @TempDir static Path dir;

  private static Path input() {
    try {
      Path input = dir.resolve("events.jsonl");
      if (!Files.exists(input)) {
        Files.writeString(input, "{\"trip_id\":1,\"pickup_datetime\":\"2019-03-01T00:00:00\"}\n");
      }
      return input;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Stream<Arguments> badArguments() {
    String in = input().toString();
    List<String> base = List.of("--bootstrap-servers", "127.0.0.1:9092", "--topic", "trips");
    return Stream.of(
        Arguments.of(
            List.of("--topic", "trips", in), List.of("--bootstrap-servers HOST:PORT is required")),
        Arguments.of(
            List.of("--bootstrap-servers", "127.0.0.1:9092", in),
            List.of("--topic NAME is required")),
        Arguments.of(base, List.of("no INPUT file given")),
        Arguments.of(
            concat(base, "--bootstrap-servers", "localhost", in),
            List.of("--bootstrap-servers", "'localhost'")),
        Arguments.of(
            List.of("--bootstrap-servers", "a:1,b:99999", "--topic", "t", in),
            List.of("'b:99999'")),
        Arguments.of(
            List.of("--bootstrap-servers", "a:1", "--topic", "bad topic!", in),
            List.of("--topic 'bad topic!'")),
        Arguments.of(concat(base, "--speedup", "-1", in), List.of("--speedup", "'-1'")),
        Arguments.of(concat(base, "--speedup", "fast", in), List.of("--speedup", "'fast'")),
        Arguments.of(concat(base, "--speedup=NaN", in), List.of("--speedup", "'NaN'")),
        Arguments.of(concat(base, "--watermarks", "0", in), List.of("--watermarks", "'0'")),
        Arguments.of(concat(base, "--watermarks=abc", in), List.of("--watermarks", "'abc'")),
        Arguments.of(concat(base, "--max-wait", "-5", in), List.of("--max-wait", "'-5'")),
        Arguments.of(
            concat(base, "--stats-every", "0.0001", in), List.of("--stats-every", "'0.0001'")),
        Arguments.of(concat(base, "--limit", "0", in), List.of("--limit", "'0'")),
        Arguments.of(concat(base, "--limit", "1.5", in), List.of("--limit", "'1.5'")),
        Arguments.of(concat(base, "--timeout", "0", in), List.of("--timeout", "'0'")),
        Arguments.of(
            concat(base, "--partitions", "4", in),
            List.of("--partitions 4 only applies with --create-topic")),
        Arguments.of(
            concat(base, "--create-topic", "--partitions", "0", in),
            List.of("--partitions", "'0'")),
        Arguments.of(
            concat(base, "--create-topic=yes", in), List.of("--create-topic takes no value")),
        Arguments.of(
            concat(base, "--event-time-zone", "Mars/Base", in),
            List.of("--event-time-zone 'Mars/Base'")),
        Arguments.of(
            concat(base, "--producer-property", "acks", in),
            List.of("--producer-property", "'acks'")),
        Arguments.of(
            concat(base, "--producer-property", "no.such.setting=1", in),
            List.of("'no.such.setting'")),
        Arguments.of(
            concat(base, "--producer-property", "acks=maybe", in), List.of("acks", "maybe")),
        Arguments.of(
            concat(base, "--producer-property", "value.serializer=x", in),
            List.of("'value.serializer'")),
        Arguments.of(
            concat(base, "--producer-property", "bootstrap.servers=x:1", in),
            List.of("--bootstrap-servers")),
        Arguments.of(
            concat(base, "--producer-config", "no/such/file.properties", in),
            List.of("'no/such/file.properties'")),
        Arguments.of(concat(base, "--frobnicate", in), List.of("unknown option '--frobnicate'")),
        Arguments.of(concat(base, "--topic"), List.of("--topic needs a value")),
        Arguments.of(
            concat(base, "--topic", "other", in), List.of("--topic is given more than once")),
        Arguments.of(
            concat(base, "no/such/events.jsonl"), List.of("INPUT 'no/such/events.jsonl'")));
  }

  private static List<String> concat(List<String> base, String... more) {
    return Stream.concat(base.stream(), Stream.of(more)).toList();
  }

  @ParameterizedTest
  @MethodSource("badArguments")
  void badArgumentIsNamedWithItsValueAndExitsWithTwo(
      List<String> args, List<String> expectedInMessage) {
    TlcData.Run run = replay(Stream.concat(Stream.of("kafka"), args.stream()).toArray());

    assertThat(run.exitCode()).as("stderr: %s", run.err()).isEqualTo(2);
    assertThat(run.err())
        .startsWith("replay kafka: ")
        .contains(expectedInMessage)
        .contains("replay kafka --help");
    assertNoStackTrace(run);
    assertThat(run.out()).isEmpty();
  }

  @Test
  void secretsInProducerSettingsAreNeverEchoed() {
    TlcData.Run run =
        replay(
            "kafka",
            "--bootstrap-servers",
            "127.0.0.1:9092",
            "--topic",
            "t",
            "--producer-property",
            "ssl.key.password=hunter2-secret",
            "--producer-property",
            "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule "
                + "required username=\"u\" password=\"hunter2-secret\";",
            "--producer-property",
            "acks=maybe",
            input());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("acks").doesNotContain("hunter2-secret");
  }

  @Test
  void producerSettingsFromAFileAreChecked() throws IOException {
    Path config =
        Files.writeString(dir.resolve("producer.properties"), "compression.type=brotli\n");

    TlcData.Run run =
        replay(
            "kafka",
            "--bootstrap-servers",
            "127.0.0.1:9092",
            "--topic",
            "t",
            "--producer-config",
            config,
            input());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("compression.type").contains("brotli");
  }

  @Test
  void unreachableBrokerFailsWithTheServersAndTopicNamed() {
    String servers = "127.0.0.1:" + ScriptedServer.freePort();

    TlcData.Run run =
        replay(
            "kafka",
            "--bootstrap-servers",
            servers,
            "--topic",
            "trips",
            "--timeout",
            2,
            "--speedup",
            0,
            input());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains(
            "replay kafka: error: no answer from Kafka at "
                + servers
                + " within 2 s (topic 'trips')");
    assertNoStackTrace(run);
  }

  @Test
  void helpDescribesTheOptions() {
    TlcData.Run run = replay("kafka", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("Usage: replay kafka --bootstrap-servers")
        .contains(
            "--speedup N",
            "--watermarks SECONDS",
            "--create-topic",
            "--partitions N",
            "--producer-property K=V",
            "--limit N",
            "--max-wait SECONDS",
            "--event-time-zone ZONE",
            "{\"watermark\":\"<ISO instant>\",\"type\":\"watermark\"}");
    assertThat(replay("--help").out()).contains("kafka").contains("convert");
  }

  private static void assertNoStackTrace(TlcData.Run run) {
    assertThat(run.err()).doesNotContain("\tat ").doesNotContain("Exception in thread");
  }
}
