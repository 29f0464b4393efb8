package io.taxietl.transforms;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.taxietl.avro.TripEvent;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Arrays;
import org.apache.beam.sdk.coders.CoderException;

/**
 * The byte layout of a {@link TripEvent} that {@link TripEventCoder} writes (format version 2),
 * written into a growable byte array and read from an array or a stream: one definition of the
 * format for the coder of single trips and for coders of many trips at once.
 *
 * <p>Layout, in schema order: the format version, a bit mask of the optional fields that are null,
 * then each present value: ints and longs as unsigned LEB128 varints (Beam's {@code VarInt}:
 * negative ints take five bytes), doubles as their 8 IEEE bytes big-endian, strings as a varint
 * length and UTF-8, timestamps as epoch milliseconds.
 *
 * <p>Version 2 added the zone names (pickup and dropoff borough and zone) after {@code padding}.
 * Version 1 (before them) is refused with a message that says why: the encoding is part of the
 * runner's state, so snapshots written with it cannot be restored by this version.
 */
public final class TripEventFormat {
  /** The first byte of every encoded trip. */
  public static final int VERSION = 2;

  private TripEventFormat() {}

  /** Appends {@code trip} to {@code out}. */
  public static void write(TripEvent trip, Bytes out) throws CoderException {
    if (trip == null || trip.getType() == null) {
      throw new CoderException("cannot encode a null TripEvent or one without its type: " + trip);
    }
    out.writeByte(VERSION);
    out.writeVarLong(nullMask(trip) & 0xFFFFFFFFL);
    writeInt(out, trip.getVendorId());
    out.writeVarLong(trip.getPickupDatetime().toEpochMilli());
    out.writeVarLong(trip.getDropoffDatetime().toEpochMilli());
    writeInt(out, trip.getPassengerCount());
    writeDouble(out, trip.getTripDistance());
    writeInt(out, trip.getRatecodeId());
    writeString(out, trip.getStoreAndFwdFlag());
    out.writeVarLong(trip.getPickupLocationId() & 0xFFFFFFFFL);
    out.writeVarLong(trip.getDropoffLocationId() & 0xFFFFFFFFL);
    writeInt(out, trip.getPaymentType());
    writeDouble(out, trip.getFareAmount());
    writeDouble(out, trip.getExtra());
    writeDouble(out, trip.getMtaTax());
    writeDouble(out, trip.getTipAmount());
    writeDouble(out, trip.getTollsAmount());
    writeDouble(out, trip.getImprovementSurcharge());
    writeDouble(out, trip.getTotalAmount());
    writeDouble(out, trip.getCongestionSurcharge());
    writeDouble(out, trip.getAirportFee());
    out.writeVarLong(trip.getTripId());
    writeString(out, trip.getType());
    writeString(out, trip.getPadding());
    writeString(out, trip.getPickupBorough());
    writeString(out, trip.getPickupZone());
    writeString(out, trip.getDropoffBorough());
    writeString(out, trip.getDropoffZone());
  }

  /** Reads one trip, its version byte first. */
  public static TripEvent read(Input in) throws IOException {
    checkVersion(in.readByte());
    return readAfterVersion(in);
  }

  /**
   * Fails unless {@code version} is {@link #VERSION}, saying that state of an earlier version
   * cannot be restored.
   */
  public static void checkVersion(int version) throws CoderException {
    if (version != VERSION) {
      throw new CoderException(
          "unknown TripEvent encoding version "
              + version
              + ", expected "
              + VERSION
              + (version < VERSION
                  ? ": state written by an earlier version of the pipeline, whose snapshots this"
                      + " version cannot restore (start it without restoring)"
                  : ""));
    }
  }

