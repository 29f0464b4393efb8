package io.taxietl.transforms.io.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.taxietl.testing.Await;
import io.taxietl.testing.LocalKinesis;
import io.taxietl.transforms.LagReportingKinesisSource;
import io.taxietl.transforms.LocalKinesisSources;
import io.taxietl.transforms.metrics.EtlMetrics;
import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.beam.runners.core.metrics.MetricsContainerImpl;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.io.aws2.kinesis.KinesisRecord;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.metrics.MetricsEnvironment;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * The Kinesis lag gauges: the arithmetic, and KinesisIO's reader wrapped by {@link
 * LagReportingKinesisSource} against a real Kinesis API (kinesalite), driven record by record as a
 * runner drives it.
 */
class KinesisShardLagIT {
  @RegisterExtension static final LocalKinesis KINESIS = new LocalKinesis();
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @BeforeAll
  static void localCredentials() {
    LocalKinesis.useLocalCredentials();
  }

  @Test
  void sequenceNumbersCompareAsNumbers() {
    assertThat(KinesisShardLag.compareSequenceNumbers("9", "10")).isNegative();
    assertThat(
            KinesisShardLag.compareSequenceNumbers(
                "49590338271490256608559692538361571095921575989136588898",
                "49590338271490256608559692538361571095921575989136588899"))
        .isNegative();
    assertThat(KinesisShardLag.compareSequenceNumbers("200", "199")).isPositive();
    assertThat(KinesisShardLag.compareSequenceNumbers("42", "42")).isZero();
  }

  @Test
  void theLagIsTheAgeOfTheOldestUnreadRecordAsFarAsTheLastProbeKnows() {
    long now = 1_000_000;
    KinesisShardLag.Position at100 = new KinesisShardLag.Position("100", now - 9_000);
    KinesisShardLag.Probe behind = new KinesisShardLag.Probe("100", "105", now - 7_000, 0);
    assertThat(KinesisShardLag.behindMillis(at100, behind, now)).isEqualTo(7_000);
    assertThat(KinesisShardLag.behindMillis(at100, behind, now + 500)).isEqualTo(7_500);
    // Kinesis' own MillisBehindLatest wins when it is larger (kinesalite always says 0 for open
    // shards).
    KinesisShardLag.Probe kinesisSaysMore =
        new KinesisShardLag.Probe("100", "105", now - 7_000, 9_000);
    assertThat(KinesisShardLag.behindMillis(at100, kinesisSaysMore, now)).isEqualTo(9_000);
    // Read past what the probe saw, or no probe yet: the age of the record read last.
    KinesisShardLag.Position at105 = new KinesisShardLag.Position("105", now - 6_000);
    assertThat(KinesisShardLag.behindMillis(at105, behind, now)).isEqualTo(6_000);
    assertThat(KinesisShardLag.behindMillis(at100, null, now)).isEqualTo(9_000);
    // Nothing unread at the probe, and nothing read since: caught up, however old the last record
    // is.
    KinesisShardLag.Probe caughtUp = new KinesisShardLag.Probe("100", null, 0, 0);
    assertThat(KinesisShardLag.behindMillis(at100, caughtUp, now)).isZero();
    // A record read since that probe: its age, until the next probe.
    assertThat(KinesisShardLag.behindMillis(at105, caughtUp, now)).isEqualTo(6_000);
  }

