package io.taxietl.transforms.io.kinesis;

import io.taxietl.avro.EventSource;
import io.taxietl.avro.RawEvent;
import io.taxietl.transforms.LagReportingKinesisSource;
import io.taxietl.transforms.event.EventOrigins;
import io.taxietl.transforms.event.EventSize;
import io.taxietl.transforms.metrics.EtlMetrics;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.io.aws2.common.ClientConfiguration;
import org.apache.beam.sdk.io.aws2.kinesis.KinesisIO;
import org.apache.beam.sdk.io.aws2.kinesis.KinesisRecord;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;
import software.amazon.awssdk.regions.Region;
import software.amazon.kinesis.common.InitialPositionInStream;

/**
 * Reads events from an Amazon Kinesis data stream with Beam's {@link KinesisIO} (AWS SDK v2, the
 * polling reader: GetRecords on every open shard, one call per shard every {@link
 * #withGetRecordsInterval interval}). Shards that close (a split or merge) are read to their end
 * and their children after them. Records that the Kinesis Producer Library aggregated are
 * de-aggregated by KinesisIO: each user record becomes one event. Credentials come from the AWS
 * SDK's default provider chain.
 *
 * <pre>{@code
 * PCollection<RawEvent> events =
 *     pipeline.apply(
 *         "ReadEvents",
 *         ReadKinesisEvents.from("taxi-trips")
 *             .withRegion("eu-west-1")
 *             .withStartingPosition(KinesisStartingPosition.TRIM_HORIZON));
 * }</pre>
 *
 * <p>Output: one {@link RawEvent} per user record, its data as the payload, and stream, shard id,
 * sequence number and sub-sequence number (the position inside an aggregated record) as
 * coordinates, timestamped with the time it was read (processing time, as the Kafka source does;
 * the watermark follows the clock, so windows close on time even when the stream is idle, and a
 * backlog read from {@code TRIM_HORIZON} is never late). Delivery: exactly once into the pipeline
 * on runners that checkpoint: the shard positions are part of the source's checkpoint, and Flink
 * restores those of the last completed checkpoint.
 *
 * <p>Metrics: {@code events_read}, {@code events_read.kinesis}, {@code arrival_lag_millis} (now
 * minus the record's approximate arrival time in the stream), {@code arrival_lag_max_millis}, and
 * the lag gauges of {@link KinesisShardLag}, reported by the source's readers: {@code
 * kinesis_millis_behind_latest.<stream>.<shard>} and {@code kinesis_millis_behind_latest}.
 */
public final class ReadKinesisEvents extends PTransform<PBegin, PCollection<RawEvent>> {
  private static final String SOURCE_KIND = "kinesis";

  /** The default pause between GetRecords calls on a shard, as the original sample's. */
  public static final Duration DEFAULT_GET_RECORDS_INTERVAL = Duration.ofSeconds(1);

  private final String streamName;
  private final @Nullable String region;
  private final @Nullable URI endpoint;
  private final KinesisStartingPosition startingPosition;
  private final Duration getRecordsInterval;

  private ReadKinesisEvents(
      String streamName,
      @Nullable String region,
      @Nullable URI endpoint,
      KinesisStartingPosition startingPosition,
      Duration getRecordsInterval) {
    this.streamName = streamName;
    this.region = region;
    this.endpoint = endpoint;
    this.startingPosition = startingPosition;
    this.getRecordsInterval = getRecordsInterval;
  }

  /** Reads the stream {@code streamName}, from {@code LATEST}, in the SDK's default region. */
  public static ReadKinesisEvents from(String streamName) {
    if (streamName == null || streamName.isBlank()) {
      throw new IllegalArgumentException("streamName can not be null or blank");
    }
    return new ReadKinesisEvents(
        streamName, null, null, KinesisStartingPosition.LATEST, DEFAULT_GET_RECORDS_INTERVAL);
  }

  /**
   * The stream's AWS region id, e.g. {@code eu-west-1}; null for the SDK's region provider chain.
   */
  public ReadKinesisEvents withRegion(@Nullable String region) {
    if (region != null && region.isBlank()) {
      throw new IllegalArgumentException("region can not be blank");
    }
    return new ReadKinesisEvents(
        streamName, region, endpoint, startingPosition, getRecordsInterval);
  }

