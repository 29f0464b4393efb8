package io.taxietl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.taxietl.avro.RawEvent;
import io.taxietl.testing.Await;
import io.taxietl.testing.LocalKinesis;
import io.taxietl.testing.LocalS3;
import io.taxietl.testing.PrometheusScrape;
import io.taxietl.testing.ScriptedServer;
import io.taxietl.transforms.metrics.EtlMetrics;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * Kinesis in, Parquet and dead letters on S3 out, on embedded Flink against real API servers
 * started by the project's scripts (kinesalite for Kinesis, S3Mock for S3): events go in through
 * {@code replay kinesis}, the pipeline reads with KinesisIO from {@code TRIM_HORIZON} and writes
 * through Beam's {@code s3://} file system, and the output is downloaded and read with DuckDB and
 * Jackson, independent of the pipeline.
 */
class KinesisToS3EndToEndIT {
  @RegisterExtension static final LocalKinesis KINESIS = new LocalKinesis();
  @RegisterExtension static final LocalS3 S3 = new LocalS3();

  /**
   * Generous: the machine's two cores are shared with other builds; the checks are on counts, not
   * times.
   */
  private static final Duration DEADLINE = Duration.ofMinutes(8);

  private static final String BUCKET = "etl";

  /**
   * For the tests that check trip ids only: year/month folders and 5 s windows, so that a window's
   * files are a handful of S3 objects instead of one per pickup location.
   */
  private static final List<String> FEW_PARTITIONS =
      List.of(
          "--windowSizeSeconds=5",
          "--partitionTemplate=year={pickup_year:%04d}/month={pickup_month:%02d}");

  @TempDir Path work;

  @BeforeAll
  static void localCredentials() {
    LocalKinesis.useLocalCredentials();
    S3.createBucket(BUCKET);
  }

  @AfterEach
  void disarm() {
    FailOnce.reset();
  }

  @Test
  void tripsFromAFourShardStreamBecomeParquetOnS3AndEveryBadEventADeadLetter() throws Exception {
    String stream = "trips-e2e";
    KINESIS.createStream(stream, 4);
    List<TestEvents.Event> text =
        TestEvents.mix(TestEvents.realTrips(work), TestEvents.badTextEvents("kinesis"));
    List<TestEvents.Event> poison = TestEvents.poison(300, 7);
    replay(stream, text, "random");
    putRaw(stream, poison);
    List<TestEvents.Event> aggregated = aggregatedEvents();
    putAggregated(stream, aggregated);

    List<TestEvents.Event> all = new ArrayList<>(text);
    all.addAll(aggregated);
    Expected expected = Expected.of(all);
    poison.forEach(
        p ->
            expected.rejections.put(
                Base64.getEncoder().encodeToString(p.payload()), p.expectedReason()));
    assertThat(expected.trips).hasSizeGreaterThan(6_000);

    String prefix = "e2e";
    int events = text.size() + poison.size() + aggregated.size();
    String metrics = "http://127.0.0.1:" + ScriptedServer.freePort() + "/metrics";
    // One file per partition folder and window: 30 s windows keep the number of S3 objects (each
    // published by a
    // copy and a delete) near the number of partitions.
    Output output =
        runUntilComplete(
            stream,
            prefix,
            expected,
            UnaryOperator.identity(),
            trips -> assertEveryShardCaughtUp(metrics, stream, events),
            List.of(
                "--windowSizeSeconds=30",
                "--metricsPrometheusPort=" + URI.create(metrics).getPort()));

    List<TripOutput.Row> rows = output.rows();
    assertThat(rows).hasSize(expected.trips.size());
    assertThat(TripOutput.countByTripId(rows).keySet()).isEqualTo(expected.trips.keySet());
    TripOutput.assertRowsInTheirOwnPartitions(rows);
    assertThat(rows).anySatisfy(row -> assertThat(row.year()).isEqualTo("2008"));
    TripOutput.assertOnlyParquetFiles(output.trips);
    assertThat(S3.keys(BUCKET, prefix + "/trips/"))
        .allSatisfy(key -> assertThat(key).endsWith(".parquet"));

    List<JsonNode> deadLetters = output.deadLetters();
    assertThat(byPayload(deadLetters)).isEqualTo(expected.rejections);
    Set<String> shardIds =
        KINESIS.shards(stream).stream().map(Shard::shardId).collect(Collectors.toSet());
    assertThat(deadLetters)
        .allSatisfy(
            d -> {
              assertThat(d.get("source").asText()).isEqualTo("kinesis");
              assertThat(d.get("stream").asText()).isEqualTo(stream);
              assertThat(shardIds).contains(d.get("shard").asText());
              assertThat(d.get("sequence_number").asText()).matches("[0-9]+");
            });
    assertThat(deadLetters)
        .as("every Kinesis dead letter names its sub-sequence number")
        .allSatisfy(d -> assertThat(d.has("sub_sequence_number")).as("%s", d).isTrue());
    Set<String> coordinates =
        deadLetters.stream()
            .map(
                d ->
                    d.get("shard").asText()
                        + "/"
                        + d.get("sequence_number").asText()
                        + "/"
                        + d.get("sub_sequence_number").asLong())
            .collect(Collectors.toSet());
    assertThat(coordinates).hasSize(deadLetters.size());
    List<JsonNode> fromAggregate =
        deadLetters.stream()
            .filter(d -> d.path("payload").asText().startsWith("aggregated "))
            .toList();
    assertThat(fromAggregate).as("user records of one KPL-aggregated record").hasSize(2);
    assertThat(fromAggregate.stream().map(d -> d.get("sequence_number").asText()).distinct())
        .hasSize(1);
    assertThat(fromAggregate.stream().map(d -> d.get("sub_sequence_number").asLong()))
        .containsExactlyInAnyOrder(1L, 3L);
    assertThat(deadLetters.stream().map(d -> d.get("shard").asText()).distinct().count())
        .as("dead letters come from every shard (random partition keys)")
        .isEqualTo(4);
  }

