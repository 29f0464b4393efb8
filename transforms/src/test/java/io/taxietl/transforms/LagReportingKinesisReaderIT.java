package io.taxietl.transforms;

import static org.assertj.core.api.Assertions.assertThat;

import io.taxietl.testing.Await;
import io.taxietl.testing.LocalKinesis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.io.aws2.kinesis.KinesisRecord;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The wrapped KinesisIO reader against kinesalite: it reaches KinesisIO's record buffer (so its
 * {@code advance()} never waits on an empty shard, which held up every other split of a Flink task
 * for a second per turn), answers false once the shard is read to its end, and returns records put
 * later, each once.
 */
class LagReportingKinesisReaderIT {
  @RegisterExtension static final LocalKinesis KINESIS = new LocalKinesis();
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @BeforeAll
  static void localCredentials() {
    LocalKinesis.useLocalCredentials();
  }

  @Test
  void aStartedReaderAnswersFromKinesisIosBufferAndReadsRecordsPutLater() throws Exception {
    String stream = "buffered";
    KINESIS.createStream(stream, 1);
    put(stream, 0, 20);
    PipelineOptions options = PipelineOptionsFactory.create();
    UnboundedSource<KinesisRecord, ?> source =
        LocalKinesisSources.fromTrimHorizon(KINESIS, stream, options).split(1, options).get(0);

    try (LagReportingKinesisReader<?> reader =
        (LagReportingKinesisReader<?>) source.createReader(options, null)) {
      assertThat(reader.mayWaitForRecords()).as("before start").isTrue();
      List<String> payloads = new ArrayList<>();
      if (reader.start()) {
        payloads.add(payload(reader.getCurrent()));
      }
      assertThat(reader.mayWaitForRecords())
          .as("KinesisIO's record buffer is reachable (else advance() waits up to a second)")
          .isFalse();
      readUntil(reader, payloads, 20);
      assertThat(reader.advance()).as("nothing buffered after the shard's last record").isFalse();

      put(stream, 20, 5);
      readUntil(reader, payloads, 25);
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 25; i++) {
        expected.add("record-" + i);
      }
      assertThat(payloads).containsExactlyElementsOf(expected);
    }
  }

  private static void readUntil(
      UnboundedSource.UnboundedReader<KinesisRecord> reader, List<String> payloads, int count) {
    Await.until(
        () -> {
          while (payloads.size() < count && reader.advance()) {
            payloads.add(payload(reader.getCurrent()));
          }
          return payloads.size() >= count;
        },
        DEADLINE,
        count + " records read");
  }

  private static void put(String stream, int first, int count) {
    try (KinesisClient kinesis = KINESIS.client()) {
      for (int i = first; i < first + count; i++) {
        String data = "record-" + i;
        kinesis.putRecord(
            b ->
                b.streamName(stream)
                    .partitionKey("key")
                    .data(SdkBytes.fromString(data, StandardCharsets.UTF_8)));
      }
    }
  }

  private static String payload(KinesisRecord record) {
    return new String(record.getDataAsBytes(), StandardCharsets.UTF_8);
  }
}