  @Test
  void
      aReaderBehindReportsTheGrowingAgeOfItsOldestUnreadRecordPerShardThenZeroOnceCaughtUpAlsoAfterASplit()
          throws Exception {
    String stream = "lag-probe";
    KINESIS.createStream(stream, 2);
    List<String> shards = KINESIS.shards(stream).stream().map(Shard::shardId).toList();
    int total = put(stream, 400);
    PipelineOptions options = PipelineOptionsFactory.create();
    LagReportingKinesisSource<?> source =
        LocalKinesisSources.fromTrimHorizon(KINESIS, stream, options);
    List<? extends UnboundedSource<KinesisRecord, ?>> splits = source.split(1, options);
    assertThat(splits).hasSize(1);
    MetricsContainerImpl metrics = new MetricsContainerImpl("ReadRecords");
    List<String> readIds = new ArrayList<>();

    try (UnboundedSource.UnboundedReader<KinesisRecord> reader =
        splits.get(0).createReader(options, null)) {
      Await.until(
          () -> scoped(metrics, reader::start) || scoped(metrics, reader::advance),
          DEADLINE,
          "a first record");
      readIds.add(id(reader.getCurrent()));
      // One record at a time, slowly: the reader stays behind and the oldest unread record gets
      // older.
      long first =
          Await.value(
              () -> {
                if (scoped(metrics, reader::advance)) {
                  readIds.add(id(reader.getCurrent()));
                }
                long lag = gauge(metrics, EtlMetrics.KINESIS_MILLIS_BEHIND_LATEST);
                return lag >= 1_000 ? Optional.of(lag) : Optional.empty();
              },
              DEADLINE,
              "kinesis_millis_behind_latest of at least 1 s while the reader is behind");
      Await.until(
          () -> {
            if (scoped(metrics, reader::advance)) {
              readIds.add(id(reader.getCurrent()));
            }
            return gauge(metrics, EtlMetrics.KINESIS_MILLIS_BEHIND_LATEST) >= first + 2_000;
          },
          DEADLINE,
          "the lag to grow by 2 s above " + first + " ms while the reader stays behind");
      assertThat(readIds).as("records read while behind").hasSizeLessThan(total);

      readAllWithLagZero(reader, metrics, readIds, total, stream, shards);

      // A split closes the parent; the reader goes on with the children: the closed parent read to
      // its end and
      // the children once read say 0.
      KINESIS.splitShard(stream, shards.get(0));
      total += put(stream, 200);
      List<String> allShards = KINESIS.shards(stream).stream().map(Shard::shardId).toList();
      assertThat(allShards).hasSize(4);
      readAllWithLagZero(reader, metrics, readIds, total, stream, allShards);
    }
    assertThat(readIds).hasSize(total);
    assertThat(new HashSet<>(readIds)).hasSize(total);
  }

  /** Reads until {@code total} records are read and the lag gauges of all {@code shards} are 0. */
  private static void readAllWithLagZero(
      UnboundedSource.UnboundedReader<KinesisRecord> reader,
      MetricsContainerImpl metrics,
      List<String> read,
      int total,
      String stream,
      List<String> shards) {
    Await.until(
        () -> {
          while (scoped(metrics, reader::advance)) {
            read.add(id(reader.getCurrent()));
          }
          return read.size() >= total
              && gauge(metrics, EtlMetrics.KINESIS_MILLIS_BEHIND_LATEST) == 0
              && shards.stream()
                  .allMatch(
                      s ->
                          gauge(metrics, EtlMetrics.kinesisMillisBehindLatestGaugeName(stream, s))
                              == 0);
        },
        DEADLINE,
        "all "
            + total
            + " records read and the lag of each of "
            + shards
            + " back to 0 (read: "
            + read.size()
            + ")");
    // Each shard's gauge was set, not merely never written (an unset Beam gauge also reads 0).
    for (String shard : shards) {
      assertThat(
              EtlMetrics.hasLocalGauge(
                  EtlMetrics.kinesisMillisBehindLatestGaugeName(stream, shard)))
          .as("a gauge for " + shard)
          .isTrue();
    }
  }