  /** Reads one trip whose version byte was already read (and was {@link #VERSION}). */
  public static TripEvent readAfterVersion(Input in) throws IOException {
    int nulls = in.readVarInt();
    Integer vendorId = present(nulls, 0) ? in.readVarInt() : null;
    Instant pickup = Instant.ofEpochMilli(in.readVarLong());
    Instant dropoff = Instant.ofEpochMilli(in.readVarLong());
    Integer passengerCount = present(nulls, 1) ? in.readVarInt() : null;
    Double tripDistance = present(nulls, 2) ? in.readDouble() : null;
    Integer ratecodeId = present(nulls, 3) ? in.readVarInt() : null;
    String storeAndFwdFlag = present(nulls, 4) ? in.readString() : null;
    int pickupLocation = in.readVarInt();
    int dropoffLocation = in.readVarInt();
    Integer paymentType = present(nulls, 5) ? in.readVarInt() : null;
    Double fareAmount = present(nulls, 6) ? in.readDouble() : null;
    Double extra = present(nulls, 7) ? in.readDouble() : null;
    Double mtaTax = present(nulls, 8) ? in.readDouble() : null;
    Double tipAmount = present(nulls, 9) ? in.readDouble() : null;
    Double tollsAmount = present(nulls, 10) ? in.readDouble() : null;
    Double improvementSurcharge = present(nulls, 11) ? in.readDouble() : null;
    Double totalAmount = present(nulls, 12) ? in.readDouble() : null;
    Double congestionSurcharge = present(nulls, 13) ? in.readDouble() : null;
    Double airportFee = present(nulls, 14) ? in.readDouble() : null;
    long tripId = in.readVarLong();
    String type = in.readString();
    String padding = present(nulls, 15) ? in.readString() : null;
    String pickupBorough = present(nulls, 16) ? in.readString() : null;
    String pickupZone = present(nulls, 17) ? in.readString() : null;
    String dropoffBorough = present(nulls, 18) ? in.readString() : null;
    String dropoffZone = present(nulls, 19) ? in.readString() : null;
    return new TripEvent(
        vendorId,
        pickup,
        dropoff,
        passengerCount,
        tripDistance,
        ratecodeId,
        storeAndFwdFlag,
        pickupLocation,
        dropoffLocation,
        paymentType,
        fareAmount,
        extra,
        mtaTax,
        tipAmount,
        tollsAmount,
        improvementSurcharge,
        totalAmount,
        congestionSurcharge,
        airportFee,
        tripId,
        type,
        padding,
        pickupBorough,
        pickupZone,
        dropoffBorough,
        dropoffZone);
  }

  /** Bit i set: the i-th optional field (in schema order) is null. */
  private static int nullMask(TripEvent trip) {
    return bit(0, trip.getVendorId())
        | bit(1, trip.getPassengerCount())
        | bit(2, trip.getTripDistance())
        | bit(3, trip.getRatecodeId())
        | bit(4, trip.getStoreAndFwdFlag())
        | bit(5, trip.getPaymentType())
        | bit(6, trip.getFareAmount())
        | bit(7, trip.getExtra())
        | bit(8, trip.getMtaTax())
        | bit(9, trip.getTipAmount())
        | bit(10, trip.getTollsAmount())
        | bit(11, trip.getImprovementSurcharge())
        | bit(12, trip.getTotalAmount())
        | bit(13, trip.getCongestionSurcharge())
        | bit(14, trip.getAirportFee())
        | bit(15, trip.getPadding())
        | bit(16, trip.getPickupBorough())
        | bit(17, trip.getPickupZone())
        | bit(18, trip.getDropoffBorough())
        | bit(19, trip.getDropoffZone());
  }

  private static int bit(int index, Object optionalValue) {
    return optionalValue == null ? 1 << index : 0;
  }

  private static boolean present(int nullMask, int index) {
    return (nullMask & (1 << index)) == 0;
  }

  private static void writeInt(Bytes out, Integer value) {
    if (value != null) {
      out.writeVarLong(value & 0xFFFFFFFFL);
    }
  }

  private static void writeDouble(Bytes out, Double value) {
    if (value != null) {
      out.writeLong(Double.doubleToLongBits(value));
    }
  }

  private static void writeString(Bytes out, CharSequence value) {
    if (value != null) {
      byte[] utf8 = value.toString().getBytes(UTF_8);
      out.writeVarLong(utf8.length);
      out.write(utf8, 0, utf8.length);
    }
  }

  /** A growable byte array to write into; reusable after {@link #reset}. Not thread-safe. */
  public static final class Bytes {
    private byte[] buffer;
    private int size;

