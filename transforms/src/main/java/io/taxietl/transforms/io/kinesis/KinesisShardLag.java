package io.taxietl.transforms.io.kinesis;

import io.taxietl.transforms.metrics.EtlMetrics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.beam.sdk.metrics.Gauge;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * How far a Kinesis reader is behind the tip of each shard it reads, as Beam gauges: {@code
 * kinesis_millis_behind_latest.<stream>.<shard>} and {@code kinesis_millis_behind_latest} (the
 * largest over the shards read in this JVM).
 *
 * <p>The value is the age of the oldest record the reader has not read yet (now minus its
 * approximate arrival time), or Kinesis' own {@code MillisBehindLatest} if that is larger; 0 once
 * the reader has read everything. Why our own: KinesisIO 2.62 receives {@code MillisBehindLatest}
 * with every GetRecords response and discards it.
 *
 * <p>How: the reader notes the sequence number and arrival time of each record it returns ({@link
 * #read}). Every {@link #PROBE_INTERVAL} a background thread asks Kinesis for the first record
 * after that position (one GetShardIterator and one GetRecords with a limit of 1 per shard: 0.5
 * calls per second per shard, a tenth of a shard's read allowance). The reader sets the gauges
 * itself ({@link #report}, at most every {@link #REPORT_INTERVAL}): if it has not moved since the
 * probe, from the probe (the first unread record's age, or 0 if there was none); if it has not yet
 * reached the probe's first unread record, that record's age, growing with the clock; once it has
 * read past what the probe saw, the age of the record it read last (the next unread record, if any,
 * is younger: this is what CloudWatch's {@code IteratorAgeMilliseconds} reports while a consumer
 * reads). The runner asks the reader to advance even when nothing arrives, so the gauges fall to 0
 * on an idle stream too. The network calls never run on the reader's thread, and a failed probe
 * leaves the gauges to the reader's own estimate: monitoring never fails or stalls the pipeline.
 *
 * <p>A shard appears once a record of it was read; a shard closed by a split or merge stays at 0
 * and is probed until the reader is closed (the job restarts). When the reader's position is inside
 * a record that the Kinesis Producer Library aggregated, the rest of that record counts as read.
 *
 * <p>Over 250 lines because its two value types, {@link Position} and {@link Probe}, are spelled
 * out as classes (the code that ships runs on Java 11, which has no records) and kept beside the
 * arithmetic that uses them.
 */
public final class KinesisShardLag implements AutoCloseable {
  static final Duration PROBE_INTERVAL = Duration.ofSeconds(2);
  static final Duration REPORT_INTERVAL = Duration.ofMillis(200);
  private static final Logger LOG = LoggerFactory.getLogger(KinesisShardLag.class);

  private final String stream;
  private final Supplier<KinesisClient> clientFactory;

  /** Shard id to the last record read; written by the reader, read by the probe. */
  private final Map<String, Position> positions = new ConcurrentHashMap<>();

  /** Shard id to the latest probe; written by the probe thread, read by the reader. */
  private final Map<String, Probe> probes = new ConcurrentHashMap<>();

  /** Reader thread only. */
  private final Map<String, EtlMetrics.EtlGauge> gauges = new HashMap<>();

  private final Map<String, Long> reported = new HashMap<>();
  private final Gauge worst = EtlMetrics.gauge(EtlMetrics.KINESIS_MILLIS_BEHIND_LATEST);
  private @Nullable ScheduledExecutorService prober;
  private @Nullable KinesisClient client;
  private boolean warned;
  private long lastReportNanos;

  /** {@code clientFactory} is called once, on the probe thread, when the first record was read. */
  public KinesisShardLag(String stream, Supplier<KinesisClient> clientFactory) {
    this.stream = stream;
    this.clientFactory = clientFactory;
  }

  /**
   * Notes that the reader returned record {@code sequenceNumber} of {@code shardId}, stored at
   * {@code arrivalMillis}.
   */
  public void read(String shardId, String sequenceNumber, long arrivalMillis) {
    positions.put(shardId, new Position(sequenceNumber, arrivalMillis));
    if (prober == null) {
      prober =
          Executors.newSingleThreadScheduledExecutor(
              runnable -> {
                Thread thread = new Thread(runnable, "kinesis-lag-probe-" + stream);
                thread.setDaemon(true);
                return thread;
              });
      prober.scheduleWithFixedDelay(
          this::probeAll, 0, PROBE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Sets the gauges, at most once per {@link #REPORT_INTERVAL}; call on the reader's thread. */
  public void report() {
    long nanos = System.nanoTime();
    if (positions.isEmpty() || nanos - lastReportNanos < REPORT_INTERVAL.toNanos()) {
      return;
    }
    lastReportNanos = nanos;
    long now = System.currentTimeMillis();
    for (Map.Entry<String, Position> position : positions.entrySet()) {
      String shard = position.getKey();
      long behind = behindMillis(position.getValue(), probes.get(shard), now);
      Long before = reported.get(shard);
      if (before == null || before != behind) {
        reported.put(shard, behind);
        gauges
            .computeIfAbsent(
                shard,
                s ->
                    EtlMetrics.localGauge(EtlMetrics.kinesisMillisBehindLatestGaugeName(stream, s)))
            .set(behind);
      }
    }
    worst.set(EtlMetrics.localGaugeMax(EtlMetrics.KINESIS_MILLIS_BEHIND_LATEST_PREFIX));
  }

  /**
   * The lag of a reader at {@code position}, given the latest {@code probe} of its shard (null if
   * none yet).
   */
  static long behindMillis(Position position, @Nullable Probe probe, long nowMillis) {
    if (probe != null) {
      if (probe.firstUnreadSequenceNumber() == null) {
        if (position.sequenceNumber().equals(probe.probedFrom())) {
          return probe.millisBehindLatest();
        }
      } else if (compareSequenceNumbers(
              position.sequenceNumber(), probe.firstUnreadSequenceNumber())
          < 0) {
        return Math.max(
            probe.millisBehindLatest(), Math.max(0, nowMillis - probe.firstUnreadArrivalMillis()));
      }
    }
    return Math.max(0, nowMillis - position.arrivalMillis());
  }

  /** Kinesis sequence numbers are decimal numbers of up to 128 digits, without leading zeros. */
  static int compareSequenceNumbers(String a, String b) {
    return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
  }

  private void probeAll() {
    for (Map.Entry<String, Position> position : positions.entrySet()) {
      try {
        if (client == null) {
          client = clientFactory.get();
        }
        probes.put(position.getKey(), probe(client, position.getKey(), position.getValue()));
      } catch (RuntimeException e) {
        // Throttling, network, permissions, a shard past retention, no region or credentials:
        // whatever it
        // is, an exception here would cancel all later probes, and the source reports its own
        // failures.
        log(e);
      }
    }
  }

  private Probe probe(KinesisClient kinesis, String shard, Position position) {
    String sequenceNumber = position.sequenceNumber();
    String iterator =
        kinesis
            .getShardIterator(
                b ->
                    b.streamName(stream)
                        .shardId(shard)
                        .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                        .startingSequenceNumber(sequenceNumber))
            .shardIterator();
    GetRecordsResponse response = kinesis.getRecords(b -> b.shardIterator(iterator).limit(1));
    long behind = response.millisBehindLatest() == null ? 0 : response.millisBehindLatest();
    if (response.hasRecords() && !response.records().isEmpty()) {
      Record first = response.records().get(0);
      long arrival =
          first.approximateArrivalTimestamp() == null
              ? System.currentTimeMillis()
              : first.approximateArrivalTimestamp().toEpochMilli();
      return new Probe(sequenceNumber, first.sequenceNumber(), arrival, behind);
    }
    // No next iterator: the shard was closed (split or merge) and the reader has read all of it;
    // kinesalite then
    // answers MillisBehindLatest "now minus the shard's end", which is not a lag.
    return new Probe(sequenceNumber, null, 0, response.nextShardIterator() == null ? 0 : behind);
  }

  private void log(RuntimeException e) {
    if (!warned) {
      warned = true;
      LOG.warn(
          "Could not probe Kinesis stream {} for the kinesis_millis_behind_latest metrics (until a probe succeeds"
              + " they show the age of the last record read, even when the reader has caught up; the source itself"
              + " is not affected): {}",
          stream,
          e.toString());
    } else {
      LOG.debug("Kinesis lag probe of stream {} failed: {}", stream, e.toString());
    }
  }

  @Override
  public void close() {
    if (prober != null) {
      prober.shutdownNow();
      try {
        prober.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      prober = null;
    }
    if (client != null) {
      client.close();
      client = null;
    }
    for (String shard : gauges.keySet()) {
      EtlMetrics.forgetLocalGauge(EtlMetrics.kinesisMillisBehindLatestGaugeName(stream, shard));
    }
  }

  /** The last record a reader returned from a shard. */
  static final class Position {
    private final String sequenceNumber;
    private final long arrivalMillis;

    Position(String sequenceNumber, long arrivalMillis) {
      this.sequenceNumber = sequenceNumber;
      this.arrivalMillis = arrivalMillis;
    }

    String sequenceNumber() {
      return sequenceNumber;
    }

    long arrivalMillis() {
      return arrivalMillis;
    }
  }

  /**
   * What a probe from {@code probedFrom} found after it: the first unread record (null if there was
   * none) and Kinesis' {@code MillisBehindLatest} for it.
   */
  static final class Probe {
    private final String probedFrom;
    private final @Nullable String firstUnreadSequenceNumber;
    private final long firstUnreadArrivalMillis;
    private final long millisBehindLatest;

    Probe(
        String probedFrom,
        @Nullable String firstUnreadSequenceNumber,
        long firstUnreadArrivalMillis,
        long millisBehindLatest) {
      this.probedFrom = probedFrom;
      this.firstUnreadSequenceNumber = firstUnreadSequenceNumber;
      this.firstUnreadArrivalMillis = firstUnreadArrivalMillis;
      this.millisBehindLatest = millisBehindLatest;
    }

    String probedFrom() {
      return probedFrom;
    }

    @Nullable String firstUnreadSequenceNumber() {
      return firstUnreadSequenceNumber;
    }

    long firstUnreadArrivalMillis() {
      return firstUnreadArrivalMillis;
    }

    long millisBehindLatest() {
      return millisBehindLatest;
    }
  }
}
