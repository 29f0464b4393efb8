package io.taxietl.transforms.io.file;

import static io.taxietl.options.ParquetOutputOptions.DEFAULT_PARTITION_TEMPLATE;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.taxietl.avro.TripEvent;
import io.taxietl.transforms.parse.ParseOutcome;
import io.taxietl.transforms.parse.TripEventParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Partition folders (docs/parquet-output.md), computed from payloads parsed by {@link
 * TripEventParser} so that the whole path from payload text to folder is covered.
 */
class PartitionTemplateTest {

  private static final ZoneId UTC = ZoneOffset.UTC;
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

  /** A valid payload; timestamps are raw JSON values (quoted strings or numbers). */
  private static String payload(String pickup, String dropoff, int pickupLocation, String extra) {
    return "{\"trip_id\":190300001,\"type\":\"yellow\",\"pickup_datetime\":"
        + pickup
        + ",\"dropoff_datetime\":"
        + dropoff
        + ",\"pickup_location_id\":"
        + pickupLocation
        + ",\"dropoff_location_id\":142"
        + (extra.isEmpty() ? "" : "," + extra)
        + "}";
  }

  private static String quoted(String text) {
    return "\"" + text + "\"";
  }

  private static TripEvent parsedTrip(String json, ZoneId zone) {
    ParseOutcome outcome = new TripEventParser(zone).parse(json.getBytes(UTF_8));
    assertThat(outcome).as("outcome of %s", json).isInstanceOf(ParseOutcome.Trip.class);
    return ((ParseOutcome.Trip) outcome).event();
  }

  private static String partition(String template, ZoneId zone, String json) {
    return PartitionTemplate.parse(template, zone).partitionOf(parsedTrip(json, zone));
  }

  /** The default folder of a trip picked up at {@code pickup} (raw JSON) at location 239. */
  private static String defaultPartition(String pickup, ZoneId zone) {
    return partition(DEFAULT_PARTITION_TEMPLATE, zone, payload(pickup, pickup, 239, ""));
  }

  private static String defaultPartition(String pickup) {
    return defaultPartition(pickup, UTC);
  }

  /**
   * A trip picked up and dropped off at 2019-03-01 00:13:12 whose type is {@code type} (raw JSON).
   */
  private static String ofType(String type) {
    String time = quoted("2019-03-01 00:13:12");
    return payload(time, time, 239, "").replace("\"yellow\"", type);
  }

  @Nested
  class DefaultTemplate {

    @Test
    void contractSample() {
      String sample =
          "{\"vendor_id\":2,\"pickup_datetime\":\"2019-03-01T00:13:12\",\"dropoff_datetime\":"
              + "\"2019-03-01T00:21:40\",\"passenger_count\":1,\"trip_distance\":1.53,\"ratecode_id\":1,"
              + "\"store_and_fwd_flag\":\"N\",\"pickup_location_id\":239,\"dropoff_location_id\":142,"
              + "\"payment_type\":1,\"fare_amount\":7.5,\"extra\":0.5,\"mta_tax\":0.5,\"tip_amount\":1.76,"
              + "\"tolls_amount\":0.0,\"improvement_surcharge\":0.3,\"total_amount\":10.56,"
              + "\"congestion_surcharge\":2.5,\"trip_id\":190300001,\"type\":\"yellow\"}";

      assertThat(partition(DEFAULT_PARTITION_TEMPLATE, UTC, sample))
          .isEqualTo("pickup_location=239/year=2019/month=03");
    }

    @Test
    void monthBoundary() {
      assertThat(defaultPartition(quoted("2019-03-31T23:59:59.999")))
          .isEqualTo("pickup_location=239/year=2019/month=03");
      assertThat(defaultPartition(quoted("2019-04-01T00:00:00")))
          .isEqualTo("pickup_location=239/year=2019/month=04");
    }

    @Test
    void yearBoundary() {
      assertThat(defaultPartition(quoted("2018-12-31T23:59:59")))
          .isEqualTo("pickup_location=239/year=2018/month=12");
      assertThat(defaultPartition(quoted("2019-01-01 00:00:00")))
          .isEqualTo("pickup_location=239/year=2019/month=01");
    }

