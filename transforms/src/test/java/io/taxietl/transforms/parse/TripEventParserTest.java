package io.taxietl.transforms.parse;

import static java.nio.charset.StandardCharsets.UTF_16;
import static java.nio.charset.StandardCharsets.UTF_16LE;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.taxietl.avro.TripEvent;
import io.taxietl.transforms.event.EventSize;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The input contract (docs/input-events.md and docs/dead-letters.md) as seen by {@link
 * TripEventParser}.
 */
class TripEventParserTest {

  private static final long SAMPLE_TRIP_ID = 190300001L;
  private static final Instant SAMPLE_PICKUP = Instant.parse("2019-03-01T00:13:12Z");
  private static final Instant SAMPLE_DROPOFF = Instant.parse("2019-03-01T00:21:40Z");

  private static final String[] REQUIRED_FIELDS = {
    "trip_id",
    "type",
    "pickup_datetime",
    "dropoff_datetime",
    "pickup_location_id",
    "dropoff_location_id"
  };
  private static final String[] OPTIONAL_FIELDS = {
    "vendor_id",
    "passenger_count",
    "trip_distance",
    "ratecode_id",
    "store_and_fwd_flag",
    "payment_type",
    "fare_amount",
    "extra",
    "mta_tax",
    "tip_amount",
    "tolls_amount",
    "improvement_surcharge",
    "total_amount",
    "congestion_surcharge",
    "airport_fee",
    "padding"
  };

