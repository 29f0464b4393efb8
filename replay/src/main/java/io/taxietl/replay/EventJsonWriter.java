package io.taxietl.replay;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * Writes trips as newline-delimited JSON input events (docs/input-events.md): one UTF-8 JSON object per line,
 * each line ended by {@code \n}, fields in the contract's order. Null fields are left out. Integer fields are
 * JSON integers, amounts and distances JSON numbers, times naive ISO local date-times ({@link #formatTime}).
 */
final class EventJsonWriter implements Closeable {
  private static final JsonFactory JSON = new JsonFactoryBuilder().rootValueSeparator((String) null).build();
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
  void write(TripRecord trip) throws IOException {
    json.writeStartObject();
    integer("vendor_id", trip.vendorId());
    time("pickup_datetime", trip.pickupDatetime());
    time("dropoff_datetime", trip.dropoffDatetime());
    integer("passenger_count", trip.passengerCount());
    decimal("trip_distance", trip.tripDistance());
    integer("ratecode_id", trip.ratecodeId());
    text("store_and_fwd_flag", trip.storeAndFwdFlag());
    integer("pickup_location_id", trip.pickupLocationId());
    integer("dropoff_location_id", trip.dropoffLocationId());
    integer("payment_type", trip.paymentType());
    decimal("fare_amount", trip.fareAmount());
    decimal("extra", trip.extra());
    decimal("mta_tax", trip.mtaTax());
    decimal("tip_amount", trip.tipAmount());
    decimal("tolls_amount", trip.tollsAmount());
    decimal("improvement_surcharge", trip.improvementSurcharge());
    decimal("total_amount", trip.totalAmount());
    decimal("congestion_surcharge", trip.congestionSurcharge());
    decimal("airport_fee", trip.airportFee());
    json.writeNumberField("trip_id", trip.tripId());
    json.writeStringField("type", trip.type().eventType());
    json.writeEndObject();
    json.writeRaw('\n');
  }

  /** Flushes and closes the underlying stream. */
  @Override
  public void close() throws IOException {
    json.close();
  }

  /**
   * A naive ISO local date-time such as {@code 2019-03-01T00:13:12}: seconds always, then milliseconds only if
   * the time has a non-zero fraction of a second ({@code 2019-03-01T00:13:12.250}); finer digits are dropped.
   */
  static String formatTime(LocalDateTime time) {
    LocalDateTime millis = time.truncatedTo(ChronoUnit.MILLIS);
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

  private void time(String name, LocalDateTime value) throws IOException {
    if (value != null) {
      json.writeStringField(name, formatTime(value));
    }
  }
}
