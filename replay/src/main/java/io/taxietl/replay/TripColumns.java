package io.taxietl.replay;

import io.taxietl.avro.TripEvent;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Which column of a kind of TLC file holds which trip field, and the one mapping of a row onto the
 * pipeline's {@link TripEvent}. Yellow and green files name most columns alike; they differ in the
 * six named here.
 *
 * @param vendorId the column of {@code vendor_id}
 * @param pickupDatetime the column of {@code pickup_datetime}
 * @param dropoffDatetime the column of {@code dropoff_datetime}
 * @param ratecodeId the column of {@code ratecode_id}
 * @param pickupLocationId the column of {@code pickup_location_id}
 * @param dropoffLocationId the column of {@code dropoff_location_id}
 */
record TripColumns(
    String vendorId,
    String pickupDatetime,
    String dropoffDatetime,
    String ratecodeId,
    String pickupLocationId,
    String dropoffLocationId) {

  /** The yellow CSV samples' snake_case header. */
  static final TripColumns YELLOW =
      new TripColumns(
          "vendor_id",
          "pickup_datetime",
          "dropoff_datetime",
          "rate_code_id",
          "pickup_location_id",
          "dropoff_location_id");

  /** The TLC's own column names, as in the green Parquet files. */
  static final TripColumns GREEN =
      new TripColumns(
          "VendorID",
          "lpep_pickup_datetime",
          "lpep_dropoff_datetime",
          "RatecodeID",
          "PULocationID",
          "DOLocationID");

  /** The current row of a reader: its values by column, null where the row has none. */
  interface Row {
    Integer wholeNumber(String column) throws TripFileException;

    Double decimal(String column) throws TripFileException;

    String text(String column);

    Instant timestamp(String column) throws TripFileException;
  }

  /**
   * The trip fields of a row; trip id and type are left unset, and so is a field every trip needs
   * (pickup and drop-off time and location) that the row leaves empty: the builder then tells (its
   * {@code has...}).
   */
  TripEvent.Builder decode(Row row) throws TripFileException {
    TripEvent.Builder trip =
        TripEvent.newBuilder()
            .setVendorId(row.wholeNumber(vendorId))
            .setPassengerCount(row.wholeNumber("passenger_count"))
            .setTripDistance(row.decimal("trip_distance"))
            .setRatecodeId(row.wholeNumber(ratecodeId))
            .setStoreAndFwdFlag(row.text("store_and_fwd_flag"))
            .setPaymentType(row.wholeNumber("payment_type"))
            .setFareAmount(row.decimal("fare_amount"))
            .setExtra(row.decimal("extra"))
            .setMtaTax(row.decimal("mta_tax"))
            .setTipAmount(row.decimal("tip_amount"))
            .setTollsAmount(row.decimal("tolls_amount"))
            .setImprovementSurcharge(row.decimal("improvement_surcharge"))
            .setTotalAmount(row.decimal("total_amount"))
            .setCongestionSurcharge(row.decimal("congestion_surcharge"))
            .setAirportFee(row.decimal("airport_fee"));
    setIfPresent(row.timestamp(pickupDatetime), trip::setPickupDatetime);
    setIfPresent(row.timestamp(dropoffDatetime), trip::setDropoffDatetime);
    setIfPresent(row.wholeNumber(pickupLocationId), trip::setPickupLocationId);
    setIfPresent(row.wholeNumber(dropoffLocationId), trip::setDropoffLocationId);
    return trip;
  }

  /** The fields every trip has take no null: one the row lacks stays unset. */
  private static <T> void setIfPresent(T value, Consumer<T> setter) {
    if (value != null) {
      setter.accept(value);
    }
  }
}
