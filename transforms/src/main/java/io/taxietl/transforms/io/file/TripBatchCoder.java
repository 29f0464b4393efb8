package io.taxietl.transforms.io.file;

import io.taxietl.avro.TripEvent;
import io.taxietl.transforms.TripEventCoder;
import io.taxietl.transforms.TripEventFormat;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;

/**
 * Encodes a {@link TripBatch}: a format byte, the number of trips, the length of their encoding,
 * then each trip as {@link TripEventCoder} writes it ({@link TripEventFormat}). The trips are
 * written into one array and read back from one, not byte by byte through the runner's streams. The
 * partition folder is not encoded: it is computed again from the first trip with the writer's
 * {@link PartitionTemplate}.
 *
 * <p>Batches wait in the runner's state until their window closes, so this encoding is part of
 * savepoints. Before batching, the same state held single trips encoded by {@link TripEventCoder}
 * (their first byte is their format version): one of the current format decodes as a batch of one;
 * one of an earlier format (before the zone names) is refused with {@link TripEventFormat}'s
 * message, as such snapshots cannot be restored.
 */
final class TripBatchCoder extends AtomicCoder<TripBatch> {
  private static final long serialVersionUID = 1L;

  /** The first byte of an encoded batch; a single trip starts with its format version. */
  static final int BATCH_FORMAT = 0x42;

  private final PartitionTemplate template;

  private TripBatchCoder(PartitionTemplate template) {
    this.template = template;
  }

  /** Decodes batches whose folder {@code template} computes. */
  static TripBatchCoder of(PartitionTemplate template) {
    return new TripBatchCoder(Objects.requireNonNull(template, "template"));
  }

  @Override
  public void encode(TripBatch batch, OutputStream out) throws IOException {
    if (batch == null || batch.trips().isEmpty()) {
      throw new CoderException("cannot encode a null or empty TripBatch: " + batch);
    }
    TripEventFormat.Bytes trips = new TripEventFormat.Bytes(batch.trips().size() * 160);
    for (TripEvent trip : batch.trips()) {
      TripEventFormat.write(trip, trips);
    }
    TripEventFormat.Bytes header = new TripEventFormat.Bytes(16);
    header.writeByte(BATCH_FORMAT);
    header.writeVarLong(batch.trips().size());
    header.writeVarLong(trips.size());
    header.writeTo(out);
    trips.writeTo(out);
  }

  @Override
  public TripBatch decode(InputStream in) throws IOException {
    TripEventFormat.Input header = TripEventFormat.Input.of(in);
    int format = header.readByte();
    if (format != BATCH_FORMAT) {
      TripEventFormat.checkVersion(format);
      TripEvent trip = TripEventFormat.readAfterVersion(header);
      return new TripBatch(template.partitionOf(trip), List.of(trip));
    }
    int count = header.readVarInt();
    int length = header.readVarInt();
    byte[] bytes = in.readNBytes(length);
    if (bytes.length != length) {
      throw new EOFException("the encoded batch ends after " + bytes.length + " of " + length);
    }
    TripEventFormat.Input input = TripEventFormat.Input.of(bytes, 0, length);
    List<TripEvent> trips = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      trips.add(TripEventFormat.read(input));
    }
    if (trips.isEmpty()) {
      throw new CoderException("an encoded TripBatch holds no trips");
    }
    return new TripBatch(template.partitionOf(trips.get(0)), trips);
  }

  /** Equal batches encode to equal bytes (the trip encoding is deterministic). */
  @Override
  public void verifyDeterministic() {}
}
