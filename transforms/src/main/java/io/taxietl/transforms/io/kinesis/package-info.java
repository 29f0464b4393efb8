/**
 * Amazon Kinesis Data Streams: the source ({@link
 * io.taxietl.transforms.io.kinesis.ReadKinesisEvents}), where it starts reading, and the per-shard
 * lag its readers report. The source wrapper itself stays in {@code io.taxietl.transforms} (its
 * name is in savepoints).
 */
package io.taxietl.transforms.io.kinesis;