  /**
   * Once every event is read, the Prometheus endpoint shows a {@code kinesis_millis_behind_latest}
   * gauge for each of the stream's shards, all 0 (KinesisShardLagIT shows them rise while a reader
   * is behind).
   */
  private static void assertEveryShardCaughtUp(String metrics, String stream, int events) {
    String perShard =
        PrometheusScrape.pipelineMetric(
            EtlMetrics.KINESIS_MILLIS_BEHIND_LATEST_PREFIX + stream + ".");
    Map<String, Double> lags =
        Await.value(
            () -> {
              PrometheusScrape scrape = PrometheusScrape.of(metrics);
              Map<String, Double> byShard = scrape.sumsByName(perShard);
              return scrape.sum(PrometheusScrape.pipelineMetric(EtlMetrics.EVENTS_READ)) == events
                      && byShard.size() == 4
                      && byShard.values().stream().allMatch(lag -> lag == 0)
                  ? Optional.of(byShard)
                  : Optional.empty();
            },
            DEADLINE,
            "all "
                + events
                + " events read and a kinesis_millis_behind_latest of 0 for each of the 4 shards");
    Set<String> expected =
        KINESIS.shards(stream).stream()
            .map(s -> EtlMetrics.kinesisMillisBehindLatestGaugeName(stream, s.shardId()))
            .map(PrometheusScrape::pipelineMetric)
            .collect(Collectors.toSet());
    assertThat(lags.keySet()).isEqualTo(expected);
  }

