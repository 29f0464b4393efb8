package io.taxietl.transforms.event;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The most bytes one event may have: {@value #MAX_BYTES} (512 KiB). Real events are about 400
 * bytes. The limit keeps every record the pipeline writes for an event within the 1 MB that Kafka
 * brokers and producers accept by default (a trip's JSON is at most about the size of its event,
 * plus the field names), and keeps the memory one event can take bounded whatever a file or topic
 * holds: a file line over the limit is not read beyond it, and a Kafka or Kinesis record over it is
 * cut to it where it is read. An event over the limit becomes a dead letter ({@code TOO_LARGE}).
 */
public final class EventSize {
  /** The most bytes one event may have. */
  public static final int MAX_BYTES = 512 * 1024;

  private EventSize() {}

  /**
   * {@code payload} as a source hands it on: unchanged up to {@link #MAX_BYTES}, else its first
   * {@code MAX_BYTES + 1} bytes, which is enough for the parser to know it is too large.
   */
  public static ByteBuffer bounded(byte[] payload) {
    return ByteBuffer.wrap(
        payload.length <= MAX_BYTES ? payload : Arrays.copyOf(payload, MAX_BYTES + 1));
  }

  /** Whether a payload of {@code length} bytes is over the limit. */
  public static boolean tooLarge(int length) {
    return length > MAX_BYTES;
  }
}