  /**
   * Beam 2.62's Flink runner creates a reader for every split it gets and starts it only when it
   * first reads from it, but may checkpoint in between (right after a restore, a reader of each
   * restored split waits its turn). KinesisIO's own reader throws there; the wrapped one answers
   * with the mark it was created from, and a reader restored from that mark reads on from the same
   * place: nothing skipped, nothing twice.
   */
  @Test
  void aReaderCheckpointedBeforeItStartsResumesWhereItWasCreatedFrom() throws Exception {
    String stream = "not-started";
    KINESIS.createStream(stream, 2);
    int total = put(stream, 100);
    PipelineOptions options = PipelineOptionsFactory.create();
    UnboundedSource<KinesisRecord, ?> source =
        LocalKinesisSources.fromTrimHorizon(KINESIS, stream, options).split(1, options).get(0);
    List<String> firstForty = new ArrayList<>();
    byte[] atForty;
    byte[] neverStarted;
    try (UnboundedSource.UnboundedReader<KinesisRecord> fresh =
        source.createReader(options, null)) {
      neverStarted = encodedMark(source, fresh);
      assertThat(fresh.getWatermark()).isEqualTo(BoundedWindow.TIMESTAMP_MIN_VALUE);
    }
    try (UnboundedSource.UnboundedReader<KinesisRecord> reader =
        restored(source, options, neverStarted)) {
      readUpTo(reader, 40, firstForty);
      atForty = encodedMark(source, reader);
      assertThat(reader.getSplitBacklogBytes())
          .as("no backlog estimate: KinesisIO's asks CloudWatch on every metrics report")
          .isEqualTo(UnboundedSource.UnboundedReader.BACKLOG_UNKNOWN);
    }
    assertThat(firstForty)
        .as("a reader restored from a mark taken before start reads from the beginning")
        .hasSize(40);

    byte[] restoredButNotStarted;
    try (UnboundedSource.UnboundedReader<KinesisRecord> waiting =
        restored(source, options, atForty)) {
      restoredButNotStarted = encodedMark(source, waiting);
    }
    List<String> rest = new ArrayList<>();
    try (UnboundedSource.UnboundedReader<KinesisRecord> reader =
        restored(source, options, restoredButNotStarted)) {
      readUpTo(reader, total - 40, rest);
    }
    Set<String> all = new HashSet<>(firstForty);
    all.addAll(rest);
    assertThat(rest)
        .as("records after the first 40, none of them again")
        .doesNotContainAnyElementsOf(firstForty);
    assertThat(all).hasSize(total);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static byte[] encodedMark(
      UnboundedSource source, UnboundedSource.UnboundedReader<KinesisRecord> reader)
      throws Exception {
    return CoderUtils.encodeToByteArray(
        source.getCheckpointMarkCoder(), reader.getCheckpointMark());
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static UnboundedSource.UnboundedReader<KinesisRecord> restored(
      UnboundedSource source, PipelineOptions options, byte[] mark) throws Exception {
    return source.createReader(
        options,
        (UnboundedSource.CheckpointMark)
            CoderUtils.decodeFromByteArray(source.getCheckpointMarkCoder(), mark));
  }

  private static void readUpTo(
      UnboundedSource.UnboundedReader<KinesisRecord> reader, int count, List<String> ids)
      throws Exception {
    MetricsContainerImpl metrics = new MetricsContainerImpl("ReadRecords");
    boolean[] started = {false};
    Await.until(
        () -> {
          boolean available;
          if (!started[0]) {
            started[0] = true;
            available = scoped(metrics, reader::start);
          } else {
            available = scoped(metrics, reader::advance);
          }
          if (available) {
            ids.add(id(reader.getCurrent()));
          }
          return ids.size() >= count;
        },
        DEADLINE,
        count + " records");
    assertThat(ids).doesNotHaveDuplicates();
  }

  /** Puts {@code count} records spread over the stream's shards; returns how many were accepted. */
  private static int put(String stream, int count) {
    List<PutRecordsRequestEntry> entries = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      entries.add(
          PutRecordsRequestEntry.builder()
              .partitionKey("key-" + i)
              .data(SdkBytes.fromString("{\"trip_id\":" + i + "}", StandardCharsets.UTF_8))
              .build());
    }
    PutRecordsResponse response;
    try (KinesisClient kinesis = KINESIS.client()) {
      response = kinesis.putRecords(b -> b.streamName(stream).records(entries));
    }
    assertThat(response.failedRecordCount()).isZero();
    Set<String> shards = new HashSet<>();
    response.records().forEach(r -> shards.add(r.shardId()));
    assertThat(shards).as("records on more than one shard").hasSizeGreaterThan(1);
    return count;
  }

  private static String id(KinesisRecord record) {
    return record.getShardId() + "/" + record.getSequenceNumber();
  }

  private static long gauge(MetricsContainerImpl metrics, String name) {
    return metrics.getGauge(MetricName.named(EtlMetrics.NAMESPACE, name)).getCumulative().value();
  }

  /** Calls the reader as a runner does, with the step's metrics container in scope. */
  private static boolean scoped(MetricsContainerImpl metrics, Callable<Boolean> call)
      throws Exception {
    try (Closeable ignored = MetricsEnvironment.scopedMetricsContainer(metrics)) {
      return call.call();
    }
  }
}
