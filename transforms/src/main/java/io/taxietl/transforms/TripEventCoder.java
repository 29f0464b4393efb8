package io.taxietl.transforms;

import io.taxietl.avro.TripEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;

/**
 * A hand-written coder for {@link TripEvent}, the element that crosses the Parquet step's grouping
 * (every trip is buffered in the runner's state until its window closes), the Kafka and
 * Elasticsearch sinks.
 *
 * <p>Why: {@code AvroCoder} resolves every field through Avro's generic machinery (schema walk,
 * union resolution, logical-type conversions) for each element; the benchmark's profile showed Avro
 * coding of the events between steps among the largest costs. The fields are fixed by {@code
 * TripEvent.avsc}, so this coder writes them in schema order: a format version, a bit mask of the
 * optional fields that are null, then each present value (ints and longs as varints, doubles as
 * their 8 IEEE bytes, strings as UTF-8 with a varint length, timestamps as epoch milliseconds,
 * which is what the schema keeps).
 *
 * <p>The layout is {@link TripEventFormat}'s (written into an array first, then to the stream in
 * one call). A new field in the schema needs a new format version there ({@code TripEventCoderTest}
 * fails until the coder writes every field). The encoding is part of the runner's state: savepoints
 * taken with another encoding (an earlier version using {@code AvroCoder}, or format 1, before the
 * zone names) cannot be restored; decoding one fails with a message that says so.
 */
public final class TripEventCoder extends AtomicCoder<TripEvent> {
  private static final TripEventCoder INSTANCE = new TripEventCoder();

  private TripEventCoder() {}

  public static TripEventCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(TripEvent trip, OutputStream outStream) throws IOException {
    TripEventFormat.Bytes bytes = new TripEventFormat.Bytes(160);
    TripEventFormat.write(trip, bytes);
    bytes.writeTo(outStream);
  }

  @Override
  public TripEvent decode(InputStream inStream) throws IOException {
    return TripEventFormat.read(TripEventFormat.Input.of(inStream));
  }

  /**
   * Equal trips encode to equal bytes: every value has one encoding (doubles by their exact bits).
   */
  @Override
  public void verifyDeterministic() {}
}