  @Test
  void splittingShardsMidRunLosesAndDuplicatesNothing() throws Exception {
    String stream = "trips-reshard";
    KINESIS.createStream(stream, 2);
    List<TestEvents.Event> events =
        TestEvents.mix(
            TestEvents.realTrips(work).subList(0, 6000), TestEvents.badTextEvents("reshard"));
    List<TestEvents.Event> firstHalf = events.subList(0, events.size() / 2);
    List<TestEvents.Event> secondHalf = events.subList(events.size() / 2, events.size());
    Expected expected = Expected.of(events);
    Expected expectedFirst = Expected.of(firstHalf);
    replay(stream, firstHalf, "random");

    List<String> parents = KINESIS.openShards(stream).stream().map(Shard::shardId).toList();
    Output output =
        runUntilComplete(
            stream,
            "reshard",
            expected,
            UnaryOperator.identity(),
            trips -> {
              Await.until(
                  () -> trips.get().size() >= expectedFirst.trips.size(),
                  DEADLINE,
                  "the first half's trips on S3");
              parents.forEach(shard -> KINESIS.splitShard(stream, shard));
              assertThat(KINESIS.openShards(stream)).hasSize(4);
              replay(stream, secondHalf, "random");
            },
            FEW_PARTITIONS);

    Map<Long, Integer> counts = TripOutput.countTripIds(output.tripIds());
    assertThat(counts.keySet()).as("trips on S3").isEqualTo(expected.trips.keySet());
    assertThat(counts.values()).as("copies of each trip").containsOnly(1);
    assertThat(byPayload(output.deadLetters())).isEqualTo(expected.rejections);
    Set<String> childShards =
        KINESIS.shards(stream).stream()
            .filter(s -> s.parentShardId() != null)
            .map(Shard::shardId)
            .collect(Collectors.toSet());
    assertThat(childShards).hasSize(4);
    assertThat(output.deadLetters())
        .as("the second half's dead letters were read from the child shards")
        .anySatisfy(d -> assertThat(childShards).contains(d.get("shard").asText()));
  }

  @Test
  void aFailureMidStreamRestoresTheShardPositionsAndLosesAndDuplicatesNothing() throws Exception {
    String stream = "trips-restart";
    KINESIS.createStream(stream, 4);
    List<TestEvents.Event> events =
        TestEvents.mix(
            TestEvents.realTrips(work).subList(0, 6000), TestEvents.badTextEvents("restart"));
    List<TestEvents.Event> firstHalf = events.subList(0, events.size() / 2);
    List<TestEvents.Event> secondHalf = events.subList(events.size() / 2, events.size());
    Expected expected = Expected.of(events);
    Expected expectedFirst = Expected.of(firstHalf);
    replay(stream, firstHalf, "trip_id");

    Output output =
        runUntilComplete(
            stream,
            "restart",
            expected,
            source -> new FailOnce(source, 500),
            trips -> {
              Await.until(
                  () -> trips.get().size() >= expectedFirst.trips.size(),
                  DEADLINE,
                  "the first half's trips on S3");
              FailOnce.ARMED.set(true);
              replay(stream, secondHalf, "trip_id");
              Await.until(FailOnce.FAILED::get, DEADLINE, "the injected failure");
            },
            FEW_PARTITIONS);

    Map<Long, Integer> counts = TripOutput.countTripIds(output.tripIds());
    assertThat(counts.keySet())
        .as("trips on S3 after the restart")
        .isEqualTo(expected.trips.keySet());
    Set<Long> duplicated =
        counts.entrySet().stream()
            .filter(e -> e.getValue() > 1)
            .map(Map.Entry::getKey)
            .collect(Collectors.toSet());
    assertThat(duplicated).as("trips written twice").isEmpty();
    assertThat(byPayload(output.deadLetters())).isEqualTo(expected.rejections);
  }

  /** What a run must produce: trip ids, and dead-letter payloads with their reasons. */
  private record Expected(Map<Long, TestEvents.Event> trips, Map<String, String> rejections) {
    static Expected of(List<TestEvents.Event> events) throws IOException {
      Expected expected = new Expected(new HashMap<>(), new HashMap<>());
      for (TestEvents.Event event : events) {
        if (event.text().contains("\"watermark\"")) {
          continue;
        }
        if (event.expectedReason() == null) {
          expected.trips.put(
              TripOutput.JSON.readTree(event.payload()).get("trip_id").asLong(), event);
        } else {
          expected.rejections.put(event.text(), event.expectedReason());
        }
      }
      return expected;
    }
  }

  /** The downloaded output of a run. */
  private record Output(Path trips, Path deadLettersFolder) {
    List<TripOutput.Row> rows() {
      return TripOutput.rows(trips);
    }

    List<Long> tripIds() {
      return TripOutput.tripIds(trips);
    }

    List<JsonNode> deadLetters() {
      return TripOutput.deadLetters(deadLettersFolder);
    }
  }

  /** Something to do while the job runs, given a probe of the trips published so far. */
  private interface DuringRun {
    void run(RowsProbe trips) throws Exception;
  }

  private interface RowsProbe {
    List<Long> get();
  }

