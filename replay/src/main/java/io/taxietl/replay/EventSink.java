package io.taxietl.replay;

import java.io.IOException;

/**
 * Where a replay sends its records: a topic of some partitions. Sends may complete later; a failed
 * send is reported by a later call, at the latest by {@link #flush()}.
 */
interface EventSink extends AutoCloseable {

  /** The number of partitions of the topic, for the watermark events that go to each. */
  int partitionCount();

  /** Sends a record that the key places (a null key: the sink chooses). */
  void send(byte[] key, byte[] value) throws IOException;

  /** Sends a record without key to one partition. */
  void sendToPartition(int partition, byte[] value) throws IOException;

  /** Waits until every record sent so far is stored; fails if any was not. */
  void flush() throws IOException;

  /** Releases the connection; records not yet flushed may be lost. */
  @Override
  void close();
}
