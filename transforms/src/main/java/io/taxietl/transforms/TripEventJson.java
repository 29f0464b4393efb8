package io.taxietl.transforms;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.taxietl.avro.TripEvent;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * Writes a trip as JSON in the input contract's shape: the same field names, timestamps as ISO-8601
 * UTC strings (e.g. {@code 2019-03-01T00:13:12Z}), null fields left out. What the Kafka sink produces
 * and what another instance of this pipeline reads back unchanged.
 */
public final class TripEventJson {
  private static final JsonFactory JSON = new JsonFactory();

  private TripEventJson() {}

  public static String toJson(TripEvent trip) {
    StringWriter out = new StringWriter(512);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      writeNumber(json, "vendor_id", trip.getVendorId());
      json.writeStringField("pickup_datetime", trip.getPickupDatetime().toString());
      json.writeStringField("dropoff_datetime", trip.getDropoffDatetime().toString());
      writeNumber(json, "passenger_count", trip.getPassengerCount());
      writeNumber(json, "trip_distance", trip.getTripDistance());
      writeNumber(json, "ratecode_id", trip.getRatecodeId());
      writeString(json, "store_and_fwd_flag", trip.getStoreAndFwdFlag());
      json.writeNumberField("pickup_location_id", trip.getPickupLocationId());
      json.writeNumberField("dropoff_location_id", trip.getDropoffLocationId());
      writeNumber(json, "payment_type", trip.getPaymentType());
      writeNumber(json, "fare_amount", trip.getFareAmount());
      writeNumber(json, "extra", trip.getExtra());
      writeNumber(json, "mta_tax", trip.getMtaTax());
      writeNumber(json, "tip_amount", trip.getTipAmount());
      writeNumber(json, "tolls_amount", trip.getTollsAmount());
      writeNumber(json, "improvement_surcharge", trip.getImprovementSurcharge());
      writeNumber(json, "total_amount", trip.getTotalAmount());
      writeNumber(json, "congestion_surcharge", trip.getCongestionSurcharge());
      writeNumber(json, "airport_fee", trip.getAirportFee());
      json.writeNumberField("trip_id", trip.getTripId());
      json.writeStringField("type", trip.getType());
      writeString(json, "padding", trip.getPadding());
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to a StringWriter cannot fail", e);
    }
    return out.toString();
  }

  private static void writeNumber(JsonGenerator json, String name, Integer value) throws IOException {
    if (value != null) {
      json.writeNumberField(name, value);
    }
  }

  private static void writeNumber(JsonGenerator json, String name, Double value) throws IOException {
    if (value != null) {
      json.writeNumberField(name, value);
    }
  }

  private static void writeString(JsonGenerator json, String name, String value) throws IOException {
    if (value != null) {
      json.writeStringField(name, value);
    }
  }
}
