package io.taxietl.options;

/** Where the pipeline reads its events from. */
public enum SourceType {
  /** Newline-delimited event files (plain or gzip), the backfill path and the local default. */
  FILE,
  /** Apache Kafka or Amazon MSK topics. */
  KAFKA,
  /** Amazon Kinesis Data Streams. */
  KINESIS
}