    @Test
    void offsetTimestampIsPartitionedInTheEventTimeZone() {
      // 2019-03-01T00:30+01:00 is 2019-02-28T23:30Z
      assertThat(defaultPartition(quoted("2019-03-01T00:30:00+01:00")))
          .isEqualTo("pickup_location=239/year=2019/month=02");
      // 2019-02-28T23:30-01:00 is 2019-03-01T00:30Z
      assertThat(defaultPartition(quoted("2019-02-28T23:30:00-01:00")))
          .isEqualTo("pickup_location=239/year=2019/month=03");
      // 2019-01-01T00:30+0100 is 2018-12-31T23:30Z
      assertThat(defaultPartition(quoted("2019-01-01T00:30:00+0100")))
          .isEqualTo("pickup_location=239/year=2018/month=12");
    }

    @Test
    void zuluTimestampInUtcAndInANonUtcZone() {
      assertThat(defaultPartition(quoted("2019-04-01T02:00:00Z")))
          .isEqualTo("pickup_location=239/year=2019/month=04");
      // 02:00Z on April 1st is 22:00 on March 31st in New York
      assertThat(defaultPartition(quoted("2019-04-01T02:00:00Z"), NEW_YORK))
          .isEqualTo("pickup_location=239/year=2019/month=03");
      // 20:00Z on March 31st is 05:00 on April 1st in Tokyo
      assertThat(defaultPartition(quoted("2019-03-31T20:00:00Z"), TOKYO))
          .isEqualTo("pickup_location=239/year=2019/month=04");
    }

    @Test
    void epochMilliseconds() {
      // 1551398400000 is 2019-03-01T00:00:00Z
      assertThat(defaultPartition("1551398400000"))
          .isEqualTo("pickup_location=239/year=2019/month=03");
      assertThat(defaultPartition("1551398399999"))
          .isEqualTo("pickup_location=239/year=2019/month=02");
      assertThat(defaultPartition("1551398400000", NEW_YORK))
          .isEqualTo("pickup_location=239/year=2019/month=02");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "UTC",
          "America/New_York",
          "Asia/Tokyo",
          "Pacific/Kiritimati",
          "Pacific/Pago_Pago"
        })
    void naiveTimestampLandsInItsOwnMonthWhateverTheZone(String zone) {
      ZoneId eventZone = ZoneId.of(zone);

      assertThat(defaultPartition(quoted("2019-03-01 00:13:12"), eventZone))
          .isEqualTo("pickup_location=239/year=2019/month=03");
      assertThat(defaultPartition(quoted("2019-03-31T23:59:59.999"), eventZone))
          .isEqualTo("pickup_location=239/year=2019/month=03");
      assertThat(defaultPartition(quoted("2018-12-31 23:59:59"), eventZone))
          .isEqualTo("pickup_location=239/year=2018/month=12");
    }

    @Test
    void pickupIn2008LandsIn2008() {
      assertThat(defaultPartition(quoted("2008-12-31 23:05:00")))
          .isEqualTo("pickup_location=239/year=2008/month=12");
    }

    @Test
    void yearsBefore1000AreZeroPadded() {
      assertThat(defaultPartition(quoted("0999-01-15T00:00:00")))
          .isEqualTo("pickup_location=239/year=0999/month=01");
    }

    @ParameterizedTest
    @CsvSource({"1, 001", "7, 007", "42, 042", "100, 100", "265, 265"})
    void locationIsZeroPaddedToThreeDigits(int location, String folder) {
      String time = quoted("2019-03-01 00:13:12");

      assertThat(partition(DEFAULT_PARTITION_TEMPLATE, UTC, payload(time, time, location, "")))
          .isEqualTo("pickup_location=" + folder + "/year=2019/month=03");
    }

