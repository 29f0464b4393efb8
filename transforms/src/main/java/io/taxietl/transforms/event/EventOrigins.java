package io.taxietl.transforms.event;

import io.taxietl.avro.EventSource;

/**
 * An event's {@link EventSource} for each kind of source, built field by field instead of through
 * Avro's builder: a builder per event costs a field array, a validation per field and a copy of
 * every unset field's default, more than the record itself. Only the coordinates of the event's own
 * source kind are set; the others stay null.
 */
public final class EventOrigins {
  private static final int SOURCE = position("source");
  private static final int TOPIC = position("topic");
  private static final int PARTITION = position("partition");
  private static final int OFFSET = position("offset");
  private static final int STREAM = position("stream");
  private static final int SHARD = position("shard");
  private static final int SEQUENCE_NUMBER = position("sequence_number");
  private static final int SUB_SEQUENCE_NUMBER = position("sub_sequence_number");
  private static final int FILE = position("file");
  private static final int LINE_NUMBER = position("line_number");

  private EventOrigins() {}

  /** A record of a Kafka topic. */
  public static EventSource kafka(String topic, int partition, long offset) {
    EventSource origin = of("kafka");
    origin.put(TOPIC, topic);
    origin.put(PARTITION, partition);
    origin.put(OFFSET, offset);
    return origin;
  }

  /** A (user) record of a Kinesis stream. */
  public static EventSource kinesis(
      String stream, String shard, String sequenceNumber, long subSequenceNumber) {
    EventSource origin = of("kinesis");
    origin.put(STREAM, stream);
    origin.put(SHARD, shard);
    origin.put(SEQUENCE_NUMBER, sequenceNumber);
    origin.put(SUB_SEQUENCE_NUMBER, subSequenceNumber);
    return origin;
  }

  /** A line of a file. */
  public static EventSource file(String file, long lineNumber) {
    EventSource origin = of("file");
    origin.put(FILE, file);
    origin.put(LINE_NUMBER, lineNumber);
    return origin;
  }

  private static EventSource of(String source) {
    EventSource origin = new EventSource();
    origin.put(SOURCE, source);
    return origin;
  }

  private static int position(String field) {
    return EventSource.getClassSchema().getField(field).pos();
  }
}