  /**
   * Runs the pipeline from TRIM_HORIZON to {@code s3://etl/PREFIX/...}, does {@code during} while
   * it runs, then waits until every expected trip and dead letter is published, downloads the
   * output and cancels the job.
   */
  private Output runUntilComplete(
      String stream,
      String prefix,
      Expected expected,
      UnaryOperator<PTransform<PBegin, PCollection<RawEvent>>> wrapSource,
      DuringRun during,
      List<String> extraArgs)
      throws Exception {
    S3Mirror trips = new S3Mirror(prefix + "/trips/", work.resolve(prefix + "/trips"));
    S3Mirror deadLetters =
        new S3Mirror(prefix + "/dead-letters/", work.resolve(prefix + "/dead-letters"));
    long start = System.nanoTime();
    List<String> args =
        new ArrayList<>(
            List.of(
                "--source=KINESIS",
                "--inputKinesisStream=" + stream,
                "--inputStreamRegion=" + LocalKinesis.REGION,
                "--kinesisEndpoint=" + KINESIS.endpoint(),
                "--inputStreamInitialPosition=TRIM_HORIZON",
                "--getRecordsIntervalMillis=200",
                "--outputPath=s3://" + BUCKET + "/" + prefix + "/trips",
                "--deadLetterPath=s3://" + BUCKET + "/" + prefix + "/dead-letters",
                "--s3Endpoint=" + S3.endpoint(),
                "--s3PathStyleAccess=true",
                "--checkpointingInterval=2000"));
    args.addAll(extraArgs);
    try (PipelineRun run = PipelineRun.start(args, wrapSource)) {
      if (during != null) {
        during.run(trips::tripIds);
      }
      Await.value(
          () -> {
            int rows = trips.tripIds().size();
            int rejected = deadLetters.deadLetters().size();
            if (rows >= expected.trips.size() && rejected >= expected.rejections.size()) {
              return Optional.of(true);
            }
            throw new IllegalStateException(
                rows
                    + " of "
                    + expected.trips.size()
                    + " trips and "
                    + rejected
                    + " of "
                    + expected.rejections.size()
                    + " dead letters published, in "
                    + trips.files()
                    + " + "
                    + deadLetters.files()
                    + " files");
          },
          DEADLINE,
          "all trips and dead letters published to S3 (state " + run.state() + ")");
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "%s: %d trips and %d dead letters published to S3 in %d + %d files, %.1f s after the job was submitted "
            + "(%.0f events/s, job start included)%n",
        prefix,
        expected.trips.size(),
        expected.rejections.size(),
        trips.files(),
        deadLetters.files(),
        seconds,
        (expected.trips.size() + expected.rejections.size()) / seconds);
    trips.sync();
    deadLetters.sync();
    return new Output(trips.folder, deadLetters.folder);
  }

  /**
   * A local copy of the objects below a prefix, fetched incrementally: published files are final
   * (the contract), so each object is downloaded once, and the copy is read again only when
   * something new arrived.
   */
  private static final class S3Mirror {
    private final String prefix;
    private final Path folder;
    private final Set<String> downloaded = new HashSet<>();
    private List<Long> tripIds = List.of();
    private List<JsonNode> deadLetters = List.of();
    private boolean stale = true;

    S3Mirror(String prefix, Path folder) {
      this.prefix = prefix;
      this.folder = folder;
    }

    /** Downloads the objects not downloaded yet. */
    void sync() {
      for (String key : S3.listKeys(BUCKET, prefix)) {
        if (downloaded.add(key)) {
          S3.downloadObject(BUCKET, key, folder.resolve(key.substring(prefix.length())));
          stale = true;
        }
      }
    }

    int files() {
      return downloaded.size();
    }

    List<Long> tripIds() {
      sync();
      if (stale) {
        tripIds = TripOutput.tripIds(folder);
        stale = false;
      }
      return tripIds;
    }

    List<JsonNode> deadLetters() {
      sync();
      if (stale) {
        deadLetters = TripOutput.deadLetters(folder);
        stale = false;
      }
      return deadLetters;
    }
  }