    @Test
    void onlyThePickupTimeCounts() {
      String json = payload(quoted("2019-03-31 23:50:00"), quoted("2019-04-01 00:10:00"), 239, "");

      assertThat(partition(DEFAULT_PARTITION_TEMPLATE, UTC, json))
          .isEqualTo("pickup_location=239/year=2019/month=03");
    }
  }

  @Nested
  class CustomTemplates {

    @Test
    void typeDateAndHour() {
      String json = payload(quoted("2019-03-01 07:13:12"), quoted("2019-03-01 07:21:40"), 239, "");

      assertThat(partition("type={type}/date={pickup_date}/hour={pickup_hour:%02d}", UTC, json))
          .isEqualTo("type=yellow/date=2019-03-01/hour=07");
    }

    @Test
    void dateAndHourAreTakenInTheEventTimeZone() {
      // 03:00Z on March 1st is 22:00 on February 28th in New York
      String json =
          payload(quoted("2019-03-01T03:00:00Z"), quoted("2019-03-01T03:10:00Z"), 239, "");

      assertThat(partition("{pickup_date}/{pickup_hour:%02d}", NEW_YORK, json))
          .isEqualTo("2019-02-28/22");
      assertThat(partition("{pickup_date}/{pickup_hour:%02d}", UTC, json))
          .isEqualTo("2019-03-01/03");
    }

    @Test
    void unformattedIntegersAreNotPadded() {
      String json = payload(quoted("2019-03-01 07:13:12"), quoted("2019-03-01 07:21:40"), 7, "");

      String template =
          "{pickup_location_id}/{pickup_year}/{pickup_month}/{pickup_day}/{pickup_hour}";

      assertThat(partition(template, UTC, json)).isEqualTo("7/2019/3/1/7");
    }

    @Test
    void dropoffParts() {
      String json = payload(quoted("2019-03-31 23:50:00"), quoted("2019-04-01 01:10:00"), 239, "");

      assertThat(
              partition(
                  "dropoff_location={dropoff_location_id:%03d}/year={dropoff_year:%04d}/"
                      + "month={dropoff_month:%02d}/day={dropoff_day:%02d}/"
                      + "hour={dropoff_hour:%02d}/"
                      + "date={dropoff_date}",
                  UTC, json))
          .isEqualTo("dropoff_location=142/year=2019/month=04/day=01/hour=01/date=2019-04-01");
      assertThat(partition("{pickup_date}/{dropoff_date}", UTC, json))
          .isEqualTo("2019-03-31/2019-04-01");
    }

    @Test
    void optionalIntegerFields() {
      String time = quoted("2019-03-01 00:13:12");
      String json =
          payload(
              time,
              time,
              239,
              "\"vendor_id\":2,\"payment_type\":1,\"ratecode_id\":5,\"passenger_count\":3");

      assertThat(
              partition(
                  "v={vendor_id}/p={payment_type:%02d}/r={ratecode_id}/n={passenger_count:%03d}",
                  UTC, json))
          .isEqualTo("v=2/p=01/r=5/n=003");
    }

    @Test
    void nullOptionalFieldIsTheHiveDefaultPartition() {
      String time = quoted("2019-03-01 00:13:12");
      String json = payload(time, time, 239, "\"vendor_id\":null,\"payment_type\":\"\"");

      assertThat(
              partition(
                  "vendor={vendor_id}/payment={payment_type:%02d}/passengers={passenger_count:%s}",
                  UTC, json))
          .isEqualTo(
              "vendor=__HIVE_DEFAULT_PARTITION__/payment=__HIVE_DEFAULT_PARTITION__/"
                  + "passengers=__HIVE_DEFAULT_PARTITION__");
    }

    @Test
    void percentSOnAnIntegerFieldGivesItsPlainValue() {
      String time = quoted("2019-03-01 00:13:12");

      String json = payload(time, time, 7, "");

      assertThat(partition("{pickup_month:%s}/{pickup_location_id:%s}", UTC, json))
          .isEqualTo("3/7");
    }

    @Test
    void formattedStringFieldIsEscapedToo() {
      assertThat(partition("{type:%s}", UTC, ofType(quoted("../x")))).isEqualTo("%2E%2E%2Fx");
    }

    @Test
    void templateWithoutPlaceholders() {
      assertThat(partition("all/trips", UTC, ofType(quoted("yellow")))).isEqualTo("all/trips");
    }

    @Test
    void survivesJavaSerialization() throws IOException, ClassNotFoundException {
      PartitionTemplate template =
          PartitionTemplate.parse("{type}/" + DEFAULT_PARTITION_TEMPLATE, TOKYO);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(template);
      }
      PartitionTemplate copy;
      try (ObjectInputStream in =
          new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
        copy = (PartitionTemplate) in.readObject();
      }
      TripEvent trip = parsedTrip(ofType(quoted("green")), TOKYO);

      assertThat(copy.template()).isEqualTo(template.template());
      assertThat(copy.partitionOf(trip))
          .isEqualTo(template.partitionOf(trip))
          .isEqualTo("green/pickup_location=239/year=2019/month=03");
    }
  }

  @Nested
  class Escaping {

    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        value = {
          "a/b           | a%2Fb",
          "..            | %2E%2E",
          "../../etc     | %2E%2E%2F%2E%2E%2Fetc",
          "/abs          | %2Fabs",
          "yellow cab    | yellow%20cab",
          "a=b           | a%3Db",
          "x%2Fy         | x%252Fy",
          "back\\\\slash | back%5Cslash",
          "café          | caf%C3%A9",
          "green-fhv_2   | green-fhv_2",
        })
    void typeValueCannotLeaveItsFolder(String type, String folder) {
      String partition = partition("type={type}/year={pickup_year}", UTC, ofType(quoted(type)));

      assertThat(partition).isEqualTo("type=" + folder + "/year=2019");
    }

    @Test
    void escapedValueHasNoSeparatorOrDotSegment() {
      String partition = partition("{type}", UTC, ofType(quoted("../..")));

      assertThat(partition).doesNotContain("/").doesNotContain(".");
    }
  }

  @Nested
  class InvalidTemplates {

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @CsvSource(
        delimiter = '|',
        quoteCharacter = '`',
        value = {
          "``                                            | partition template is empty",
          "`   `                                         | partition template is empty",
          "year={pickup_yr}                              | names unknown field 'pickup_yr'",
          "{pickup_location}/year={pickup_year}          | names unknown field 'pickup_location'",
          "year={trip_distance}                          | names unknown field 'trip_distance'",
          "year={pickup_year                             | malformed placeholder near 'year={pickup_year'",
          "year=pickup_year}                             | malformed placeholder near 'year=pickup_year}'",
          "year={{pickup_year}}                          | malformed placeholder",
          "year={}                                       | malformed placeholder",
          "year={Pickup_Year}                            | malformed placeholder",
          "year={pickup_year:}                           | malformed placeholder",
          "year={pickup_year:04d}                        | malformed placeholder",
          "/year={pickup_year}                           | must be a relative folder path",
          "year={pickup_year}/                           | must be a relative folder path",
          "a//year={pickup_year}                         | must be a relative folder path",
          "../year={pickup_year}                         | must not contain '.' or '..' segments",
          "year={pickup_year}/../x                       | must not contain '.' or '..' segments",
          "year={pickup_year}/..                         | must not contain '.' or '..' segments",
          "./year={pickup_year}                          | must not contain '.' or '..' segments",
          "year={pickup_year:%5d}                        | would pad with spaces; use %05d",
          "loc={pickup_location_id:%3d}                  | would pad with spaces; use %03d",
          "year={pickup_year:%-5d}                       | would pad with spaces",
          "type={type:%10s}                              | would pad with spaces",
          "type={type:%d}                                | does not fit field 'type'",
          "type={type:%03d}                              | does not fit field 'type'",
          "year={pickup_year:%d%d}                       | does not fit field 'pickup_year'",
          "year={pickup_year:%q}                         | does not fit field 'pickup_year'",
          "year={pickup_year:%f}                         | does not fit field 'pickup_year'",
          "date={pickup_date:%d}                         | does not fit field 'pickup_date'",
        })
    void rejectedWithAMessageNamingTheProblem(String template, String problem) {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> PartitionTemplate.parse(template, UTC))
          .withMessageContaining(problem);
    }

    @Test
    void nullTemplateIsEmpty() {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> PartitionTemplate.parse(null, UTC))
          .withMessage("partition template is empty");
    }

    @Test
    void messageQuotesTheTemplate() {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> PartitionTemplate.parse("x={nope}", UTC))
          .withMessageStartingWith("partition template 'x={nope}'")
          .withMessageContaining("known fields: pickup_location_id, dropoff_location_id");
    }

    @Test
    void defaultTemplateIsValid() {
      assertThat(PartitionTemplate.parse(DEFAULT_PARTITION_TEMPLATE, UTC).template())
          .isEqualTo(DEFAULT_PARTITION_TEMPLATE);
    }
  }
}
