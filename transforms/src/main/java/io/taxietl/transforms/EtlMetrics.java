package io.taxietl.transforms;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * The pipeline's counters. Each is a Beam metric in namespace {@value #NAMESPACE}, so every runner
 * reports it, and is mirrored into a JVM-local tally that the local launcher prints as a live progress
 * line (Beam offers no runner-independent way to read metrics while a job runs).
 */
public final class EtlMetrics {
  public static final String NAMESPACE = "etl";

  public static final String EVENTS_READ = "events_read";
  /** Kafka records dropped because the source read their offset a second time (see DropRereadKafkaRecords). */
  public static final String KAFKA_RECORDS_READ_TWICE = "kafka_records_read_twice";
  public static final String TRIPS_PARSED = "trips_parsed";
  public static final String WATERMARK_EVENTS_SKIPPED = "watermark_events_skipped";
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

  /** Prefix of the per-reason dead-letter counters: {@code dead_letters.<stage>.<REASON>}. */
  public static final String DEAD_LETTERS_BY_REASON_PREFIX = DEAD_LETTERS + ".";

  private static final Map<String, LongAdder> LOCAL_TALLIES = new ConcurrentHashMap<>();

  private EtlMetrics() {}

  /** A counter that increments both the Beam metric and this JVM's tally of the same name. */
  public static EtlCounter counter(String name) {
    return new EtlCounter(Metrics.counter(NAMESPACE, name), tally(name));
  }

  public static String deadLetterCounterName(String stage, String reason) {
    return DEAD_LETTERS_BY_REASON_PREFIX + stage + "." + reason;
  }

  /** The value of this JVM's tally, for progress reporting in local runs. */
  public static long localTally(String name) {
    return tally(name).sum();
  }

  /** Forgets every local tally, at the start of a local run. */
  public static void resetLocalTallies() {
    LOCAL_TALLIES.values().forEach(LongAdder::reset);
  }

  private static LongAdder tally(String name) {
    return LOCAL_TALLIES.computeIfAbsent(name, n -> new LongAdder());
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
}