  /** Replays the text events through {@code replay kinesis}, as fast as possible, one per line. */
  private void replay(String stream, List<TestEvents.Event> events, String partitionKeys) {
    TestEvents.runReplayTool(
        "kinesis",
        "--endpoint",
        KINESIS.endpoint(),
        "--region",
        LocalKinesis.REGION,
        "--stream",
        stream,
        "--partition-key",
        partitionKeys,
        "--speedup",
        "0",
        TestEvents.writeLines(work, stream, events).toString());
  }

  /**
   * Two valid trips and two malformed lines, in this order alternating, as the user records of one
   * record in the Kinesis Producer Library's aggregated format.
   */
  private static List<TestEvents.Event> aggregatedEvents() {
    List<TestEvents.Event> events = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      String trip =
          "{\"trip_id\":99000000"
              + i
              + ",\"type\":\"yellow\",\"pickup_datetime\":\"2019-08-01T00:00:00\","
              + "\"dropoff_datetime\":\"2019-08-01T00:10:00\",\"pickup_location_id\":1,\"dropoff_location_id\":2}";
      events.add(new TestEvents.Event(trip.getBytes(StandardCharsets.UTF_8), null));
      events.add(
          new TestEvents.Event(
              ("aggregated " + i + " is not json").getBytes(StandardCharsets.UTF_8),
              "MALFORMED_JSON"));
    }
    return events;
  }

  /**
   * Puts {@code events} into the stream as one KPL-aggregated record: the magic bytes, an {@code
   * AggregatedRecord} protobuf message (one partition key, one {@code Record} per event) and its
   * MD5.
   */
  private static void putAggregated(String stream, List<TestEvents.Event> events) throws Exception {
    java.io.ByteArrayOutputStream message = new java.io.ByteArrayOutputStream();
    writeBytesField(message, 1, "aggregate".getBytes(StandardCharsets.UTF_8));
    for (TestEvents.Event event : events) {
      java.io.ByteArrayOutputStream record = new java.io.ByteArrayOutputStream();
      record.write((1 << 3)); // partition_key_index, varint
      record.write(0);
      writeBytesField(record, 3, event.payload());
      writeBytesField(message, 3, record.toByteArray());
    }
    byte[] body = message.toByteArray();
    java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
    data.write(new byte[] {(byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2});
    data.write(body);
    data.write(java.security.MessageDigest.getInstance("MD5").digest(body));
    try (KinesisClient client = KINESIS.client()) {
      client.putRecord(
          b ->
              b.streamName(stream)
                  .partitionKey("aggregate")
                  .data(SdkBytes.fromByteArray(data.toByteArray())));
    }
  }

  /** A length-delimited protobuf field. */
  private static void writeBytesField(java.io.ByteArrayOutputStream out, int field, byte[] bytes) {
    writeVarint(out, (field << 3) | 2);
    writeVarint(out, bytes.length);
    out.write(bytes, 0, bytes.length);
  }

  private static void writeVarint(java.io.ByteArrayOutputStream out, long value) {
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }

  /** Puts raw payloads straight into the stream (for binary poison that has no line form). */
  private static void putRaw(String stream, List<TestEvents.Event> events) {
    try (KinesisClient client = KINESIS.client()) {
      for (int from = 0; from < events.size(); from += 500) {
        List<PutRecordsRequestEntry> batch = new ArrayList<>();
        for (TestEvents.Event event : events.subList(from, Math.min(events.size(), from + 500))) {
          batch.add(
              PutRecordsRequestEntry.builder()
                  .partitionKey(Integer.toString(batch.size() + from))
                  .data(SdkBytes.fromByteArray(event.payload()))
                  .build());
        }
        PutRecordsResponse response = client.putRecords(b -> b.streamName(stream).records(batch));
        assertThat(response.failedRecordCount()).isZero();
      }
    }
  }

  /** Dead letters as original payload (text, or base64 of the bytes) -> reason. */
  private static Map<String, String> byPayload(List<JsonNode> deadLetters) {
    Map<String, String> byPayload = new HashMap<>();
    for (JsonNode d : deadLetters) {
      String payload =
          d.has("payload") ? d.get("payload").asText() : d.get("payload_base64").asText();
      assertThat(byPayload.put(payload, d.get("reason").asText()))
          .as("dead letter twice: %s", d)
          .isNull();
    }
    return byPayload;
  }
}
