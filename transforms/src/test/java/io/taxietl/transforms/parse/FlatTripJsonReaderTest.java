package io.taxietl.transforms.parse;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link FlatTripJsonReader} against {@link TripJsonReader} (Jackson): on every payload the flat
 * reader either declines or gives exactly the fields Jackson gives, and {@link TripEventParser}'s
 * outcome is the Jackson reader's outcome. Payloads: the bundled sample of real trips and thousands
 * of variants of it (seeded, so a failure repeats).
 */
class FlatTripJsonReaderTest {

  /** The sample of real TLC trips that the pipeline bundles (this test runs in transforms/). */
  private static final Path BUNDLED_SAMPLE =
      Path.of("..", "pipeline", "src", "main", "resources", "sample", "taxi-trips-sample.jsonl.gz");

  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  private static final String CONTRACT_SAMPLE =
      "{\"vendor_id\":2,\"pickup_datetime\":\"2019-03-01T00:13:12\","
          + "\"dropoff_datetime\":\"2019-03-01T00:21:40\",\"passenger_count\":1,"
          + "\"trip_distance\":1.53,\"ratecode_id\":1,\"store_and_fwd_flag\":\"N\","
          + "\"pickup_location_id\":239,\"dropoff_location_id\":142,\"payment_type\":1,"
          + "\"fare_amount\":7.5,\"extra\":0.5,\"mta_tax\":0.5,\"tip_amount\":1.76,"
          + "\"tolls_amount\":0.0,\"improvement_surcharge\":0.3,\"total_amount\":10.56,"
          + "\"congestion_surcharge\":2.5,\"trip_id\":190300001,\"type\":\"yellow\"}";

