package io.taxietl.transforms;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.taxietl.avro.TripEvent;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.VarInt;

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
 * <p>A new field in the schema needs a new format version here ({@code TripEventCoderTest} fails
 * until the coder writes every field). The encoding is part of the runner's state: savepoints taken
 * with another encoding cannot be restored (an earlier version using {@code AvroCoder}, or format
 * 1, before the zone names); decoding one fails with a message that says so.
 */
public final class TripEventCoder extends AtomicCoder<TripEvent> {
  private static final TripEventCoder INSTANCE = new TripEventCoder();

  /**
   * 2: the zone names (pickup and dropoff borough and zone) after {@code padding}. 1 (before them)
   * is refused: see the class comment.
   */
  private static final int FORMAT_VERSION = 2;

  private TripEventCoder() {}

  public static TripEventCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(TripEvent trip, OutputStream outStream) throws IOException {
    if (trip == null || trip.getType() == null) {
      throw new CoderException("cannot encode a null TripEvent or one without its type: " + trip);
    }
    DataOutputStream out = new DataOutputStream(outStream);
    out.writeByte(FORMAT_VERSION);
    VarInt.encode(nullMask(trip), out);
    writeInt(out, trip.getVendorId());
    VarInt.encode(trip.getPickupDatetime().toEpochMilli(), out);
    VarInt.encode(trip.getDropoffDatetime().toEpochMilli(), out);
    writeInt(out, trip.getPassengerCount());
    writeDouble(out, trip.getTripDistance());
    writeInt(out, trip.getRatecodeId());
    writeString(out, trip.getStoreAndFwdFlag());
    VarInt.encode(trip.getPickupLocationId(), out);
    VarInt.encode(trip.getDropoffLocationId(), out);
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
    VarInt.encode(trip.getTripId(), out);
    writeString(out, trip.getType());
    writeString(out, trip.getPadding());
    writeString(out, trip.getPickupBorough());
    writeString(out, trip.getPickupZone());
    writeString(out, trip.getDropoffBorough());
    writeString(out, trip.getDropoffZone());
  }

  @Override
  public TripEvent decode(InputStream inStream) throws IOException {
    DataInputStream in = new DataInputStream(inStream);
    int version = in.readUnsignedByte();
    if (version != FORMAT_VERSION) {
      throw new CoderException(
          "unknown TripEvent encoding version "
              + version
              + ", expected "
              + FORMAT_VERSION
              + (version < FORMAT_VERSION
                  ? ": state written by an earlier version of the pipeline, whose snapshots this"
                      + " version cannot restore (start it without restoring)"
                  : ""));
    }
    int nulls = VarInt.decodeInt(in);
    Nulls present = new Nulls(nulls);
    Integer vendorId = present.next() ? VarInt.decodeInt(in) : null;
    Instant pickup = Instant.ofEpochMilli(VarInt.decodeLong(in));
    Instant dropoff = Instant.ofEpochMilli(VarInt.decodeLong(in));
    Integer passengerCount = present.next() ? VarInt.decodeInt(in) : null;
    Double tripDistance = present.next() ? in.readDouble() : null;
    Integer ratecodeId = present.next() ? VarInt.decodeInt(in) : null;
    String storeAndFwdFlag = present.next() ? readString(in) : null;
    int pickupLocation = VarInt.decodeInt(in);
    int dropoffLocation = VarInt.decodeInt(in);
    Integer paymentType = present.next() ? VarInt.decodeInt(in) : null;
    Double fareAmount = present.next() ? in.readDouble() : null;
    Double extra = present.next() ? in.readDouble() : null;
    Double mtaTax = present.next() ? in.readDouble() : null;
    Double tipAmount = present.next() ? in.readDouble() : null;
    Double tollsAmount = present.next() ? in.readDouble() : null;
    Double improvementSurcharge = present.next() ? in.readDouble() : null;
    Double totalAmount = present.next() ? in.readDouble() : null;
    Double congestionSurcharge = present.next() ? in.readDouble() : null;
    Double airportFee = present.next() ? in.readDouble() : null;
    long tripId = VarInt.decodeLong(in);
    String type = readString(in);
    String padding = present.next() ? readString(in) : null;
    String pickupBorough = present.next() ? readString(in) : null;
    String pickupZone = present.next() ? readString(in) : null;
    String dropoffBorough = present.next() ? readString(in) : null;
    String dropoffZone = present.next() ? readString(in) : null;
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

  /**
   * Equal trips encode to equal bytes: every value has one encoding (doubles by their exact bits).
   */
  @Override
  public void verifyDeterministic() {}

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

  private static void writeInt(DataOutputStream out, Integer value) throws IOException {
    if (value != null) {
      VarInt.encode(value.intValue(), out);
    }
  }

  private static void writeDouble(DataOutputStream out, Double value) throws IOException {
    if (value != null) {
      out.writeDouble(value);
    }
  }

  private static void writeString(DataOutputStream out, CharSequence value) throws IOException {
    if (value != null) {
      byte[] bytes = value.toString().getBytes(UTF_8);
      VarInt.encode(bytes.length, out);
      out.write(bytes);
    }
  }

  private static String readString(DataInputStream in) throws IOException {
    int length = VarInt.decodeInt(in);
    if (length < 0) {
      throw new CoderException("negative string length " + length);
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return new String(bytes, UTF_8);
  }

  /** Walks the optional fields' null mask in schema order. */
  private static final class Nulls {
    private final int mask;
    private int index;

    Nulls(int mask) {
      this.mask = mask;
    }

    /** Whether the next optional field is present (not null). */
    boolean next() {
      return (mask & (1 << index++)) == 0;
    }
  }
}
