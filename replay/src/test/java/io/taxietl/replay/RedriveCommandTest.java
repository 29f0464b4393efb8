package io.taxietl.replay;

import static io.taxietl.replay.TlcData.replay;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code replay redrive} from dead-letter files to a file: what is picked, the envelopes and their
 * history, raw payloads, and usage errors. The Kafka, Kinesis and S3 ends: ReplayRedriveIT.
 */
class RedriveCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Dead letters as the pipeline writes them (docs/dead-letters.md), out of failed_at order. */
  static final String MISSING =
      "{\"stage\":\"parse\",\"reason\":\"MISSING_FIELD\",\"error_message\":\"required field"
          + " pickup_location_id is missing or null\",\"payload\":\"{\\\"trip_id\\\":7}\","
          + "\"trip_id\":7,\"source\":\"kafka\",\"topic\":\"trips\",\"partition\":1,\"offset\":12,"
          + "\"failed_at\":\"2026-12-03T10:00:02Z\"}";

  static final String DROPOFF =
      "{\"stage\":\"validate\",\"reason\":\"DROPOFF_BEFORE_PICKUP\",\"error_message\":\"x\","
          + "\"payload\":\"{\\\"trip_id\\\":8}\",\"trip_id\":8,\"source\":\"file\","
          + "\"file\":\"/in/e.jsonl\",\"line_number\":3,\"failed_at\":\"2026-12-03T10:00:01Z\"}";

  static final String NOT_UTF8 =
      "{\"stage\":\"parse\",\"reason\":\"MALFORMED_JSON\",\"error_message\":\"not UTF-8\","
          + "\"payload_base64\":\"e//+fQ==\",\"source\":\"kinesis\",\"stream\":\"s\","
          + "\"shard\":\"shardId-000000000000\",\"sequence_number\":\"4960\","
          + "\"sub_sequence_number\":0,\"failed_at\":\"2026-12-03T10:00:03Z\"}";

  static final String ELASTICSEARCH =
      "{\"stage\":\"elasticsearch\",\"reason\":\"ELASTICSEARCH_REJECTED\",\"error_message\":\"y\","
          + "\"error_class\":\"mapper_parsing_exception\",\"payload\":\"{\\\"trip_id\\\":9}\","
          + "\"trip_id\":9,\"source\":\"unknown\",\"failed_at\":\"2026-12-03T10:00:00Z\"}";

  static final String SECOND_TIME =
      "{\"stage\":\"parse\",\"reason\":\"MISSING_FIELD\",\"error_message\":\"again\","
          + "\"payload\":\"{\\\"trip_id\\\":5}\",\"trip_id\":5,\"source\":\"kafka\","
          + "\"topic\":\"trips\",\"partition\":0,\"offset\":40,"
          + "\"failed_at\":\"2026-12-03T11:00:00Z\",\"redrive_count\":1,\"previous_failures\":"
          + "[{\"stage\":\"parse\",\"reason\":\"MISSING_FIELD\",\"error_message\":\"first\","
          + "\"failed_at\":\"2026-12-03T09:00:00Z\",\"origin\":{\"source\":\"kafka\","
          + "\"topic\":\"trips\",\"partition\":0,\"offset\":3}}]}";

  @TempDir Path dir;

  private Path deadLetters() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("dead-letters"));
    Files.writeString(folder.resolve("dead-letters-a.jsonl"), MISSING + "\n" + DROPOFF + "\n");
    Files.writeString(
        folder.resolve("dead-letters-b.jsonl"),
        NOT_UTF8 + "\r\n" + ELASTICSEARCH + "\n\nnot a record\n" + SECOND_TIME + "\n");
    // A staging folder's files are not published yet: never read.
    Path staging = Files.createDirectories(folder.resolve(".staging"));
    Files.writeString(staging.resolve("dead-letters-c.jsonl"), MISSING + "\n");
    Files.writeString(folder.resolve("notes.txt"), MISSING + "\n");
    return folder;
  }

  @Test
  void everyParseAndValidateDeadLetterGoesBackInAnEnvelopeInTheOrderTheyFailed()
      throws IOException {
    Path target = dir.resolve("out/redrive.jsonl");
    TlcData.Run run = replay("redrive", deadLetters(), "--to-file", target);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("replay redrive: read 5 dead letters from " + dir.resolve("dead-letters"))
        .contains("skipped 1 lines that are not dead-letter records (first: ")
        .contains("dead-letters-b.jsonl line 4: not JSON)")
        .contains(
            "picked 4: DROPOFF_BEFORE_PICKUP 1, MALFORMED_JSON 1, MISSING_FIELD 2; not picked 1")
        .contains("sent 4 to file " + target + " (in redrive envelopes, with their history)");
    List<JsonNode> sent = lines(target);
    assertThat(sent).hasSize(4);
    assertThat(sent.stream().map(e -> e.path("redrive").path("previous_failures")))
        .extracting(failures -> failures.get(failures.size() - 1).path("failed_at").asText())
        .containsExactly(
            "2026-12-03T10:00:01Z",
            "2026-12-03T10:00:02Z",
            "2026-12-03T10:00:03Z",
            "2026-12-03T11:00:00Z");

    JsonNode dropoff = sent.get(0);
    assertThat(dropoff.fieldNames().next())
        .as("the envelope starts with redrive")
        .isEqualTo("redrive");
    assertThat(dropoff.path("payload").asText()).isEqualTo("{\"trip_id\":8}");
    assertThat(dropoff.path("redrive").path("count").asInt()).isEqualTo(1);
    assertThat(dropoff.path("redrive").path("previous_failures").toString())
        .isEqualTo(
            "[{\"stage\":\"validate\",\"reason\":\"DROPOFF_BEFORE_PICKUP\",\"error_message\":\"x\","
                + "\"failed_at\":\"2026-12-03T10:00:01Z\",\"origin\":{\"source\":\"file\","
                + "\"file\":\"/in/e.jsonl\",\"line_number\":3}}]");

    JsonNode notUtf8 = sent.get(2);
    assertThat(notUtf8.has("payload")).isFalse();
    assertThat(notUtf8.path("payload_base64").asText()).isEqualTo("e//+fQ==");
    assertThat(notUtf8.path("redrive").path("previous_failures").get(0).path("origin").toString())
        .isEqualTo(
            "{\"source\":\"kinesis\",\"stream\":\"s\",\"shard\":\"shardId-000000000000\","
                + "\"sequence_number\":\"4960\",\"sub_sequence_number\":0}");

    JsonNode secondTime = sent.get(3);
    assertThat(secondTime.path("redrive").path("count").asInt()).isEqualTo(2);
    assertThat(secondTime.path("redrive").path("previous_failures"))
        .extracting(failure -> failure.path("error_message").asText())
        .containsExactly("first", "again");
  }

  @Test
  void reasonsAndTimesPickAndRawSendsThePayloadsAsTheyWere() throws IOException {
    Path target = dir.resolve("raw.jsonl");
    TlcData.Run run =
        replay(
            "redrive",
            deadLetters(),
            "--reason",
            "MISSING_FIELD,ELASTICSEARCH_REJECTED",
            "--since",
            "2026-12-03T10:00:00Z",
            "--until",
            "2026-12-03T11:00:00Z",
            "--raw",
            "--to-file",
            target);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("picked 2: ELASTICSEARCH_REJECTED 1, MISSING_FIELD 1; not picked 3");
    assertThat(Files.readAllLines(target, UTF_8))
        .containsExactly("{\"trip_id\":9}", "{\"trip_id\":7}");
  }

  @Test
  void aDryRunCountsAndSendsNothing() throws IOException {
    Path target = dir.resolve("none.jsonl");
    TlcData.Run run =
        replay(
            "redrive",
            deadLetters(),
            "--reason",
            "NEGATIVE_DISTANCE",
            "--dry-run",
            "--to-file",
            target);
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("picked 0; not picked 5")
        .contains("--dry-run: nothing sent to file");
    assertThat(target).doesNotExist();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--to-file x.jsonl | give a SOURCE (dead-letter folder, file or s3:// prefix) or --from-topic NAME",
        "DIR | give a target: --to-topic NAME, --to-stream NAME or --to-file PATH",
        "DIR --to-file a --to-stream s | give one target: --to-topic, --to-stream or --to-file",
        "DIR --to-topic t | --to-topic needs --bootstrap-servers",
        "DIR --to-file a --reason missing | --reason 'missing': expected reason codes such as MISSING_FIELD",
        "DIR --to-file a --since yesterday | --since 'yesterday' is not an ISO-8601 instant",
        "DIR --to-file a --since 2026-12-02T00:00:00Z --until 2026-12-01T00:00:00Z | is not before --until",
        "DIR --to-file a --endpoint http://127.0.0.1:4567 | --endpoint only applies with --to-stream",
        "DIR --to-file a --s3-path-style | only apply with s3:// SOURCEs",
        "--from-topic d --to-file a | --from-topic needs --from-bootstrap-servers",
        "DIR --from-topic d --to-file a | give either SOURCEs or --from-topic, not both",
        "DIR --to-file a --producer-property acks=all | only apply with --to-topic",
        "DIR --to-topic t --bootstrap-servers localhost | --bootstrap-servers 'localhost'",
      })
  void usageErrorsNameTheOptionAndSendNothing(String args, String message) throws IOException {
    Path folder = deadLetters();
    List<String> all = new ArrayList<>(List.of("redrive"));
    for (String arg : args.trim().split(" +")) {
      all.add(arg.equals("DIR") ? folder.toString() : arg);
    }
    TlcData.Run run = replay(all.toArray());
    assertThat(run.exitCode()).isEqualTo(Replay.EXIT_USAGE);
    assertThat(run.err()).contains("replay redrive: ").contains(message.trim());
    assertThat(run.out()).isEmpty();
  }

  @Test
  void aMissingSourceFailsWithExitOne() {
    TlcData.Run run =
        replay("redrive", dir.resolve("nothing"), "--to-file", dir.resolve("x.jsonl"));
    assertThat(run.exitCode()).isEqualTo(Replay.EXIT_FAILURE);
    assertThat(run.err()).contains("replay redrive: error: ").contains("nothing");
  }

  private static List<JsonNode> lines(Path file) throws IOException {
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : Files.readAllLines(file, UTF_8)) {
      nodes.add(JSON.readTree(line));
    }
    return nodes;
  }
}
