package io.taxietl.transforms;

import io.taxietl.transforms.io.kinesis.KinesisShardLag;
import java.io.IOException;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.io.UnboundedSource.CheckpointMark;
import org.apache.beam.sdk.io.UnboundedSource.UnboundedReader;
import org.apache.beam.sdk.io.aws2.kinesis.KinesisRecord;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * KinesisIO's reader, unchanged, which also notes each record it returns for the lag gauges ({@link
 * KinesisShardLag}) and answers for itself before it starts: KinesisIO 2.62's reader throws a
 * {@code NullPointerException} when asked for its checkpoint mark, or closed, before {@code
 * start()}. Before it starts, its mark is the one it was created from and its watermark the lowest.
 */
final class LagReportingKinesisReader<MarkT extends CheckpointMark>
    extends UnboundedReader<KinesisRecord> {
  private final LagReportingKinesisSource<MarkT> source;
  private final UnboundedReader<KinesisRecord> reader;
  private final @Nullable MarkT createdFrom;
  private final KinesisShardLag lag;
  private boolean started;

  LagReportingKinesisReader(
      LagReportingKinesisSource<MarkT> source,
      UnboundedReader<KinesisRecord> reader,
      @Nullable MarkT createdFrom,
      KinesisShardLag lag) {
    this.source = source;
    this.reader = reader;
    this.createdFrom = createdFrom;
    this.lag = lag;
  }

  @Override
  public boolean start() throws IOException {
    started = true;
    return noted(reader.start());
  }

  @Override
  public boolean advance() throws IOException {
    return noted(reader.advance());
  }

  private boolean noted(boolean available) {
    if (available) {
      KinesisRecord record = reader.getCurrent();
      Instant arrival = record.getApproximateArrivalTimestamp();
      lag.read(
          record.getShardId(),
          record.getSequenceNumber(),
          arrival == null ? System.currentTimeMillis() : arrival.getMillis());
    }
    lag.report();
    return available;
  }

  @Override
  public KinesisRecord getCurrent() throws NoSuchElementException {
    return reader.getCurrent();
  }

  @Override
  public Instant getCurrentTimestamp() throws NoSuchElementException {
    return reader.getCurrentTimestamp();
  }

  @Override
  public byte[] getCurrentRecordId() throws NoSuchElementException {
    return reader.getCurrentRecordId();
  }

  @Override
  public Instant getWatermark() {
    return started ? reader.getWatermark() : BoundedWindow.TIMESTAMP_MIN_VALUE;
  }

  @Override
  @SuppressWarnings("unchecked") // the mark of KinesisIO's reader is the type of KinesisIO's source
  public KinesisReaderMark<MarkT> getCheckpointMark() {
    return new KinesisReaderMark<>(started ? (MarkT) reader.getCheckpointMark() : createdFrom);
  }

  /**
   * Unknown, on purpose. KinesisIO's estimate asks CloudWatch ({@code GetMetricStatistics})
   * whenever the newest record read is over a minute old, and Beam's Flink runner asks for it on
   * every metrics report (its {@code pendingBytes} gauge): without CloudWatch access (no IAM
   * permission, kinesalite) the call throws inside the metric reporter and the whole report fails,
   * e.g. every Prometheus scrape of the job. How far the reader is behind is reported by the lag
   * gauges instead ({@link KinesisShardLag}).
   */
  @Override
  public long getSplitBacklogBytes() {
    return BACKLOG_UNKNOWN;
  }

  /** Unknown, for the reason {@link #getSplitBacklogBytes()} gives. */
  @Override
  public long getTotalBacklogBytes() {
    return BACKLOG_UNKNOWN;
  }

  @Override
  public UnboundedSource<KinesisRecord, ?> getCurrentSource() {
    return source;
  }

  @Override
  public void close() throws IOException {
    try {
      lag.close();
    } finally {
      closeReader();
    }
  }

  private void closeReader() throws IOException {
    try {
      reader.close();
    } catch (NullPointerException e) {
      // KinesisIO 2.62's reader closes its client first and then stops shard readers it only has
      // once
      // started; a reader closed before it started has nothing else to stop.
      if (started) {
        throw e;
      }
    }
  }
}