  private static List<String> bundledSample() throws IOException {
    assertThat(BUNDLED_SAMPLE).as("the bundled sample").exists();
    List<String> lines = new ArrayList<>();
    try (InputStream raw = Files.newInputStream(BUNDLED_SAMPLE);
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(new GZIPInputStream(raw), UTF_8))) {
      for (String line; (line = reader.readLine()) != null; ) {
        if (!line.isBlank()) {
          lines.add(line);
        }
      }
    }
    return lines;
  }

  /** What the parser gave before the flat reader: Jackson's reading, judged by the rules. */
  private static ParseOutcome jacksonOutcome(byte[] payload, ZoneId zone) {
    TripFields fields = new TripFields();
    String malformed = new TripJsonReader(zone).read(payload, fields);
    return malformed != null
        ? new ParseOutcome.Rejected(RejectionReason.MALFORMED_JSON, malformed, null)
        : TripRules.judge(fields);
  }

  /** Every field of {@code fields}, by name, so that two readings compare value by value. */
  private static Map<String, @Nullable Object> valuesOf(TripFields fields) {
    Map<String, @Nullable Object> values = new LinkedHashMap<>();
    for (Field field : TripFields.class.getDeclaredFields()) {
      try {
        values.put(field.getName(), field.get(fields));
      } catch (IllegalAccessException e) {
        throw new AssertionError(e);
      }
    }
    return values;
  }

  /**
   * Asserts that the flat reader declines {@code payload} or reads what Jackson reads, and that the
   * parser's outcome is Jackson's.
   *
   * @return whether the flat reader read it
   */
  private static boolean assertSameAsJackson(byte[] payload, ZoneId zone) {
    String shown = new String(payload, UTF_8);
    TripFields flat = new FlatTripJsonReader(zone).read(payload);
    if (flat != null) {
      TripFields jackson = new TripFields();
      assertThat(new TripJsonReader(zone).read(payload, jackson))
          .as("Jackson on a payload the flat reader read: %s", shown)
          .isNull();
      assertThat(valuesOf(flat)).as("fields of %s", shown).isEqualTo(valuesOf(jackson));
    }
    assertThat(new TripEventParser(zone).parse(payload))
        .as("outcome of %s", shown)
        .isEqualTo(jacksonOutcome(payload, zone));
    return flat != null;
  }

  private static boolean assertSameAsJackson(String payload, ZoneId zone) {
    return assertSameAsJackson(payload.getBytes(UTF_8), zone);
  }

  @Test
  void readsEveryEventOfTheBundledSampleAsJacksonDoes() throws IOException {
    List<String> sample = bundledSample();
    int read = 0;
    for (String line : sample) {
      if (assertSameAsJackson(line, ZoneOffset.UTC)) {
        read++;
      }
    }

    assertThat(sample).hasSizeGreaterThan(10_000);
    assertThat(read)
        .as("events the flat reader read itself")
        .isGreaterThan(sample.size() * 99 / 100);
  }

  @Test
  void readsTheContractSampleAsJacksonDoes() {
    assertThat(assertSameAsJackson(CONTRACT_SAMPLE, ZoneOffset.UTC)).isTrue();
    assertThat(assertSameAsJackson(CONTRACT_SAMPLE, NEW_YORK)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // values the flat reader reads and converts with Jackson's rules
        "{}",
        " \t\r\n{ \"trip_id\" : 1 , \"type\" : \"yellow\" } \n",
        "{\"trip_distance\":-0}",
        "{\"trip_distance\":-0.0}",
        "{\"trip_distance\":0.1,\"fare_amount\":123456789012345.6,\"extra\":1.7976931348623157}",
        "{\"trip_distance\":9007199254740993,\"extra\":99999999999999999999}",
        "{\"trip_id\":9223372036854775807,\"vendor_id\":2147483647,\"ratecode_id\":-2147483648}",
        "{\"trip_id\":9223372036854775808,\"vendor_id\":2147483648,\"ratecode_id\":-2147483649}",
        "{\"trip_id\":-9223372036854775808,\"payment_type\":1.0,\"passenger_count\":\"2.50\"}",
        "{\"trip_id\":\" 12 \",\"pickup_location_id\":\"\",\"dropoff_location_id\":\"  \"}",
        "{\"pickup_datetime\":1551399192345,\"dropoff_datetime\":\"2019-03-01 00:21:40.5+05:30\"}",
        "{\"pickup_datetime\":99999999999999999999,\"dropoff_datetime\":\"2019-02-30T00:00:00\"}",
        "{\"pickup_datetime\":\"2019-11-03T01:30:00\",\"dropoff_datetime\":\"2019-03-10T02:30:00\"}",
        "{\"type\":true,\"store_and_fwd_flag\":false,\"padding\":null,\"vendor_id\":\"x\"}",
        "{\"fare_amount\":\"NaN\",\"tip_amount\":\"1e400\",\"extra\":\"0x10\",\"mta_tax\":\"1e5\"}",
        "{\"type\":\"watermark\",\"x\":1e999,\"y\":[1],\"z\":{}}",
        "{\"\":1,\"x\":\"\\u00e9\",\"padding\":\"\u007f~ !#\"}",
        // what the flat reader must decline
        "{\"trip_id\":1,\"trip_id\":2}",
        "{\"x\":1,\"x\":2}",
        "{\"trip_id\":01}",
        "{\"trip_id\":1.}",
        "{\"trip_id\":.5}",
        "{\"trip_id\":+1}",
        "{\"trip_id\":-}",
        "{\"trip_id\":1e2}",
        "{\"trip_id\":1e9999999999}",
        // Jackson 2.15.4 reads these doubles as the big integer before them: the outcome is the
        // same
        "{\"trip_id\":123456789012345678901,\"trip_distance\":3}",
        "{\"pickup_datetime\":-123456789012345678901,\"extra\":-0,\"tip_amount\":1}",
        "{\"trip_id\":1,}",
        "{\"trip_id\":1}x",
        "{\"trip_id\":1}{}",
        "{\"trip_id\":truex}",
        "{\"trip_id\":nul}",
        "{\"type\":\"yel\\\"low\"}",
        "{\"type\":\"café\"}",
        "{\"ty\\u0070e\":\"yellow\"}",
        "{'type':'yellow'}",
        "{\"type\":\"yellow\"",
        "{\"type\"",
        "[]",
        "",
      })
  void agreesWithJacksonOnEdgeCases(String payload) {
    assertSameAsJackson(payload, ZoneOffset.UTC);
    assertSameAsJackson(payload, NEW_YORK);
  }

  @Test
  void declinesWhatItDoesNotReadItself() {
    FlatTripJsonReader reader = new FlatTripJsonReader(ZoneOffset.UTC);
    String body = CONTRACT_SAMPLE.substring(0, CONTRACT_SAMPLE.length() - 1);
    String withoutExtra = body.replace("\"extra\":0.5,", "");

    for (String payload :
        List.of(
            body + ",\"trip_id\":2}",
            body + ",\"padding\":\"a\\nb\"}",
            body + ",\"padding\":\"日本\"}",
            body + ",\"x\":[1]}",
            body + ",\"x\":{}}",
            withoutExtra + ",\"extra\":1e1}",
            withoutExtra + ",\"extra\":10000000000000000000}",
            body + "}\u000b",
            body + manyUnknownFields(FlatTripJsonReader.MAX_UNKNOWN_FIELDS + 1) + "}")) {
      assertThat(reader.read(payload.getBytes(UTF_8))).as(payload).isNull();
    }
    assertThat(reader.read((withoutExtra + ",\"extra\":1}").getBytes(UTF_8))).isNotNull();
    assertThat(
            reader.read(
                (body + manyUnknownFields(FlatTripJsonReader.MAX_UNKNOWN_FIELDS) + "}")
                    .getBytes(UTF_8)))
        .isNotNull();
  }

  private static String manyUnknownFields(int count) {
    StringBuilder fields = new StringBuilder();
    for (int i = 1; i <= count; i++) {
      fields.append(",\"unknown").append(i).append("\":").append(i);
    }
    return fields.toString();
  }

  @Test
  void agreesWithJacksonOnThousandsOfVariantsOfRealEvents() throws IOException {
    List<String> sample = bundledSample();
    Random random = new Random(20261204L);
    int variants = 6_000;
    int read = 0;
    for (int i = 0; i < variants; i++) {
      String line = sample.get(random.nextInt(sample.size()));
      byte[] variant = new Variants(random).of(line);
      if (assertSameAsJackson(variant, i % 2 == 0 ? ZoneOffset.UTC : NEW_YORK)) {
        read++;
      }
    }

    assertThat(read)
        .as("variants the flat reader read itself (the others Jackson read alone)")
        .isBetween(variants / 4, variants * 3 / 4);
  }

  /** Random changes to one event: each variant gets a few of them. */
  private static final class Variants {
    private static final String[] WHITESPACE = {"", "", "", " ", "  ", "\t", "\n", "\r\n"};
    private final Random random;

    Variants(Random random) {
      this.random = random;
    }

    byte[] of(String line) {
      List<String[]> fields = fieldsOf(line);
      int changes = 1 + random.nextInt(3);
      for (int i = 0; i < changes; i++) {
        change(fields);
      }
      boolean spaced = random.nextInt(8) == 0;
      StringBuilder json = new StringBuilder(spaced ? whitespace() : "").append('{');
      for (int i = 0; i < fields.size(); i++) {
        String space = spaced ? whitespace() : "";
        json.append(i == 0 ? "" : ",")
            .append(space)
            .append('"')
            .append(fields.get(i)[0])
            .append('"')
            .append(space)
            .append(':')
            .append(space)
            .append(fields.get(i)[1])
            .append(space);
      }
      json.append('}').append(spaced ? whitespace() : "");
      byte[] payload = json.toString().getBytes(UTF_8);
      return random.nextInt(12) == 0 ? damaged(payload) : payload;
    }

    /** The name and raw JSON value of each field of a flat sample line. */
    private static List<String[]> fieldsOf(String line) {
      List<String[]> fields = new ArrayList<>();
      for (String member : line.substring(1, line.length() - 1).split(",")) {
        int colon = member.indexOf("\":");
        fields.add(new String[] {member.substring(1, colon), member.substring(colon + 2)});
      }
      return fields;
    }

    private void change(List<String[]> fields) {
      String[] field = fields.get(random.nextInt(fields.size()));
      switch (random.nextInt(14)) {
        case 0 -> Collections.shuffle(fields, random);
        case 1 -> fields.remove(field);
        case 2 -> field[1] = "null";
        case 3 -> field[1] = "\"" + pad(unquoted(field[1])) + "\"";
        case 4 -> field[1] = number();
        case 5 -> field[1] = "\"" + number() + "\"";
        case 6 -> field[1] = timestamp();
        case 7 -> fields.add(new String[] {unknownName(), scalar()});
        case 8 -> fields.add(new String[] {field[0], scalar()});
        case 9 -> field[1] = scalar();
        case 10 -> field[1] = "\"" + text() + "\"";
        case 11 ->
            fields.add(new String[] {"padding", "\"" + "x".repeat(random.nextInt(3000)) + "\""});
        case 12 -> field[0] = random.nextBoolean() ? field[0].toUpperCase() : field[0] + "_";
        default -> field[1] = odd();
      }
    }

    private String whitespace() {
      return WHITESPACE[random.nextInt(WHITESPACE.length)];
    }

    private static String unquoted(String raw) {
      return raw.startsWith("\"") ? raw.substring(1, raw.length() - 1) : raw;
    }

    private String pad(String text) {
      return random.nextInt(4) == 0 ? " " + text + " " : text;
    }

    private String unknownName() {
      return List.of("x", "note", "airport", "trip", "vendor", "", "extra_fee")
          .get(random.nextInt(7));
    }

    /** A JSON number of any shape, mostly well-formed. */
    private String number() {
      StringBuilder number = new StringBuilder();
      if (random.nextInt(4) == 0) {
        number.append('-');
      }
      number.append(digits(random.nextInt(5) == 0 ? 0 : random.nextInt(22)));
      if (random.nextBoolean()) {
        number.append('.').append(digitString(1 + random.nextInt(random.nextBoolean() ? 3 : 20)));
      }
      if (random.nextInt(10) == 0) {
        number.append(random.nextBoolean() ? 'e' : 'E');
        number.append(List.of("", "+", "-").get(random.nextInt(3)));
        number.append(digitString(1 + random.nextInt(3)));
      }
      return number.toString();
    }

    /** An integer part: 0, or {@code count} digits without a leading zero. */
    private String digits(int count) {
      if (count == 0) {
        return "0";
      }
      return (1 + random.nextInt(9)) + digitString(count - 1);
    }

    private String digitString(int count) {
      StringBuilder digits = new StringBuilder(count);
      for (int i = 0; i < count; i++) {
        digits.append((char) ('0' + random.nextInt(10)));
      }
      return digits.toString();
    }

    private String timestamp() {
      String date =
          String.format(
              "%04d-%02d-%02d%s%02d:%02d",
              2000 + random.nextInt(30),
              1 + random.nextInt(13),
              1 + random.nextInt(31),
              List.of("T", " ", "t", "x").get(random.nextInt(4)),
              random.nextInt(25),
              random.nextInt(60));
      if (random.nextBoolean()) {
        date += String.format(":%02d", random.nextInt(61));
        if (random.nextBoolean()) {
          date += "." + digitString(1 + random.nextInt(10));
        }
      }
      date +=
          List.of("", "", "Z", "+01:00", "-05:30", "+0100", "+19:00", "UTC").get(random.nextInt(8));
      return switch (random.nextInt(4)) {
        case 0 -> Long.toString(random.nextLong() % 4_102_444_800_000L);
        case 1 -> "\"" + random.nextInt(1_000_000_000) + "\"";
        default -> "\"" + pad(date) + "\"";
      };
    }

    private String scalar() {
      return switch (random.nextInt(6)) {
        case 0 -> "true";
        case 1 -> "false";
        case 2 -> "null";
        case 3 -> number();
        case 4 -> "\"" + text() + "\"";
        default -> "\"\"";
      };
    }

    /** A string's content: mostly plain, sometimes with escapes or non-ASCII characters. */
    private String text() {
      return switch (random.nextInt(8)) {
        case 0 -> "yel\\\"low";
        case 1 -> "caf\\u00e9";
        case 2 -> "café – 東京 🚕";
        case 3 -> "line\\nbreak";
        case 4 -> "tab\tinside";
        case 5 -> "~!@#$%^&*()_+{}[]:;'<>?,./\u007f";
        case 6 -> "yellow";
        default -> "N";
      };
    }

    /** A value no trip field takes, or JSON that is not quite JSON. */
    private String odd() {
      return List.of(
              "[1,2]",
              "{\"a\":1}",
              "[]",
              "{}",
              "01",
              "1.",
              ".5",
              "+1",
              "-",
              "1e",
              "NaN",
              "Infinity",
              "truex",
              "nul",
              "'N'",
              "\"unterminated",
              "1 2",
              "\"a\" \"b\"",
              "1.5e3",
              "-0",
              "-0.0",
              "1e400",
              "9".repeat(1001),
              "\"" + "9".repeat(1001) + "\"",
              "0." + "3".repeat(30))
          .get(random.nextInt(25));
    }

    /** The payload cut short, a byte replaced or inserted, or something after it. */
    private byte[] damaged(byte[] payload) {
      int at = random.nextInt(payload.length + 1);
      switch (random.nextInt(4)) {
        case 0:
          return Arrays.copyOf(payload, at);
        case 1:
          if (at < payload.length) {
            payload[at] = (byte) random.nextInt(256);
          }
          return payload;
        case 2:
          byte[] longer = new byte[payload.length + 1];
          System.arraycopy(payload, 0, longer, 0, at);
          longer[at] = (byte) random.nextInt(256);
          System.arraycopy(payload, at, longer, at + 1, payload.length - at);
          return longer;
        default:
          byte[] trailing =
              List.of(" x", "}", "\u0000", " {}", ",", "\n\n")
                  .get(random.nextInt(6))
                  .getBytes(UTF_8);
          byte[] withTrailing = Arrays.copyOf(payload, payload.length + trailing.length);
          System.arraycopy(trailing, 0, withTrailing, payload.length, trailing.length);
          return withTrailing;
      }
    }
  }
}