  /** The contract's example payload, field by field, as raw JSON values. */
  private static Map<String, String> sampleFields() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("vendor_id", "2");
    fields.put("pickup_datetime", "\"2019-03-01T00:13:12\"");
    fields.put("dropoff_datetime", "\"2019-03-01T00:21:40\"");
    fields.put("passenger_count", "1");
    fields.put("trip_distance", "1.53");
    fields.put("ratecode_id", "1");
    fields.put("store_and_fwd_flag", "\"N\"");
    fields.put("pickup_location_id", "239");
    fields.put("dropoff_location_id", "142");
    fields.put("payment_type", "1");
    fields.put("fare_amount", "7.5");
    fields.put("extra", "0.5");
    fields.put("mta_tax", "0.5");
    fields.put("tip_amount", "1.76");
    fields.put("tolls_amount", "0.0");
    fields.put("improvement_surcharge", "0.3");
    fields.put("total_amount", "10.56");
    fields.put("congestion_surcharge", "2.5");
    fields.put("trip_id", "190300001");
    fields.put("type", "\"yellow\"");
    return fields;
  }

  private static final String SAMPLE = json(sampleFields());

  /**
   * The contract's sample with some fields changed: pairs of name and raw JSON value; a null value
   * removes the field, a name not in the sample is appended.
   */
  private static String sampleWith(String... nameValuePairs) {
    Map<String, String> fields = sampleFields();
    for (int i = 0; i < nameValuePairs.length; i += 2) {
      if (nameValuePairs[i + 1] == null) {
        fields.remove(nameValuePairs[i]);
      } else {
        fields.put(nameValuePairs[i], nameValuePairs[i + 1]);
      }
    }
    return json(fields);
  }

  /** Only the required fields, with the sample's values. */
  private static String requiredOnly(String... extraNameValuePairs) {
    Map<String, String> fields = new LinkedHashMap<>();
    Map<String, String> sample = sampleFields();
    for (String name : REQUIRED_FIELDS) {
      fields.put(name, sample.get(name));
    }
    for (int i = 0; i < extraNameValuePairs.length; i += 2) {
      fields.put(extraNameValuePairs[i], extraNameValuePairs[i + 1]);
    }
    return json(fields);
  }

  private static String json(Map<String, String> fields) {
    StringJoiner json = new StringJoiner(",", "{", "}");
    fields.forEach((name, value) -> json.add("\"" + name + "\":" + value));
    return json.toString();
  }

  private static String quoted(String text) {
    return "\"" + text + "\"";
  }

  private static ParseOutcome parse(String json) {
    return parse(json, ZoneOffset.UTC);
  }

  private static ParseOutcome parse(String json, ZoneId zone) {
    return new TripEventParser(zone).parse(json.getBytes(UTF_8));
  }

  private static TripEvent trip(String json) {
    return trip(json, ZoneOffset.UTC);
  }

  private static TripEvent trip(String json, ZoneId zone) {
    ParseOutcome outcome = parse(json, zone);
    assertThat(outcome).as("outcome of %s", json).isInstanceOf(ParseOutcome.Trip.class);
    return ((ParseOutcome.Trip) outcome).event();
  }

  private static ParseOutcome.Rejected rejected(byte[] payload, RejectionReason reason) {
    ParseOutcome outcome = new TripEventParser(ZoneOffset.UTC).parse(payload);
    assertThat(outcome)
        .as("outcome of %s", new String(payload, UTF_8))
        .isInstanceOf(ParseOutcome.Rejected.class);
    ParseOutcome.Rejected rejected = (ParseOutcome.Rejected) outcome;
    assertThat(rejected.reason()).as("reason (message: %s)", rejected.message()).isEqualTo(reason);
    return rejected;
  }

  private static ParseOutcome.Rejected rejected(String json, RejectionReason reason) {
    return rejected(json.getBytes(UTF_8), reason);
  }

  private static Instant pickupOf(String rawValue) {
    return trip(sampleWith("pickup_datetime", rawValue, "dropoff_datetime", "4102444800000"))
        .getPickupDatetime();
  }

  private static void assertEveryOptionalFieldIsNull(TripEvent trip) {
    assertThat(trip.getVendorId()).as("vendor_id").isNull();
    assertThat(trip.getPassengerCount()).as("passenger_count").isNull();
    assertThat(trip.getTripDistance()).as("trip_distance").isNull();
    assertThat(trip.getRatecodeId()).as("ratecode_id").isNull();
    assertThat(trip.getStoreAndFwdFlag()).as("store_and_fwd_flag").isNull();
    assertThat(trip.getPaymentType()).as("payment_type").isNull();
    assertThat(trip.getFareAmount()).as("fare_amount").isNull();
    assertThat(trip.getExtra()).as("extra").isNull();
    assertThat(trip.getMtaTax()).as("mta_tax").isNull();
    assertThat(trip.getTipAmount()).as("tip_amount").isNull();
    assertThat(trip.getTollsAmount()).as("tolls_amount").isNull();
    assertThat(trip.getImprovementSurcharge()).as("improvement_surcharge").isNull();
    assertThat(trip.getTotalAmount()).as("total_amount").isNull();
    assertThat(trip.getCongestionSurcharge()).as("congestion_surcharge").isNull();
    assertThat(trip.getAirportFee()).as("airport_fee").isNull();
    assertThat(trip.getPadding()).as("padding").isNull();
  }

  private static void assertRequiredFieldsOfSample(TripEvent trip) {
    assertThat(trip.getTripId()).isEqualTo(SAMPLE_TRIP_ID);
    assertThat(trip.getType()).isEqualTo("yellow");
    assertThat(trip.getPickupDatetime()).isEqualTo(SAMPLE_PICKUP);
    assertThat(trip.getDropoffDatetime()).isEqualTo(SAMPLE_DROPOFF);
    assertThat(trip.getPickupLocationId()).isEqualTo(239);
    assertThat(trip.getDropoffLocationId()).isEqualTo(142);
  }

  @Nested
  class Accepted {

    @Test
    void contractSampleParsesEveryField() {
      TripEvent trip = trip(SAMPLE);

      assertThat(trip.getVendorId()).isEqualTo(2);
      assertThat(trip.getPickupDatetime()).isEqualTo(SAMPLE_PICKUP);
      assertThat(trip.getDropoffDatetime()).isEqualTo(SAMPLE_DROPOFF);
      assertThat(trip.getPassengerCount()).isEqualTo(1);
      assertThat(trip.getTripDistance()).isEqualTo(1.53);
      assertThat(trip.getRatecodeId()).isEqualTo(1);
      assertThat(trip.getStoreAndFwdFlag()).isEqualTo("N");
      assertThat(trip.getPickupLocationId()).isEqualTo(239);
      assertThat(trip.getDropoffLocationId()).isEqualTo(142);
      assertThat(trip.getPaymentType()).isEqualTo(1);
      assertThat(trip.getFareAmount()).isEqualTo(7.5);
      assertThat(trip.getExtra()).isEqualTo(0.5);
      assertThat(trip.getMtaTax()).isEqualTo(0.5);
      assertThat(trip.getTipAmount()).isEqualTo(1.76);
      assertThat(trip.getTollsAmount()).isEqualTo(0.0);
      assertThat(trip.getImprovementSurcharge()).isEqualTo(0.3);
      assertThat(trip.getTotalAmount()).isEqualTo(10.56);
      assertThat(trip.getCongestionSurcharge()).isEqualTo(2.5);
      assertThat(trip.getAirportFee()).isNull();
      assertThat(trip.getTripId()).isEqualTo(SAMPLE_TRIP_ID);
      assertThat(trip.getType()).isEqualTo("yellow");
      assertThat(trip.getPadding()).isNull();
    }

    @Test
    void timestampWithTOrSpaceSeparatorIsTheSameInstant() {
      assertThat(pickupOf(quoted("2019-03-01T00:13:12"))).isEqualTo(SAMPLE_PICKUP);
      assertThat(pickupOf(quoted("2019-03-01 00:13:12"))).isEqualTo(SAMPLE_PICKUP);
    }

    @Test
    void fractionalSecondsKeepMilliseconds() {
      assertThat(pickupOf(quoted("2019-03-01T00:13:12.345")))
          .isEqualTo(Instant.parse("2019-03-01T00:13:12.345Z"));
      assertThat(pickupOf(quoted("2019-03-01 00:13:12.5")))
          .isEqualTo(Instant.parse("2019-03-01T00:13:12.500Z"));
      assertThat(pickupOf(quoted("2019-03-01T00:13:12.123456789")))
          .isEqualTo(Instant.parse("2019-03-01T00:13:12.123Z"));
      assertThat(pickupOf(quoted("2019-03-01T00:13:12.999Z")))
          .isEqualTo(Instant.parse("2019-03-01T00:13:12.999Z"));
    }

    @Test
    void zuluSuffixIsUtcWhateverTheEventTimeZone() {
      String json = sampleWith("pickup_datetime", quoted("2019-03-01T00:13:12Z"));

      assertThat(trip(json).getPickupDatetime()).isEqualTo(SAMPLE_PICKUP);
      assertThat(trip(json, ZoneId.of("America/New_York")).getPickupDatetime())
          .isEqualTo(SAMPLE_PICKUP);
    }

    @Test
    void positiveOffsetIsSubtracted() {
      assertThat(pickupOf(quoted("2019-03-01T00:13:12+01:00")))
          .isEqualTo(Instant.parse("2019-02-28T23:13:12Z"));
      assertThat(pickupOf(quoted("2019-03-01 05:43:12.250+05:30")))
          .isEqualTo(Instant.parse("2019-03-01T00:13:12.250Z"));
    }

    @Test
    void negativeOffsetIsAdded() {
      assertThat(pickupOf(quoted("2019-03-01T00:13:12-05:00")))
          .isEqualTo(Instant.parse("2019-03-01T05:13:12Z"));
    }

    @Test
    void offsetWithoutColonIsAccepted() {
      assertThat(pickupOf(quoted("2019-03-01T00:13:12+0100")))
          .isEqualTo(Instant.parse("2019-02-28T23:13:12Z"));
      assertThat(pickupOf(quoted("2019-03-01T00:13:12-0330")))
          .isEqualTo(Instant.parse("2019-03-01T03:43:12Z"));
    }

    @Test
    void offsetTimestampIgnoresTheEventTimeZone() {
      String json =
          sampleWith(
              "pickup_datetime", quoted("2019-03-01T00:13:12+01:00"),
              "dropoff_datetime", quoted("2019-03-01T00:21:40+01:00"));

      TripEvent trip = trip(json, ZoneId.of("Asia/Tokyo"));

      assertThat(trip.getPickupDatetime()).isEqualTo(Instant.parse("2019-02-28T23:13:12Z"));
      assertThat(trip.getDropoffDatetime()).isEqualTo(Instant.parse("2019-02-28T23:21:40Z"));
    }

    @Test
    void epochMillisecondsAsJsonNumbers() {
      TripEvent trip =
          trip(sampleWith("pickup_datetime", "1551399192345", "dropoff_datetime", "1551399700000"));

      assertThat(trip.getPickupDatetime()).isEqualTo(Instant.parse("2019-03-01T00:13:12.345Z"));
      assertThat(trip.getDropoffDatetime()).isEqualTo(SAMPLE_DROPOFF);
    }

    @Test
    void epochMillisecondsDoNotDependOnTheEventTimeZone() {
      String json = sampleWith("pickup_datetime", "1551399192000");

      assertThat(trip(json, ZoneId.of("America/New_York")).getPickupDatetime())
          .isEqualTo(SAMPLE_PICKUP);
    }

    @Test
    void naiveTimestampIsReadInTheEventTimeZone() {
      TripEvent newYork = trip(SAMPLE, ZoneId.of("America/New_York"));
      TripEvent tokyo = trip(SAMPLE, ZoneId.of("Asia/Tokyo"));

      assertThat(newYork.getPickupDatetime()).isEqualTo(Instant.parse("2019-03-01T05:13:12Z"));
      assertThat(newYork.getDropoffDatetime()).isEqualTo(Instant.parse("2019-03-01T05:21:40Z"));
      assertThat(tokyo.getPickupDatetime()).isEqualTo(Instant.parse("2019-02-28T15:13:12Z"));
    }

    @Test
    void naiveTimestampUsesTheZoneRulesOfItsOwnDate() {
      // New York is UTC-5 in winter and UTC-4 after the switch to daylight saving time.
      String summer =
          sampleWith(
              "pickup_datetime", quoted("2019-07-01 00:13:12"),
              "dropoff_datetime", quoted("2019-07-01 00:21:40"));

      assertThat(trip(summer, ZoneId.of("America/New_York")).getPickupDatetime())
          .isEqualTo(Instant.parse("2019-07-01T04:13:12Z"));
    }

    @Test
    void numbersAsNumericStrings() {
      TripEvent trip =
          trip(
              sampleWith(
                  "vendor_id", quoted("2"),
                  "trip_distance", quoted("1.53"),
                  "pickup_location_id", quoted("239"),
                  "dropoff_location_id", quoted(" 142 "),
                  "fare_amount", quoted("7.5"),
                  "total_amount", quoted("-10.56"),
                  "trip_id", quoted("190300001")));

      assertThat(trip.getVendorId()).isEqualTo(2);
      assertThat(trip.getTripDistance()).isEqualTo(1.53);
      assertThat(trip.getPickupLocationId()).isEqualTo(239);
      assertThat(trip.getDropoffLocationId()).isEqualTo(142);
      assertThat(trip.getFareAmount()).isEqualTo(7.5);
      assertThat(trip.getTotalAmount()).isEqualTo(-10.56);
      assertThat(trip.getTripId()).isEqualTo(SAMPLE_TRIP_ID);
    }

    @Test
    void integralDoublesForIntegerFields() {
      TripEvent trip =
          trip(
              sampleWith(
                  "passenger_count", "1.0",
                  "vendor_id", quoted("2.0"),
                  "pickup_location_id", "239.0",
                  "dropoff_location_id", "1.42e2",
                  "trip_id", "190300001.0"));

      assertThat(trip.getPassengerCount()).isEqualTo(1);
      assertThat(trip.getVendorId()).isEqualTo(2);
      assertThat(trip.getPickupLocationId()).isEqualTo(239);
      assertThat(trip.getDropoffLocationId()).isEqualTo(142);
      assertThat(trip.getTripId()).isEqualTo(SAMPLE_TRIP_ID);
    }

    @Test
    void integerValuesForDoubleFields() {
      TripEvent trip = trip(sampleWith("trip_distance", "3", "fare_amount", quoted("12")));

      assertThat(trip.getTripDistance()).isEqualTo(3.0);
      assertThat(trip.getFareAmount()).isEqualTo(12.0);
    }

    @Test
    void absentOptionalFieldsAreNull() {
      TripEvent trip = trip(requiredOnly());

      assertRequiredFieldsOfSample(trip);
      assertEveryOptionalFieldIsNull(trip);
    }

    @Test
    void nullOptionalFieldsAreNull() {
      String[] nulls = new String[OPTIONAL_FIELDS.length * 2];
      for (int i = 0; i < OPTIONAL_FIELDS.length; i++) {
        nulls[2 * i] = OPTIONAL_FIELDS[i];
        nulls[2 * i + 1] = "null";
      }
      TripEvent trip = trip(requiredOnly(nulls));

      assertRequiredFieldsOfSample(trip);
      assertEveryOptionalFieldIsNull(trip);
    }

    @Test
    void emptyStringOptionalFieldsAreNull() {
      String[] empties = new String[OPTIONAL_FIELDS.length * 2];
      for (int i = 0; i < OPTIONAL_FIELDS.length; i++) {
        empties[2 * i] = OPTIONAL_FIELDS[i];
        empties[2 * i + 1] = "\"\"";
      }
      TripEvent trip = trip(requiredOnly(empties));

      assertRequiredFieldsOfSample(trip);
      assertEveryOptionalFieldIsNull(trip);
    }

    @Test
    void airportFeeAndPadding() {
      TripEvent trip =
          trip(sampleWith("airport_fee", "1.25", "padding", quoted("xxxxxxxxxxxxxxxx")));

      assertThat(trip.getAirportFee()).isEqualTo(1.25);
      assertThat(trip.getPadding()).isEqualTo("xxxxxxxxxxxxxxxx");
    }

    @Test
    void unknownFieldsAreIgnored() {
      TripEvent trip =
          trip(
              sampleWith(
                  "unknown_number",
                  "42",
                  "unknown_null",
                  "null",
                  "unknown_object",
                  "{\"trip_id\":\"abc\",\"nested\":{\"type\":[1,2,{\"x\":null}]},\"pickup_location_id\":0}",
                  "unknown_array",
                  "[1,\"two\",{\"trip_id\":7},[true,false]]",
                  "unknown_string",
                  quoted("{\\\"not\\\":\\\"parsed\\\"}")));

      assertThat(trip).isEqualTo(trip(SAMPLE));
    }

    @Test
    void originalSampleTypeTrip() {
      TripEvent trip = trip(sampleWith("type", quoted("trip")));

      assertThat(trip.getType()).isEqualTo("trip");
      assertThat(trip.getTripId()).isEqualTo(SAMPLE_TRIP_ID);
    }

    @ParameterizedTest
    @ValueSource(strings = {"yellow", "green", "fhv", "trip"})
    void everyContractTypeIsAccepted(String type) {
      assertThat(trip(sampleWith("type", quoted(type))).getType()).isEqualTo(type);
    }

    @Test
    void watermarkEventIsNotATrip() {
      ParseOutcome outcome =
          parse("{\"watermark\":\"2019-03-01T00:00:00Z\",\"type\":\"watermark\"}");

      assertThat(outcome).isEqualTo(new ParseOutcome.Watermark());
    }

    @Test
    void pickupYearsOutsideTheMonthAreNotRejected() {
      TripEvent trip =
          trip(
              sampleWith(
                  "pickup_datetime", quoted("2008-12-31 23:05:00"),
                  "dropoff_datetime", quoted("2008-12-31 23:20:00")));

      assertThat(trip.getPickupDatetime()).isEqualTo(Instant.parse("2008-12-31T23:05:00Z"));
      assertThat(trip.getDropoffDatetime()).isEqualTo(Instant.parse("2008-12-31T23:20:00Z"));
    }

    @Test
    void equalPickupAndDropoffAreAccepted() {
      TripEvent trip = trip(sampleWith("dropoff_datetime", quoted("2019-03-01 00:13:12")));

      assertThat(trip.getDropoffDatetime()).isEqualTo(trip.getPickupDatetime());
    }

    @Test
    void equalInstantsWrittenWithDifferentOffsetsAreAccepted() {
      TripEvent trip = trip(sampleWith("dropoff_datetime", quoted("2019-03-01T01:13:12+01:00")));

      assertThat(trip.getDropoffDatetime()).isEqualTo(SAMPLE_PICKUP);
    }

    @ParameterizedTest
    @CsvSource({"1, 265", "265, 1", "1, 1", "265, 265"})
    void locationBoundariesAreAccepted(int pickupLocation, int dropoffLocation) {
      TripEvent trip =
          trip(
              sampleWith(
                  "pickup_location_id", String.valueOf(pickupLocation),
                  "dropoff_location_id", String.valueOf(dropoffLocation)));

      assertThat(trip.getPickupLocationId()).isEqualTo(pickupLocation);
      assertThat(trip.getDropoffLocationId()).isEqualTo(dropoffLocation);
    }

    @Test
    void zeroDistanceIsAccepted() {
      assertThat(trip(sampleWith("trip_distance", "0")).getTripDistance()).isEqualTo(0.0);
      assertThat(trip(sampleWith("trip_distance", "0.0")).getTripDistance()).isEqualTo(0.0);
    }
  }

  @Nested
  class MalformedJson {

    @ParameterizedTest
    @ValueSource(
        strings = {
          "not json at all",
          "[1,2,3]",
          "[{\"trip_id\":190300001}]",
          "\"a JSON string\"",
          "42",
          "null",
          "{\"trip_id\":190300001,\"type\":\"yel",
          "{\"trip_id\":190300001",
          "{\"trip_id\":190300001,",
          "{\"trip_id\":",
          "{",
          "{'trip_id':190300001}",
          "{trip_id:190300001}",
          "{\"trip_id\":190300001,\"trip_id\":190300002}",
        })
    void payloadThatIsNotOneJsonObject(String payload) {
      ParseOutcome.Rejected rejected = rejected(payload, RejectionReason.MALFORMED_JSON);

      assertThat(rejected.message()).isNotBlank();
      assertThat(rejected.tripId()).isNull();
    }

    @Test
    void jsonArrayIsNotAnObject() {
      ParseOutcome.Rejected rejected = rejected("[" + SAMPLE + "]", RejectionReason.MALFORMED_JSON);

      assertThat(rejected.message()).isEqualTo("payload is not a JSON object");
      assertThat(rejected.tripId()).isNull();
    }

    @Test
    void jsonStringIsNotAnObject() {
      ParseOutcome.Rejected rejected = rejected(quoted("hello"), RejectionReason.MALFORMED_JSON);

      assertThat(rejected.message()).isEqualTo("payload is not a JSON object");
    }

    @Test
    void truncatedObject() {
      String truncated = SAMPLE.substring(0, SAMPLE.length() - 10);

      ParseOutcome.Rejected rejected = rejected(truncated, RejectionReason.MALFORMED_JSON);

      assertThat(rejected.message()).startsWith("not valid JSON: ");
      assertThat(rejected.tripId()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {" x", "}", ",", "{}", " " + "{\"type\":\"yellow\"}", "]", "null"})
    void contentAfterTheObject(String trailing) {
      ParseOutcome.Rejected rejected = rejected(SAMPLE + trailing, RejectionReason.MALFORMED_JSON);

      assertThat(rejected.message()).containsAnyOf("after the JSON object", "not valid JSON");
      assertThat(rejected.tripId()).isNull();
    }

    @Test
    void trailingWhitespaceIsNotGarbage() {
      assertThat(trip(SAMPLE + " \r\n\t")).isEqualTo(trip(SAMPLE));
    }

    @Test
    void invalidUtf8StartByte() {
      byte[] payload = {0x7b, (byte) 0xff, 0x22, 0x61, 0x22, 0x3a, 0x31, 0x7d};

      ParseOutcome.Rejected rejected = rejected(payload, RejectionReason.MALFORMED_JSON);

      assertThat(rejected.message())
          .isEqualTo("not valid UTF-8 JSON: unexpected byte 0xFF at offset 1");
      assertThat(rejected.tripId()).isNull();
    }

    @Test
    void invalidUtf8InsideAFieldValue() {
      int offset = SAMPLE.indexOf("yellow\"") + "yellow".length();

      assertThat(rejected(withBytesInType((byte) 0xff), RejectionReason.MALFORMED_JSON).message())
          .isEqualTo("not valid UTF-8 JSON: unexpected byte 0xFF at offset " + offset);
      // a lead byte of a two-byte sequence followed by an ASCII letter
      assertThat(
              rejected(withBytesInType((byte) 0xc3, (byte) 0x41), RejectionReason.MALFORMED_JSON)
                  .message())
          .isEqualTo("not valid UTF-8 JSON: unexpected byte 0xC3 at offset " + offset);
    }

    @Test
    void invalidUtf8InsideAnUnknownFieldIsStillMalformed() {
      byte[] prefix = "{\"note\":\"caf".getBytes(UTF_8);
      byte[] suffix = ("\"," + SAMPLE.substring(1)).getBytes(UTF_8);
      byte[] payload = new byte[prefix.length + 1 + suffix.length];
      System.arraycopy(prefix, 0, payload, 0, prefix.length);
      payload[prefix.length] = (byte) 0xe9; // 'é' in ISO-8859-1, not UTF-8
      System.arraycopy(suffix, 0, payload, prefix.length + 1, suffix.length);

      assertThat(rejected(payload, RejectionReason.MALFORMED_JSON).message())
          .isEqualTo("not valid UTF-8 JSON: unexpected byte 0xE9 at offset " + prefix.length);
    }

    @Test
    void overlongUtf8EncodingIsMalformed() {
      // 0xC0 0xAF and 0xE0 0x80 0xAF are overlong (invalid) encodings of '/'
      byte[] twoBytes = withBytesInType((byte) 0xc0, (byte) 0xaf);
      byte[] threeBytes = withBytesInType((byte) 0xe0, (byte) 0x80, (byte) 0xaf);

      assertThat(rejected(twoBytes, RejectionReason.MALFORMED_JSON).message())
          .startsWith("not valid UTF-8 JSON: unexpected byte 0xC0 at offset ");
      assertThat(rejected(threeBytes, RejectionReason.MALFORMED_JSON).message())
          .startsWith("not valid UTF-8 JSON: unexpected byte 0xE0 at offset ");
    }

    @Test
    void utf8EncodedSurrogateIsMalformed() {
      // 0xED 0xA0 0x80 would be the lone surrogate U+D800, which UTF-8 cannot encode
      byte[] payload = withBytesInType((byte) 0xed, (byte) 0xa0, (byte) 0x80);

      assertThat(rejected(payload, RejectionReason.MALFORMED_JSON).message())
          .startsWith("not valid UTF-8 JSON: unexpected byte 0xED at offset ");
    }

    @Test
    void codePointAboveUnicodeRangeIsMalformed() {
      // 0xF4 0x90 0x80 0x80 would be U+110000
      rejected(
          withBytesInType((byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80),
          RejectionReason.MALFORMED_JSON);
    }

    @Test
    void truncatedMultiByteSequenceAtTheEnd() {
      byte[] json = SAMPLE.getBytes(UTF_8);
      byte[] payload = Arrays.copyOf(json, json.length + 2);
      payload[json.length] = (byte) 0xe2;
      payload[json.length + 1] = (byte) 0x82;

      assertThat(rejected(payload, RejectionReason.MALFORMED_JSON).message())
          .isEqualTo("not valid UTF-8 JSON: unexpected byte 0xE2 at offset " + json.length);
    }

    @Test
    void utf16EncodedPayloadIsMalformed() {
      // Jackson alone would detect and accept these encodings; the contract says UTF-8.
      assertThat(rejected(SAMPLE.getBytes(UTF_16LE), RejectionReason.MALFORMED_JSON).message())
          .isEqualTo("not valid UTF-8 JSON: unexpected byte 0x00 at offset 1");
      assertThat(rejected(SAMPLE.getBytes(UTF_16), RejectionReason.MALFORMED_JSON).message())
          .isEqualTo("not valid UTF-8 JSON: unexpected byte 0xFE at offset 0");
    }

    @Test
    void validMultiByteUtf8IsKept() {
      TripEvent trip = trip(sampleWith("padding", quoted("café – 東京 🚕")));

      assertThat(trip.getPadding()).isEqualTo("café – 東京 🚕");
    }

    @Test
    void emptyPayload() {
      ParseOutcome.Rejected rejected = rejected(new byte[0], RejectionReason.MALFORMED_JSON);

      assertThat(rejected.message()).isEqualTo("payload is not a JSON object");
      assertThat(rejected.tripId()).isNull();
    }

    @Test
    void whitespaceOnlyPayload() {
      rejected(" \n ", RejectionReason.MALFORMED_JSON);
    }

    /** The sample payload with {@code bytes} appended inside the value of {@code type}. */
    private byte[] withBytesInType(byte... bytes) {
      String marker = "\"yellow\"";
      int at = SAMPLE.indexOf(marker) + marker.length() - 1;
      byte[] head = SAMPLE.substring(0, at).getBytes(UTF_8);
      byte[] tail = SAMPLE.substring(at).getBytes(UTF_8);
      byte[] payload = new byte[head.length + bytes.length + tail.length];
      System.arraycopy(head, 0, payload, 0, head.length);
      System.arraycopy(bytes, 0, payload, head.length, bytes.length);
      System.arraycopy(tail, 0, payload, head.length + bytes.length, tail.length);
      return payload;
    }
  }

  @Nested
  class MissingField {

    @ParameterizedTest
    @ValueSource(
        strings = {
          "trip_id",
          "type",
          "pickup_datetime",
          "dropoff_datetime",
          "pickup_location_id",
          "dropoff_location_id"
        })
    void requiredFieldAbsent(String field) {
      ParseOutcome.Rejected rejected =
          rejected(sampleWith(field, null), RejectionReason.MISSING_FIELD);

      assertThat(rejected.message()).isEqualTo("required field " + field + " is missing or null");
      assertThat(rejected.tripId()).isEqualTo(field.equals("trip_id") ? null : SAMPLE_TRIP_ID);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "trip_id",
          "type",
          "pickup_datetime",
          "dropoff_datetime",
          "pickup_location_id",
          "dropoff_location_id"
        })
    void requiredFieldNull(String field) {
      ParseOutcome.Rejected rejected =
          rejected(sampleWith(field, "null"), RejectionReason.MISSING_FIELD);

      assertThat(rejected.message()).isEqualTo("required field " + field + " is missing or null");
      assertThat(rejected.tripId()).isEqualTo(field.equals("trip_id") ? null : SAMPLE_TRIP_ID);
    }

    @Test
    void emptyTypeIsMissing() {
      ParseOutcome.Rejected rejected =
          rejected(sampleWith("type", "\"\""), RejectionReason.MISSING_FIELD);

      assertThat(rejected.message()).isEqualTo("required field type is missing or null");
      assertThat(rejected.tripId()).isEqualTo(SAMPLE_TRIP_ID);
    }

    @Test
    void severalMissingFieldsAreAllNamed() {
      ParseOutcome.Rejected rejected =
          rejected(
              sampleWith("pickup_datetime", null, "dropoff_location_id", "null"),
              RejectionReason.MISSING_FIELD);

      assertThat(rejected.message())
          .isEqualTo("required fields pickup_datetime, dropoff_location_id are missing or null");
      assertThat(rejected.tripId()).isEqualTo(SAMPLE_TRIP_ID);
    }

    @Test
    void emptyObjectNamesEveryRequiredField() {
      ParseOutcome.Rejected rejected = rejected("{}", RejectionReason.MISSING_FIELD);

      assertThat(rejected.message())
          .isEqualTo(
              "required fields trip_id, type, pickup_datetime, dropoff_datetime, pickup_location_id, "
                  + "dropoff_location_id are missing or null");
      assertThat(rejected.tripId()).isNull();
    }
  }

  @Nested
  class InvalidField {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(
        delimiter = '|',
        quoteCharacter = '`',
        value = {
          "pickup_datetime     | \"2020-13-45 00:00:00\"        | expected an ISO-8601 date-time or epoch milliseconds, got \"2020-13-45 00:00:00\"",
          "dropoff_datetime    | \"2019-02-30T00:00:00\"        | expected an ISO-8601 date-time or epoch milliseconds, got \"2019-02-30T00:00:00\"",
          "pickup_datetime     | \"2019-03-01T24:00:00\"        | expected an ISO-8601 date-time or epoch milliseconds",
          "pickup_datetime     | \"2019-03-01T00:13:12+25:00\"  | expected an ISO-8601 date-time or epoch milliseconds",
          "pickup_datetime     | \"2019-03-01T00:13:12 UTC\"    | expected an ISO-8601 date-time or epoch milliseconds",
          "pickup_datetime     | \"03/01/2019 00:13:12\"        | expected an ISO-8601 date-time or epoch milliseconds",
          "pickup_datetime     | \"yesterday\"                  | expected an ISO-8601 date-time or epoch milliseconds, got \"yesterday\"",
          "pickup_datetime     | 1551399192000.5                | expected an ISO-8601 date-time or epoch milliseconds, got 1551399192000.5",
          "pickup_datetime     | 1.551399192E12                 | expected an ISO-8601 date-time or epoch milliseconds",
          "dropoff_datetime    | true                           | expected an ISO-8601 date-time or epoch milliseconds, got true",
          "pickup_datetime     | 99999999999999999999           | epoch milliseconds out of range",
          "pickup_location_id  | 1.5                            | expected an integer, got 1.5",
          "dropoff_location_id | \"12a\"                        | expected an integer, got \"12a\"",
          "pickup_location_id  | 3000000000                     | expected an integer, got 3000000000",
          "passenger_count     | true                           | expected an integer, got true",
          "vendor_id           | [2]                            | expected an integer, got an array",
          "type                | {\"name\":\"yellow\"}          | expected a string, got an object",
          "type                | 5                              | expected a string, got 5",
          "store_and_fwd_flag  | false                          | expected a string, got false",
          "fare_amount         | \"NaN\"                        | expected a number, got \"NaN\"",
          "tip_amount          | \"Infinity\"                   | expected a number, got \"Infinity\"",
          "total_amount        | \"1e400\"                      | expected a finite number, got \"1e400\"",
          "total_amount        | 1e400                          | expected a finite number, got 1e400",
          "extra               | \"0.5 USD\"                    | expected a number, got \"0.5 USD\"",
        })
    void wrongTypeOrUnparseableValue(String field, String rawValue, String expected) {
      ParseOutcome.Rejected rejected =
          rejected(sampleWith(field, rawValue), RejectionReason.INVALID_FIELD);

      assertThat(rejected.message()).startsWith("field " + field + ": " + expected);
      assertThat(rejected.tripId()).isEqualTo(SAMPLE_TRIP_ID);
    }

    @Test
    void nonNumericTripIdHasNoTripId() {
      ParseOutcome.Rejected rejected =
          rejected(sampleWith("trip_id", quoted("abc")), RejectionReason.INVALID_FIELD);

      assertThat(rejected.message()).isEqualTo("field trip_id: expected an integer, got \"abc\"");
      assertThat(rejected.tripId()).isNull();
    }

    @Test
    void tripIdTooBigForLong() {
      ParseOutcome.Rejected rejected =
          rejected(sampleWith("trip_id", "99999999999999999999"), RejectionReason.INVALID_FIELD);

      assertThat(rejected.message())
          .isEqualTo("field trip_id: expected an integer, got 99999999999999999999");
      assertThat(rejected.tripId()).isNull();
    }

    @Test
    void fractionalTripId() {
      ParseOutcome.Rejected rejected =
          rejected(sampleWith("trip_id", "190300001.5"), RejectionReason.INVALID_FIELD);

      assertThat(rejected.message())
          .isEqualTo("field trip_id: expected an integer, got 190300001.5");
    }

    @Test
    void longValuesAreShortenedInTheMessage() {
      String longValue = "x".repeat(500);

      ParseOutcome.Rejected rejected =
          rejected(
              sampleWith("pickup_location_id", quoted(longValue)), RejectionReason.INVALID_FIELD);

      assertThat(rejected.message())
          .isEqualTo(
              "field pickup_location_id: expected an integer, got \"" + "x".repeat(60) + "...\"");
    }

    @Test
    void invalidFieldWinsOverMissingField() {
      ParseOutcome.Rejected rejected =
          rejected(
              sampleWith("type", null, "pickup_location_id", "1.5"), RejectionReason.INVALID_FIELD);

      assertThat(rejected.message()).startsWith("field pickup_location_id: ");
    }

    @Test
    void invalidTimestampAfterTripIdStillKnowsTheTripId() {
      String json =
          "{\"trip_id\":77,\"type\":\"green\",\"pickup_datetime\":\"2020-13-45 00:00:00\","
              + "\"dropoff_datetime\":\"2020-01-01 00:00:00\",\"pickup_location_id\":1,"
              + "\"dropoff_location_id\":2}";

      assertThat(rejected(json, RejectionReason.INVALID_FIELD).tripId()).isEqualTo(77L);
    }
  }

  @Nested
  class Validation {

    @Test
    void dropoffBeforePickup() {
      ParseOutcome.Rejected rejected =
          rejected(
              sampleWith("dropoff_datetime", quoted("2019-03-01T00:13:11.999")),
              RejectionReason.DROPOFF_BEFORE_PICKUP);

      assertThat(rejected.message())
          .isEqualTo(
              "dropoff_datetime 2019-03-01T00:13:11.999Z is before pickup_datetime 2019-03-01T00:13:12Z");
      assertThat(rejected.tripId()).isEqualTo(SAMPLE_TRIP_ID);
    }

    @Test
    void dropoffBeforePickupComparesInstantsNotWallClocks() {
      // 01:00 at +02:00 is 23:00 UTC the day before: earlier than the naive UTC pickup at 00:13
      ParseOutcome.Rejected rejected =
          rejected(
              sampleWith("dropoff_datetime", quoted("2019-03-01T01:00:00+02:00")),
              RejectionReason.DROPOFF_BEFORE_PICKUP);

      assertThat(rejected.message()).contains("2019-02-28T23:00:00Z");
    }

    @ParameterizedTest
    @CsvSource({
      "pickup_location_id, 0",
      "pickup_location_id, 266",
      "pickup_location_id, -1",
      "dropoff_location_id, 0",
      "dropoff_location_id, 266",
      "dropoff_location_id, -142",
    })
    void locationOutOfRange(String field, int value) {
      ParseOutcome.Rejected rejected =
          rejected(sampleWith(field, String.valueOf(value)), RejectionReason.LOCATION_OUT_OF_RANGE);

      assertThat(rejected.message()).isEqualTo(field + " " + value + " is outside 1..265");
      assertThat(rejected.tripId()).isEqualTo(SAMPLE_TRIP_ID);
    }

    @Test
    void bothLocationsOutOfRange() {
      ParseOutcome.Rejected rejected =
          rejected(
              sampleWith("pickup_location_id", "0", "dropoff_location_id", "300"),
              RejectionReason.LOCATION_OUT_OF_RANGE);

      assertThat(rejected.message()).contains("is outside 1..265");
      assertThat(rejected.tripId()).isEqualTo(SAMPLE_TRIP_ID);
    }

    @Test
    void negativeDistance() {
      ParseOutcome.Rejected rejected =
          rejected(sampleWith("trip_distance", "-1.53"), RejectionReason.NEGATIVE_DISTANCE);

      assertThat(rejected.message()).isEqualTo("trip_distance -1.53 is negative");
      assertThat(rejected.tripId()).isEqualTo(SAMPLE_TRIP_ID);
    }

    @Test
    void negativeDistanceAsNumericString() {
      ParseOutcome.Rejected rejected =
          rejected(sampleWith("trip_distance", quoted("-0.01")), RejectionReason.NEGATIVE_DISTANCE);

      assertThat(rejected.message()).isEqualTo("trip_distance -0.01 is negative");
    }
  }

  /**
   * What an upstream system may send by mistake or malice: each is a rejection with a reason, never
   * an exception, a deep recursion or a slow conversion.
   */
  @Nested
  class HostileInput {

    @Test
    void anEventOverTheSizeLimitIsRejectedUnread() {
      String padded = sampleWith("padding", quoted("x".repeat(EventSize.MAX_BYTES)));

      ParseOutcome.Rejected rejected = rejected(padded, RejectionReason.TOO_LARGE);

      assertThat(rejected.message())
          .isEqualTo("event larger than 524,288 bytes, the most one event may have");
      assertThat(rejected.tripId()).isNull();
      assertThat(RejectionReason.TOO_LARGE.stage()).isEqualTo("parse");
    }

    @Test
    void anEventJustWithinTheLimitIsATrip() {
      String padding = "x".repeat(EventSize.MAX_BYTES - SAMPLE.length() - 20);
      String padded = sampleWith("padding", quoted(padding));
      assertThat(padded.getBytes(StandardCharsets.UTF_8).length)
          .isLessThanOrEqualTo(EventSize.MAX_BYTES);

      assertThat(parse(padded)).isInstanceOf(ParseOutcome.Trip.class);
    }

    @Test
    void jsonNestedAHundredThousandDeepIsMalformedWithoutRecursion() {
      String deepArray = "[".repeat(100_000);
      String deepInUnknownField = "{\"x\":" + "{\"a\":".repeat(100_000);
      String deepButClosed =
          SAMPLE.substring(0, SAMPLE.length() - 1)
              + ",\"x\":"
              + "[".repeat(100_000)
              + "]".repeat(100_000)
              + "}";

      assertThat(rejected(deepArray, RejectionReason.MALFORMED_JSON).message())
          .isEqualTo("payload is not a JSON object");
      assertThat(rejected(deepInUnknownField, RejectionReason.MALFORMED_JSON).message())
          .contains("nesting depth (1000)");
      assertThat(rejected(deepButClosed, RejectionReason.MALFORMED_JSON).message())
          .contains("nesting depth (1000)");
    }

    @Test
    void aNumberOfAThousandDigitsIsReadAndALongerOneIsRefusedBeforeConversion() {
      String longest = "1".repeat(JsonFieldValues.MAX_NUMBER_CHARS);
      String tooLong = "1".repeat(200_000);

      assertThat(rejected(sampleWith("trip_id", longest), RejectionReason.INVALID_FIELD).message())
          .startsWith("field trip_id: expected an integer, got 111");
      for (String field : List.of("trip_id", "pickup_location_id", "fare_amount")) {
        for (String value : List.of(tooLong, quoted(tooLong), tooLong + ".5")) {
          assertThat(rejected(sampleWith(field, value), RejectionReason.INVALID_FIELD).message())
              .as("%s = %d characters", field, value.length())
              .startsWith(
                  "field " + field + ": expected a number of at most 1000 characters, got ");
        }
      }
      assertThat(
              rejected(sampleWith("pickup_datetime", tooLong), RejectionReason.INVALID_FIELD)
                  .message())
          .as("epoch milliseconds")
          .startsWith("field pickup_datetime: expected a number of at most 1000 characters, got ");
    }

    @Test
    void aLongNumberInAnUnknownFieldIsSkippedLikeAnyUnknownValue() {
      String withLongUnknown =
          SAMPLE.substring(0, SAMPLE.length() - 1) + ",\"x\":" + "9".repeat(200_000) + "}";

      assertThat(parse(withLongUnknown)).isInstanceOf(ParseOutcome.Trip.class);
    }

    @Test
    void overflowingNumbersAreInvalidFields() {
      assertThat(
              rejected(sampleWith("trip_id", "1e999999999"), RejectionReason.INVALID_FIELD)
                  .message())
          .isEqualTo("field trip_id: expected an integer, got 1e999999999");
      assertThat(
              rejected(
                      sampleWith("passenger_count", quoted("1e999999999")),
                      RejectionReason.INVALID_FIELD)
                  .message())
          .isEqualTo("field passenger_count: expected an integer, got \"1e999999999\"");
      assertThat(
              rejected(sampleWith("fare_amount", "1e99999999"), RejectionReason.INVALID_FIELD)
                  .message())
          .isEqualTo("field fare_amount: expected a finite number, got 1e99999999");
    }

    @Test
    void nulAndControlCharactersAreMalformed() {
      byte[] withNul = sampleWith("type", quoted("yel\u0000low")).getBytes(StandardCharsets.UTF_8);
      byte[] withControl =
          sampleWith("type", quoted("yel\u0001low")).getBytes(StandardCharsets.UTF_8);
      byte[] nulAfter = (SAMPLE + "\u0000").getBytes(StandardCharsets.UTF_8);

      assertThat(rejected(withNul, RejectionReason.MALFORMED_JSON).message())
          .startsWith("not valid UTF-8 JSON: unexpected byte 0x00 at offset ");
      assertThat(rejected(nulAfter, RejectionReason.MALFORMED_JSON).message())
          .startsWith("not valid UTF-8 JSON: unexpected byte 0x00 at offset ");
      assertThat(rejected(withControl, RejectionReason.MALFORMED_JSON).message())
          .contains("CTRL-CHAR, code 1");
      assertThat(parse(sampleWith("type", quoted("yel\\u0001low"))))
          .as("an escaped control character is a character like another")
          .isInstanceOf(ParseOutcome.Trip.class);
    }
  }
}