  /** A non-AWS or private Kinesis endpoint; null for the region's AWS endpoint. */
  public ReadKinesisEvents withEndpoint(@Nullable URI endpoint) {
    if (endpoint != null && (endpoint.getScheme() == null || endpoint.getHost() == null)) {
      throw new IllegalArgumentException(
          "endpoint must be an absolute URL such as http://127.0.0.1:4567, got " + endpoint);
    }
    return new ReadKinesisEvents(
        streamName, region, endpoint, startingPosition, getRecordsInterval);
  }

  /** Where a new job starts in each shard. Default: {@code LATEST}. */
  public ReadKinesisEvents withStartingPosition(KinesisStartingPosition position) {
    return new ReadKinesisEvents(
        streamName,
        region,
        endpoint,
        Objects.requireNonNull(position, "position"),
        getRecordsInterval);
  }

  /** The pause between two GetRecords calls on one shard; positive. Default: 1 s. */
  public ReadKinesisEvents withGetRecordsInterval(Duration interval) {
    if (interval == null || interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("getRecordsInterval must be positive, got " + interval);
    }
    return new ReadKinesisEvents(streamName, region, endpoint, startingPosition, interval);
  }

  @Override
  public PCollection<RawEvent> expand(PBegin input) {
    ClientConfiguration.Builder client = ClientConfiguration.builder();
    if (region != null) {
      client.region(Region.of(region));
    }
    if (endpoint != null) {
      client.endpoint(endpoint);
    }
    ClientConfiguration clientConfiguration = client.build();
    KinesisIO.Read read =
        KinesisIO.read()
            .withStreamName(streamName)
            .withClientConfiguration(clientConfiguration)
            .withFixedDelayRateLimitPolicy(
                org.joda.time.Duration.millis(getRecordsInterval.toMillis()))
            .withProcessingTimeWatermarkPolicy();
    switch (startingPosition.kind()) {
      case LATEST:
        read = read.withInitialPositionInStream(InitialPositionInStream.LATEST);
        break;
      case TRIM_HORIZON:
        read = read.withInitialPositionInStream(InitialPositionInStream.TRIM_HORIZON);
        break;
      case AT_TIMESTAMP:
        read =
            read.withInitialTimestampInStream(
                new org.joda.time.Instant(
                    Objects.requireNonNull(startingPosition.timestamp()).toEpochMilli()));
        break;
      default:
        throw new IllegalStateException("unknown starting position " + startingPosition.kind());
    }
    return input
        .apply(
            "ReadRecords",
            Read.from(
                LagReportingKinesisSource.of(
                    read, streamName, clientConfiguration, input.getPipeline().getOptions())))
        .apply("ToRawEvents", ParDo.of(new ToRawEventFn()))
        .setCoder(AvroCoder.of(RawEvent.class));
  }

  static final class ToRawEventFn extends DoFn<KinesisRecord, RawEvent> {
    private transient EtlMetrics.BundleCounter eventsRead;
    private transient EtlMetrics.BundleCounter kinesisEventsRead;
    private transient EtlMetrics.EtlLag arrivalLag;

    @Setup
    public void setup() {
      eventsRead = EtlMetrics.bundleCounter(EtlMetrics.EVENTS_READ);
      kinesisEventsRead = EtlMetrics.bundleCounter(EtlMetrics.eventsReadCounterName(SOURCE_KIND));
      arrivalLag = EtlMetrics.lag(EtlMetrics.ARRIVAL_LAG_MILLIS, EtlMetrics.ARRIVAL_LAG_MAX_MILLIS);
    }

    @FinishBundle
    public void finishBundle() {
      eventsRead.finishBundle();
      kinesisEventsRead.finishBundle();
      arrivalLag.finishBundle();
    }

    @ProcessElement
    public void processElement(@Element KinesisRecord record, OutputReceiver<RawEvent> out) {
      eventsRead.inc();
      kinesisEventsRead.inc();
      if (record.getApproximateArrivalTimestamp() != null) {
        arrivalLag.update(
            System.currentTimeMillis() - record.getApproximateArrivalTimestamp().getMillis());
      }
      // KinesisIO stamps records with their arrival time in the stream, while the processing-time
      // watermark
      // policy says "now": re-stamped with the time they are read, records from a backlog
      // (TRIM_HORIZON, a
      // restart) are never behind the watermark, so no window drops them as late.
      EventSource origin =
          EventOrigins.kinesis(
              record.getStreamName(),
              record.getShardId(),
              record.getSequenceNumber(),
              record.getSubSequenceNumber());
      out.outputWithTimestamp(
          new RawEvent(EventSize.bounded(record.getDataAsBytes()), origin), Instant.now());
    }
  }
}
