package io.taxietl.transforms.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * The pipeline's metrics, and their stable names (documented in docs/observability.md). Each is a
 * Beam metric in namespace {@value #NAMESPACE}, so every runner reports it; counters, lag
 * distributions and the source lag gauges are mirrored into JVM-local tallies that the local
 * launcher prints as a live progress line (Beam offers no runner-independent way to read metrics
 * while a job runs).
 *
 * <p>(Longer than this project's usual 250 lines because it is the one catalog of metric names,
 * each with what it counts.)
 */
public final class EtlMetrics {
  public static final String NAMESPACE = "etl";

  public static final String EVENTS_READ = "events_read";
  public static final String TRIPS_PARSED = "trips_parsed";
  public static final String WATERMARK_EVENTS_SKIPPED = "watermark_events_skipped";

  /**
   * Events that arrived in a {@code replay redrive} envelope (each is then parsed as any event).
   */
  public static final String REDRIVEN_EVENTS = "redriven_events";

  public static final String DEAD_LETTERS = "dead_letters";
  public static final String PARQUET_ROWS_WRITTEN = "parquet_rows_written";

  /** Parquet files finished by FileIO (staged); each is published once its checkpoint completes. */
  public static final String PARQUET_FILES_WRITTEN = "parquet_files_written";

  /**
   * Parquet files moved into the output folder. At the end of a bounded run the last files are
   * published while the job drains, after Flink's last metrics report, so this may lag behind
   * {@link #PARQUET_FILES_WRITTEN} there; the files are in place all the same.
   */
  public static final String PARQUET_FILES_COMMITTED = "parquet_files_committed";

  public static final String PARQUET_PARTITIONS_WRITTEN = "parquet_partitions_written";
  public static final String DEAD_LETTER_FILES_WRITTEN = "dead_letter_files_written";
  public static final String DEAD_LETTER_FILES_COMMITTED = "dead_letter_files_committed";
  public static final String KAFKA_TRIPS_PRODUCED = "kafka_trips_produced";
  public static final String KAFKA_DEAD_LETTERS_PRODUCED = "kafka_dead_letters_produced";
  public static final String ELASTICSEARCH_DOCUMENTS_INDEXED = "elasticsearch_documents_indexed";
  public static final String ELASTICSEARCH_DOCUMENTS_RETRIED = "elasticsearch_documents_retried";
  public static final String ELASTICSEARCH_DOCUMENTS_REJECTED = "elasticsearch_documents_rejected";

  /**
   * Pickup or dropoff location ids that the zone lookup does not know (one per id): their trips
   * keep going, with that location's borough and zone null.
   */
  public static final String ZONE_LOOKUP_MISSES = "zone_lookup_misses";

  /** Prefix of the per-reason dead-letter counters: {@code dead_letters.<stage>.<REASON>}. */
  public static final String DEAD_LETTERS_BY_REASON_PREFIX = DEAD_LETTERS + ".";

  /** Prefix of the per-source counters of events read: {@code events_read.<kafka|kinesis|file>}. */
  public static final String EVENTS_READ_BY_SOURCE_PREFIX = EVENTS_READ + ".";

  /**
   * Distribution of the event-time lag of valid trips, in milliseconds: processing time at the
   * parse step minus the trip's dropoff time (how old the data is when it is processed).
   */
  public static final String EVENT_TIME_LAG_MILLIS = "event_time_lag_millis";

  /**
   * Distribution of the arrival lag, in milliseconds: processing time at the read step minus the
   * time the source stored the event (a Kafka record's timestamp; a Kinesis record's approximate
   * arrival timestamp). Sources without one (files) do not report it.
   */
  public static final String ARRIVAL_LAG_MILLIS = "arrival_lag_millis";

  /**
   * Gauge: the largest event-time lag in each worker's latest bundle. Distributions reach Flink's
   * metric system as non-numeric gauges that Prometheus and CloudWatch drop, so each lag
   * distribution has a numeric gauge beside it.
   */
  public static final String EVENT_TIME_LAG_MAX_MILLIS = "event_time_lag_max_millis";

  /**
   * Gauge: the largest arrival lag in each worker's latest bundle (see {@link
   * #EVENT_TIME_LAG_MAX_MILLIS}).
   */
  public static final String ARRIVAL_LAG_MAX_MILLIS = "arrival_lag_max_millis";

  /**
   * Gauge: the Kafka source's consumer lag in records, summed over the partitions a worker reads.
   */
  public static final String KAFKA_CONSUMER_LAG = "kafka_consumer_lag";

  /**
   * Prefix of the Kafka source's lag gauges, {@code kafka_consumer_lag.<topic>.<partition>}:
   * records between the last record read and the partition's end offset, when the read step last
   * looked.
   */
  public static final String KAFKA_CONSUMER_LAG_PREFIX = KAFKA_CONSUMER_LAG + ".";

  /**
   * Gauge: how far the Kinesis source is behind, in milliseconds: the largest of the per-shard
   * gauges {@code kinesis_millis_behind_latest.<stream>.<shard>} in this JVM (see KinesisShardLag:
   * the age of the oldest record not read yet, or Kinesis' {@code MillisBehindLatest} if larger; 0
   * when caught up).
   */
  public static final String KINESIS_MILLIS_BEHIND_LATEST = "kinesis_millis_behind_latest";

  /**
   * Prefix of the Kinesis source's per-shard lag gauges, {@code
   * kinesis_millis_behind_latest.<stream>.<shard>}.
   */
  public static final String KINESIS_MILLIS_BEHIND_LATEST_PREFIX =
      KINESIS_MILLIS_BEHIND_LATEST + ".";

  private static final String SUM_SUFFIX = "#sum";
  private static final String COUNT_SUFFIX = "#count";
  private static final Map<String, LongAdder> LOCAL_TALLIES = new ConcurrentHashMap<>();
  private static final Map<String, Long> LOCAL_GAUGES = new ConcurrentHashMap<>();

  private EtlMetrics() {}

  /** A counter that increments both the Beam metric and this JVM's tally of the same name. */
  public static EtlCounter counter(String name) {
    return new EtlCounter(Metrics.counter(NAMESPACE, name), tally(name));
  }

  /** A counter of {@code name} reported once per bundle (see {@link BundleCounter}). */
  public static BundleCounter bundleCounter(String name) {
    return new BundleCounter(Metrics.counter(NAMESPACE, name), tally(name));
  }

  /** A distribution that also keeps this JVM's running sum and count of its values. */
  public static EtlDistribution distribution(String name) {
    return new EtlDistribution(
        Metrics.distribution(NAMESPACE, name),
        tally(name + SUM_SUFFIX),
        tally(name + COUNT_SUFFIX));
  }

  /**
   * A lag metric: distribution {@code distributionName} of every value, and gauge {@code
   * maxGaugeName} set to the largest value of each bundle when the bundle finishes.
   */
  public static EtlLag lag(String distributionName, String maxGaugeName) {
    return new EtlLag(distribution(distributionName), gauge(maxGaugeName));
  }

  /** A Beam gauge of this namespace. */
  public static Gauge gauge(String name) {
    return Metrics.gauge(NAMESPACE, name);
  }

  /** A Beam gauge that also keeps its latest value in this JVM, under the same name. */
  public static EtlGauge localGauge(String name) {
    return new EtlGauge(gauge(name), name);
  }

  /** The sum of this JVM's latest values of the gauges whose names start with {@code prefix}. */
  public static long localGaugeSum(String prefix) {
    return LOCAL_GAUGES.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  /**
   * The largest of this JVM's latest values of the gauges whose names start with {@code prefix}; 0
   * if none.
   */
  public static long localGaugeMax(String prefix) {
    return LOCAL_GAUGES.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix))
        .mapToLong(Map.Entry::getValue)
        .max()
        .orElse(0);
  }

  /** Forgets this JVM's value of gauge {@code name} (its Beam gauge keeps its last value). */
  public static void forgetLocalGauge(String name) {
    LOCAL_GAUGES.remove(name);
  }

  /** Whether any gauge whose name starts with {@code prefix} was set in this JVM. */
  public static boolean hasLocalGauge(String prefix) {
    return LOCAL_GAUGES.keySet().stream().anyMatch(name -> name.startsWith(prefix));
  }

  public static String eventsReadCounterName(String sourceKind) {
    return EVENTS_READ_BY_SOURCE_PREFIX + sourceKind;
  }

  public static String kafkaConsumerLagGaugeName(String topic, int partition) {
    return KAFKA_CONSUMER_LAG_PREFIX + topic + "." + partition;
  }

  public static String kinesisMillisBehindLatestGaugeName(String stream, String shardId) {
    return KINESIS_MILLIS_BEHIND_LATEST_PREFIX + stream + "." + shardId;
  }

  /** This JVM's sum of the values of distribution {@code name}. */
  public static long localSum(String name) {
    return localTally(name + SUM_SUFFIX);
  }

  /** This JVM's count of the values of distribution {@code name}. */
  public static long localCount(String name) {
    return localTally(name + COUNT_SUFFIX);
  }

  public static String deadLetterCounterName(String stage, String reason) {
    return DEAD_LETTERS_BY_REASON_PREFIX + stage + "." + reason;
  }

  /** The value of this JVM's tally, for progress reporting in local runs. */
  public static long localTally(String name) {
    return tally(name).sum();
  }

  /** Every tally of this JVM by name, as counted so far (a copy). */
  public static Map<String, Long> localTallies() {
    Map<String, Long> tallies = new TreeMap<>();
    LOCAL_TALLIES.forEach((name, tally) -> tallies.put(name, tally.sum()));
    return tallies;
  }

  /** Forgets every local tally, at the start of a local run. */
  public static void resetLocalTallies() {
    LOCAL_TALLIES.values().forEach(LongAdder::reset);
    LOCAL_GAUGES.clear();
  }

  private static LongAdder tally(String name) {
    return LOCAL_TALLIES.computeIfAbsent(name, n -> new LongAdder());
  }

  /** A Beam gauge paired with this JVM's latest value of the same name. */
  public static final class EtlGauge {
    private final Gauge gauge;
    private final String name;

    private EtlGauge(Gauge gauge, String name) {
      this.gauge = gauge;
      this.name = name;
    }

    public void set(long value) {
      gauge.set(value);
      LOCAL_GAUGES.put(name, value);
    }
  }

  /**
   * A lag distribution with a gauge of each bundle's largest value; not thread-safe (one per DoFn).
   * Values are gathered in the bundle and reported when it finishes, in one update of the
   * distribution: Beam looks up the step's metric container for every update, which cost more than
   * the step's own work per element.
   */
  public static final class EtlLag {
    private final EtlDistribution distribution;
    private final Gauge bundleMax;
    private long count;
    private long sum;
    private long min = Long.MAX_VALUE;
    private long max = Long.MIN_VALUE;

    private EtlLag(EtlDistribution distribution, Gauge bundleMax) {
      this.distribution = distribution;
      this.bundleMax = bundleMax;
    }

    public void update(long lagMillis) {
      count++;
      sum += lagMillis;
      min = Math.min(min, lagMillis);
      max = Math.max(max, lagMillis);
    }

    /**
     * Reports the values since the last call, if there were any: the distribution, and the gauge
     * set to their largest. Call in FinishBundle.
     */
    public void finishBundle() {
      if (count > 0) {
        distribution.update(sum, count, min, max);
        bundleMax.set(max);
        count = 0;
        sum = 0;
        min = Long.MAX_VALUE;
        max = Long.MIN_VALUE;
      }
    }
  }

  /** A Beam distribution paired with JVM-local tallies of its sum and count. */
  public static final class EtlDistribution {
    private final Distribution distribution;
    private final LongAdder sum;
    private final LongAdder count;

    private EtlDistribution(Distribution distribution, LongAdder sum, LongAdder count) {
      this.distribution = distribution;
      this.sum = sum;
      this.count = count;
    }

    public void update(long value) {
      distribution.update(value);
      sum.add(value);
      count.increment();
    }

    /** Reports {@code count} values at once, with their sum, smallest and largest. */
    public void update(long valueSum, long valueCount, long min, long max) {
      distribution.update(valueSum, valueCount, min, max);
      sum.add(valueSum);
      count.add(valueCount);
    }
  }

  /** A Beam counter paired with the JVM-local tally of the same name. */
  public static final class EtlCounter {
    private final Counter counter;
    private final LongAdder tally;

    private EtlCounter(Counter counter, LongAdder tally) {
      this.counter = counter;
      this.tally = tally;
    }

    public void inc() {
      counter.inc();
      tally.increment();
    }

    public void inc(long n) {
      counter.inc(n);
      tally.add(n);
    }
  }

  /**
   * A counter for every element of a busy step: the Beam counter gets the bundle's count when the
   * bundle finishes ({@link #finishBundle}, which the step must call in its FinishBundle), one
   * update per bundle instead of one per element; the JVM-local tally (progress lines, the
   * benchmark's first-event probe) still counts each element as it comes. Not thread-safe (one per
   * DoFn).
   */
  public static final class BundleCounter {
    private final Counter counter;
    private final LongAdder tally;
    private long pending;

    private BundleCounter(Counter counter, LongAdder tally) {
      this.counter = counter;
      this.tally = tally;
    }

    public void inc() {
      pending++;
      tally.increment();
    }

    /** Reports to Beam what was counted since the last call. */
    public void finishBundle() {
      if (pending != 0) {
        counter.inc(pending);
        pending = 0;
      }
    }
  }
}
