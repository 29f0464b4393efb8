package io.taxietl.replay;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import io.taxietl.avro.TripEvent;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * Writes trips as newline-delimited JSON input events, the shape the pipeline reads: one UTF-8 JSON
 * object per line, each line ended by {@code \n}, fields in the order of {@link TripEvent}'s
 * schema. Null fields are left out. Integer fields are JSON integers, amounts and distances JSON
 * numbers, times naive ISO local date-times ({@link #formatTime}).
 */
final class EventJsonWriter implements Closeable {
  private static final JsonFactory JSON =
      new JsonFactoryBuilder().rootValueSeparator((String) null).build();
  private static final DateTimeFormatter TO_SECOND =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss", Locale.ROOT);
  private static final DateTimeFormatter TO_MILLISECOND =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS", Locale.ROOT);

  private final JsonGenerator json;

  /** Writes to the stream, which {@link #close()} closes. */
  EventJsonWriter(OutputStream out) throws IOException {
    json = JSON.createGenerator(out, JsonEncoding.UTF8);
  }

  /** Writes one event line. */
  void write(TripEvent trip) throws IOException {
    json.writeStartObject();
    integer("vendor_id", trip.getVendorId());
    json.writeStringField("pickup_datetime", formatTime(trip.getPickupDatetime()));
    json.writeStringField("dropoff_datetime", formatTime(trip.getDropoffDatetime()));
    integer("passenger_count", trip.getPassengerCount());
    decimal("trip_distance", trip.getTripDistance());
    integer("ratecode_id", trip.getRatecodeId());
    text("store_and_fwd_flag", trip.getStoreAndFwdFlag());
    json.writeNumberField("pickup_location_id", trip.getPickupLocationId());
    json.writeNumberField("dropoff_location_id", trip.getDropoffLocationId());
    integer("payment_type", trip.getPaymentType());
    decimal("fare_amount", trip.getFareAmount());
    decimal("extra", trip.getExtra());
    decimal("mta_tax", trip.getMtaTax());
    decimal("tip_amount", trip.getTipAmount());
    decimal("tolls_amount", trip.getTollsAmount());
    decimal("improvement_surcharge", trip.getImprovementSurcharge());
    decimal("total_amount", trip.getTotalAmount());
    decimal("congestion_surcharge", trip.getCongestionSurcharge());
    decimal("airport_fee", trip.getAirportFee());
    json.writeNumberField("trip_id", trip.getTripId());
    json.writeStringField("type", trip.getType());
    text("padding", trip.getPadding());
    json.writeEndObject();
    json.writeRaw('\n');
  }

  /** Flushes and closes the underlying stream. */
  @Override
  public void close() throws IOException {
    json.close();
  }

  /**
   * A naive time (see {@link FieldValues#naive}) as an ISO local date-time such as {@code
   * 2019-03-01T00:13:12}: seconds always, then milliseconds only if the time has a non-zero
   * fraction of a second ({@code 2019-03-01T00:13:12.250}); finer digits are dropped.
   */
  static String formatTime(Instant time) {
    LocalDateTime millis =
        LocalDateTime.ofInstant(time, ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
    return (millis.getNano() == 0 ? TO_SECOND : TO_MILLISECOND).format(millis);
  }

  private void integer(String name, Integer value) throws IOException {
    if (value != null) {
      json.writeNumberField(name, value.intValue());
    }
  }

  private void decimal(String name, Double value) throws IOException {
    if (value != null) {
      json.writeNumberField(name, value.doubleValue());
    }
  }

  private void text(String name, String value) throws IOException {
    if (value != null) {
      json.writeStringField(name, value);
    }
  }
}
