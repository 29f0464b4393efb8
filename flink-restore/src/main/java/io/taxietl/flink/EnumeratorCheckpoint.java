package io.taxietl.flink;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Objects;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The checkpoint of a {@link RestoreSafeSource}'s enumerator: the wrapped enumerator's own
 * checkpoint (for Beam's runner, the splits not yet handed to a reader) and whether the initial
 * assignment has completed.
 */
public final class EnumeratorCheckpoint<PendingT> {
  private final boolean initialAssignmentDone;
  private final PendingT pending;

  EnumeratorCheckpoint(boolean initialAssignmentDone, PendingT pending) {
    this.initialAssignmentDone = initialAssignmentDone;
    this.pending = pending;
  }

  /** True once the wrapped enumerator has handed out the splits it makes when started. */
  public boolean initialAssignmentDone() {
    return initialAssignmentDone;
  }

  /** The wrapped enumerator's checkpoint. */
  public PendingT pending() {
    return pending;
  }

  /**
   * Version 1: a magic int, the flag as one byte, then the wrapped serializer's version and bytes.
   * The magic makes a checkpoint of another format fail with a clear message instead of restoring
   * wrong.
   */
  static final class Serializer<PendingT>
      implements SimpleVersionedSerializer<EnumeratorCheckpoint<PendingT>> {
    static final int VERSION = 1;
    private static final int MAGIC = 0x7A3E5AFE;

    private final SimpleVersionedSerializer<PendingT> pendingSerializer;

    Serializer(SimpleVersionedSerializer<PendingT> pendingSerializer) {
      this.pendingSerializer = Objects.requireNonNull(pendingSerializer, "pendingSerializer");
    }

    @Override
    public int getVersion() {
      return VERSION;
    }

    @Override
    public byte[] serialize(EnumeratorCheckpoint<PendingT> checkpoint) throws IOException {
      byte[] pending = pendingSerializer.serialize(checkpoint.pending());
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(pending.length + 13);
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        out.writeInt(MAGIC);
        out.writeBoolean(checkpoint.initialAssignmentDone());
        out.writeInt(pendingSerializer.getVersion());
        out.writeInt(pending.length);
        out.write(pending);
      }
      return bytes.toByteArray();
    }

    @Override
    public EnumeratorCheckpoint<PendingT> deserialize(int version, byte[] serialized)
        throws IOException {
      if (version != VERSION) {
        throw new IOException(
            "enumerator checkpoint version "
                + version
                + " is not one this job reads ("
                + VERSION
                + "): the savepoint was taken by another version of the job");
      }
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
        if (in.readInt() != MAGIC) {
          throw new IOException(
              "the source's enumerator checkpoint is not in the restore-safe format: the savepoint was taken"
                  + " by a job that ran on the plain Flink runner, which this job cannot restore exactly once");
        }
        boolean done = in.readBoolean();
        int pendingVersion = in.readInt();
        byte[] pending = new byte[in.readInt()];
        in.readFully(pending);
        return new EnumeratorCheckpoint<>(
            done, pendingSerializer.deserialize(pendingVersion, pending));
      }
    }
  }
}