    public Bytes(int initialCapacity) {
      buffer = new byte[Math.max(16, initialCapacity)];
    }

    public int size() {
      return size;
    }

    public void reset() {
      size = 0;
    }

    public void writeTo(OutputStream out) throws IOException {
      out.write(buffer, 0, size);
    }

    public void writeByte(int b) {
      ensure(1);
      buffer[size++] = (byte) b;
    }

    /** An unsigned LEB128 varint, as Beam's {@code VarInt.encode(long)}. */
    public void writeVarLong(long value) {
      ensure(10);
      while ((value & ~0x7FL) != 0) {
        buffer[size++] = (byte) ((value & 0x7F) | 0x80);
        value >>>= 7;
      }
      buffer[size++] = (byte) value;
    }

    void writeLong(long value) {
      ensure(8);
      for (int shift = 56; shift >= 0; shift -= 8) {
        buffer[size++] = (byte) (value >>> shift);
      }
    }

    public void write(byte[] bytes, int offset, int length) {
      ensure(length);
      System.arraycopy(bytes, offset, buffer, size, length);
      size += length;
    }

    /** Appends everything written to {@code other}. */
    public void write(Bytes other) {
      write(other.buffer, 0, other.size);
    }

    private void ensure(int more) {
      if (size + more > buffer.length) {
        buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
      }
    }
  }

  /** Bytes to read trips from: an array, or a stream read byte by byte. */
  public abstract static class Input {
    /** Reads from {@code bytes[offset, offset + length)}. */
    public static Input of(byte[] bytes, int offset, int length) {
      return new ArrayInput(bytes, offset, length);
    }

    /** Reads from {@code in}, never past the last byte of what it reads. */
    public static Input of(InputStream in) {
      return new StreamInput(in);
    }

    /** The next byte, 0 to 255. */
    public abstract int readByte() throws IOException;

    abstract void readFully(byte[] into, int length) throws IOException;

    /** An unsigned LEB128 varint, as Beam's {@code VarInt.decodeLong}. */
    public long readVarLong() throws IOException {
      long result = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        int b = readByte();
        result |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          return result;
        }
      }
      throw new CoderException("varint too long");
    }

    /** A varint of an int, as Beam's {@code VarInt.decodeInt}. */
    public int readVarInt() throws IOException {
      long value = readVarLong();
      if ((value & 0xFFFFFFFFL) != value) {
        throw new CoderException("varint overflows an int: " + value);
      }
      return (int) value;
    }

    double readDouble() throws IOException {
      long bits = 0;
      for (int i = 0; i < 8; i++) {
        bits = (bits << 8) | readByte();
      }
      return Double.longBitsToDouble(bits);
    }

    String readString() throws IOException {
      int length = readVarInt();
      if (length < 0) {
        throw new CoderException("negative string length " + length);
      }
      byte[] utf8 = new byte[length];
      readFully(utf8, length);
      return new String(utf8, UTF_8);
    }
  }

  private static final class ArrayInput extends Input {
    private final byte[] bytes;
    private final int limit;
    private int position;

    ArrayInput(byte[] bytes, int offset, int length) {
      this.bytes = bytes;
      this.position = offset;
      this.limit = offset + length;
    }

    @Override
    public int readByte() throws IOException {
      if (position >= limit) {
        throw new EOFException("the encoded trips end early");
      }
      return bytes[position++] & 0xFF;
    }

    @Override
    void readFully(byte[] into, int length) throws IOException {
      if (position + length > limit) {
        throw new EOFException("the encoded trips end early");
      }
      System.arraycopy(bytes, position, into, 0, length);
      position += length;
    }
  }

  private static final class StreamInput extends Input {
    private final InputStream in;

    StreamInput(InputStream in) {
      this.in = in;
    }

    @Override
    public int readByte() throws IOException {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("the encoded trip ends early");
      }
      return b;
    }

    @Override
    void readFully(byte[] into, int length) throws IOException {
      if (in.readNBytes(into, 0, length) != length) {
        throw new EOFException("the encoded trip ends early");
      }
    }
  }
}
