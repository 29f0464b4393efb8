package io.taxietl.transforms.io.file;

import io.taxietl.avro.TripEvent;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/**
 * Writes {@link TripEvent}s into Parquet's columns directly, field by field, producing the same
 * file that parquet-avro's {@code AvroWriteSupport} writes for them: the Parquet schema that
 * parquet-avro derives from {@code TripEvent.avsc}, timestamps as timestamp-millis, and the Avro
 * schema in the footer under {@code parquet.avro.schema} (so Avro-based readers see the same
 * records).
 *
 * <p>Why: parquet-avro resolves every value of every record through Avro's generic data model
 * (field lookup by name, union resolution, logical-type conversion lookup); the benchmark's profile
 * put that at about a tenth of the job's CPU. The fields here are fixed by the schema, so they are
 * written in its order; {@code TripWriteSupportTest} fails if the schema gains a field this class
 * does not write.
 */
final class TripWriteSupport extends WriteSupport<TripEvent> {
  /** The Parquet schema parquet-avro derives from the trip's Avro schema, with default settings. */
  static final MessageType SCHEMA =
      new AvroSchemaConverter(new Configuration(false)).convert(TripEvent.getClassSchema());

  /** The footer key under which parquet-avro stores the Avro schema. */
  static final String AVRO_SCHEMA_KEY = "parquet.avro.schema";

  private RecordConsumer out;
  private int index;

  /** The name parquet-avro gives its write support, recorded in the footer as the writer model. */
  @Override
  public String getName() {
    return "avro";
  }

  @Override
  public WriteContext init(Configuration configuration) {
    Map<String, String> metadata = new HashMap<>();
    metadata.put(AVRO_SCHEMA_KEY, TripEvent.getClassSchema().toString());
    return new WriteContext(SCHEMA, metadata);
  }

  @Override
  public void prepareForWrite(RecordConsumer recordConsumer) {
    this.out = recordConsumer;
  }

  @Override
  public void write(TripEvent trip) {
    out.startMessage();
    index = 0;
    optionalInt(trip.getVendorId());
    requiredLong(trip.getPickupDatetime().toEpochMilli());
    requiredLong(trip.getDropoffDatetime().toEpochMilli());
    optionalInt(trip.getPassengerCount());
    optionalDouble(trip.getTripDistance());
    optionalInt(trip.getRatecodeId());
    optionalString(trip.getStoreAndFwdFlag());
    requiredInt(trip.getPickupLocationId());
    requiredInt(trip.getDropoffLocationId());
    optionalInt(trip.getPaymentType());
    optionalDouble(trip.getFareAmount());
    optionalDouble(trip.getExtra());
    optionalDouble(trip.getMtaTax());
    optionalDouble(trip.getTipAmount());
    optionalDouble(trip.getTollsAmount());
    optionalDouble(trip.getImprovementSurcharge());
    optionalDouble(trip.getTotalAmount());
    optionalDouble(trip.getCongestionSurcharge());
    optionalDouble(trip.getAirportFee());
    requiredLong(trip.getTripId());
    requiredString(trip.getType());
    optionalString(trip.getPadding());
    optionalString(trip.getPickupBorough());
    optionalString(trip.getPickupZone());
    optionalString(trip.getDropoffBorough());
    optionalString(trip.getDropoffZone());
    out.endMessage();
  }

  private void optionalInt(Integer value) {
    if (value != null) {
      String name = start();
      out.addInteger(value);
      end(name);
    } else {
      index++;
    }
  }

  private void requiredInt(int value) {
    String name = start();
    out.addInteger(value);
    end(name);
  }

  private void requiredString(CharSequence value) {
    String name = start();
    out.addBinary(Binary.fromString(value.toString()));
    end(name);
  }

  private void requiredLong(long value) {
    String name = start();
    out.addLong(value);
    end(name);
  }

  private void optionalDouble(Double value) {
    if (value != null) {
      String name = start();
      out.addDouble(value);
      end(name);
    } else {
      index++;
    }
  }

  private void optionalString(CharSequence value) {
    if (value != null) {
      String name = start();
      out.addBinary(Binary.fromString(value.toString()));
      end(name);
    } else {
      index++;
    }
  }

  private String start() {
    String name = SCHEMA.getFieldName(index);
    out.startField(name, index);
    return name;
  }

  private void end(String name) {
    out.endField(name, index);
    index++;
  }
}
