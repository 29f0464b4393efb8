package io.taxietl.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reading the pickup time and the trip id of an event line, in every shape the contract accepts.
 */
class EventFieldsTest {
  private static final ZoneId UTC = ZoneOffset.UTC;

  private static EventFields read(String line) {
    return EventFields.read(line.getBytes(StandardCharsets.UTF_8), UTC);
  }

  private static long millis(String instant) {
    return Instant.parse(instant).toEpochMilli();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "2019-03-01T00:13:12          | 2019-03-01T00:13:12Z",
        "2019-03-01 00:13:12          | 2019-03-01T00:13:12Z",
        "2019-03-01t00:13:12          | 2019-03-01T00:13:12Z",
        "2019-03-01T00:13             | 2019-03-01T00:13:00Z",
        "2019-03-01T00:13:12.5        | 2019-03-01T00:13:12.500Z",
        "2019-03-01 00:13:12.123456789| 2019-03-01T00:13:12.123Z",
        "2019-03-01T00:13:12,25       | 2019-03-01T00:13:12.250Z",
        "2019-03-01T00:13:12Z         | 2019-03-01T00:13:12Z",
        "2019-03-01T00:13:12z         | 2019-03-01T00:13:12Z",
        "2019-03-01T02:13:12+02:00    | 2019-03-01T00:13:12Z",
        "2019-03-01T02:13:12.750+0200 | 2019-03-01T00:13:12.750Z",
        "2019-02-28T19:13:12-05       | 2019-03-01T00:13:12Z",
        "' 2019-03-01T00:13:12 '      | 2019-03-01T00:13:12Z",
      })
  void isoPickupTimesInEveryAcceptedShape(String text, String expected) {
    EventFields fields = read("{\"pickup_datetime\":\"" + text + "\",\"trip_id\":1}");

    assertThat(fields.pickupMillis()).isEqualTo(millis(expected));
  }

  @Test
  void epochMillisecondsAsJsonNumber() {
    assertThat(read("{\"pickup_datetime\":1551399192000}").pickupMillis())
        .isEqualTo(1551399192000L);
  }

  @Test
  void timeWithoutOffsetIsReadInTheGivenZone() {
    byte[] line = "{\"pickup_datetime\":\"2019-03-01 00:13:12\"}".getBytes(StandardCharsets.UTF_8);

    assertThat(EventFields.read(line, ZoneId.of("America/New_York")).pickupMillis())
        .isEqualTo(millis("2019-03-01T05:13:12Z"));
    assertThat(EventFields.read(line, ZoneOffset.ofHours(1)).pickupMillis())
        .isEqualTo(millis("2019-02-28T23:13:12Z"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"2020-13-45T00:00:00\"",
        "\"2019-02-29T00:00:00\"",
        "\"2019-03-01\"",
        "\"2019-03-01X00:13:12\"",
        "\"2019-03-01T00:13:12+25:00\"",
        "\"2019-03-01T00:13:12 UTC\"",
        "\"yesterday\"",
        "\"\"",
        "\"1551399192000\"",
        "1.5",
        "99999999999999999999999",
        "null",
        "true",
        "{\"at\":\"2019-03-01T00:13:12\"}",
        "[\"2019-03-01T00:13:12\"]"
      })
  void unreadablePickupTimeIsNull(String json) {
    assertThat(read("{\"pickup_datetime\":" + json + ",\"trip_id\":7}"))
        .isEqualTo(new EventFields(null, "7"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "190300001             | 190300001",
        "120190800005361       | 120190800005361",
        "-4                    | -4",
        "'\"190300001\"'       | 190300001",
        "'\" 00042 \"'         | 42",
        "42.0                  | 42",
        "4.2e1                 | 42",
      })
  void tripIdBecomesItsDecimalText(String json, String expected) {
    assertThat(read("{\"trip_id\":" + json + "}").tripId()).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"\"abc\"", "\"\"", "42.5", "9223372036854775808", "null", "false", "{}", "[1]"})
  void unreadableTripIdIsNull(String json) {
    assertThat(read("{\"trip_id\":" + json + ",\"pickup_datetime\":\"2019-03-01T00:13:12\"}"))
        .isEqualTo(new EventFields(millis("2019-03-01T00:13:12Z"), null));
  }

  @Test
  void fieldsAreFoundAfterNestedValuesAndNotInsideThem() {
    EventFields fields =
        read(
            "{\"extra\":{\"trip_id\":1,\"pickup_datetime\":\"2001-01-01T00:00:00\"},\"list\":[{\"trip_id\":2}],"
                + "\"trip_id\":3,\"pickup_datetime\":\"2019-03-01T00:13:12\"}");

    assertThat(fields).isEqualTo(new EventFields(millis("2019-03-01T00:13:12Z"), "3"));
  }

  @Test
  void fieldsBeforeBrokenJsonAreKept() {
    assertThat(read("{\"trip_id\":5,\"pickup_datetime\":\"2019-03-01T00:13:12\",\"fare\":"))
        .isEqualTo(new EventFields(millis("2019-03-01T00:13:12Z"), "5"));
    assertThat(read("{\"trip_id\":5,\"vendor\":}")).isEqualTo(new EventFields(null, "5"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "not json at all",
        "[1,2,3]",
        "\"text\"",
        "",
        "{",
        "{\"watermark\":\"2019-03-01T00:00:00Z\"}"
      })
  void linesThatAreNoEventObjectHaveNeither(String line) {
    assertThat(read(line)).isEqualTo(new EventFields(null, null));
  }

  @Test
  void invalidUtf8BeforeTheFieldsGivesNeitherAndDoesNotThrow() {
    byte[] line = {
      '{',
      '"',
      'v',
      '"',
      ':',
      '"',
      (byte) 0xC3,
      (byte) 0x28,
      '"',
      ',',
      '"',
      't',
      'r',
      'i',
      'p',
      '_',
      'i',
      'd',
      '"',
      ':',
      '1',
      '}'
    };

    assertThat(EventFields.read(line, UTC)).isEqualTo(new EventFields(null, null));
  }
}
