package io.taxietl.transforms;

import io.taxietl.transforms.io.kafka.OffsetLedger;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.VarInt;

/**
 * Encodes an {@link OffsetLedger} as a count followed by, per range, its first offset as a delta from
 * the previous range's last, its length and its last-touched time. Part of the job's state: a change
 * to this format breaks restoring from older savepoints.
 */
public final class OffsetLedgerCoder extends AtomicCoder<OffsetLedger> {
  private static final OffsetLedgerCoder INSTANCE = new OffsetLedgerCoder();

  private OffsetLedgerCoder() {}

  public static OffsetLedgerCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(OffsetLedger ledger, OutputStream out) throws IOException {
    int size = ledger.size();
    VarInt.encode(size, out);
    long previousHi = -1;
    for (int i = 0; i < size; i++) {
      long lo = ledger.lo(i);
      long hi = ledger.hi(i);
      VarInt.encode(lo - previousHi, out);
      VarInt.encode(hi - lo, out);
      VarInt.encode(ledger.touched(i), out);
      previousHi = hi;
    }
  }

  @Override
  public OffsetLedger decode(InputStream in) throws IOException {
    int size = VarInt.decodeInt(in);
    if (size < 0) {
      throw new CoderException("negative range count " + size);
    }
    long[] lo = new long[size];
    long[] hi = new long[size];
    long[] touched = new long[size];
    long previousHi = -1;
    for (int i = 0; i < size; i++) {
      lo[i] = previousHi + VarInt.decodeLong(in);
      hi[i] = lo[i] + VarInt.decodeLong(in);
      touched[i] = VarInt.decodeLong(in);
      previousHi = hi[i];
    }
    try {
      return OffsetLedger.of(lo, hi, touched);
    } catch (IllegalArgumentException e) {
      throw new CoderException("corrupt offset ledger: " + e.getMessage());
    }
  }

  @Override
  public void verifyDeterministic() {}
}
