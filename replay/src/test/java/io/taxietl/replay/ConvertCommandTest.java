package io.taxietl.replay;

import static io.taxietl.replay.TlcData.byTripId;
import static io.taxietl.replay.TlcData.convert;
import static io.taxietl.replay.TlcData.events;
import static io.taxietl.replay.TlcData.green;
import static io.taxietl.replay.TlcData.lines;
import static io.taxietl.replay.TlcData.rowNumber;
import static io.taxietl.replay.TlcData.yellow;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code replay convert} on real TLC files (the slices in {@code src/test/resources/nyc-tlc}), end
 * to end through the command line entry point.
 */
class ConvertCommandTest {
  @TempDir Path dir;

  @Test
  void yellowCsvRowBecomesAnEventInTheContractShape() throws IOException {
    Path output = dir.resolve("events.jsonl");

    convert(output, "--limit", 1, yellow("2019-08"));

    // Row 1 of the file: 2,2019-08-22 14:28:44,2019-08-22
    // 14:57:05,1,8.52,1,N,138,141,1,27.0,0.0,0.5,7.28,
    // 6.12,0.3,43.7,2.5
    assertThat(lines(output))
        .containsExactly(
            "{\"vendor_id\":2,\"pickup_datetime\":\"2019-08-22T14:28:44\",\"dropoff_datetime\":\"2019-08-22T14:57:05\","
                + "\"passenger_count\":1,\"trip_distance\":8.52,\"ratecode_id\":1,\"store_and_fwd_flag\":\"N\","
                + "\"pickup_location_id\":138,\"dropoff_location_id\":141,\"payment_type\":1,\"fare_amount\":27.0,"
                + "\"extra\":0.0,\"mta_tax\":0.5,\"tip_amount\":7.28,\"tolls_amount\":6.12,"
                + "\"improvement_surcharge\":0.3,\"total_amount\":43.7,\"congestion_surcharge\":2.5,"
                + "\"trip_id\":120190800000001,\"type\":\"yellow\"}");
  }

  @Test
  void emptyCongestionSurchargeOf2018IsLeftOut() throws IOException {
    Path output = dir.resolve("events.jsonl");

    convert(output, yellow("2018-01"));

    // Row 1: 2,2018-01-11 18:24:44,2018-01-11
    // 18:35:02,1,1.65,1,N,230,237,1,8.5,1.0,0.5,2.06,0.0,0.3,12.36,
    List<String> lines = lines(output);
    assertThat(lines)
        .contains(
            "{\"vendor_id\":2,\"pickup_datetime\":\"2018-01-11T18:24:44\",\"dropoff_datetime\":\"2018-01-11T18:35:02\","
                + "\"passenger_count\":1,\"trip_distance\":1.65,\"ratecode_id\":1,\"store_and_fwd_flag\":\"N\","
                + "\"pickup_location_id\":230,\"dropoff_location_id\":237,\"payment_type\":1,\"fare_amount\":8.5,"
                + "\"extra\":1.0,\"mta_tax\":0.5,\"tip_amount\":2.06,\"tolls_amount\":0.0,"
                + "\"improvement_surcharge\":0.3,\"total_amount\":12.36,"
                + "\"trip_id\":120180100000001,\"type\":\"yellow\"}");
    assertThat(lines).hasSize(500).noneMatch(line -> line.contains("congestion_surcharge"));
  }

  @Test
  void emptyYellowFieldsAreLeftOutNeverZero() throws IOException {
    Path output = dir.resolve("events.jsonl");

    convert(output, yellow("2019-08"));

    // Row 213: ,2019-08-09 06:19:57,2019-08-09
    // 06:51:58,,8.89,,,91,261,,29.6,2.75,0.0,0.0,6.12,0.3,38.77,0.0
    Map<String, Object> event = byTripId(events(output)).get(120190800000213L);
    assertThat(event)
        .containsOnlyKeys(
            "pickup_datetime",
            "dropoff_datetime",
            "trip_distance",
            "pickup_location_id",
            "dropoff_location_id",
            "fare_amount",
            "extra",
            "mta_tax",
            "tip_amount",
            "tolls_amount",
            "improvement_surcharge",
            "total_amount",
            "congestion_surcharge",
            "trip_id",
            "type")
        .containsEntry("pickup_datetime", "2019-08-09T06:19:57")
        .containsEntry("trip_distance", 8.89)
        .containsEntry("pickup_location_id", 91L)
        .containsEntry("congestion_surcharge", 0.0);
  }

  @Test
  void greenParquetRowHasWholeNumbersAndNaiveTimes() throws IOException {
    Path output = dir.resolve("events.jsonl");

    convert(output, "--limit", 1, green("2023-01"));

    // Row 1: VendorID 2 (int64), lpep_pickup_datetime 1672532770000000 us, RatecodeID 1.0,
    // PULocationID 166,
    // passenger_count 1.0, payment_type 1.0, ehail_fee null, trip_type 1.0 (not an event field).
    assertThat(lines(output))
        .containsExactly(
            "{\"vendor_id\":2,\"pickup_datetime\":\"2023-01-01T00:26:10\",\"dropoff_datetime\":\"2023-01-01T00:37:11\","
                + "\"passenger_count\":1,\"trip_distance\":2.58,\"ratecode_id\":1,\"store_and_fwd_flag\":\"N\","
                + "\"pickup_location_id\":166,\"dropoff_location_id\":143,\"payment_type\":1,\"fare_amount\":14.9,"
                + "\"extra\":1.0,\"mta_tax\":0.5,\"tip_amount\":4.03,\"tolls_amount\":0.0,"
                + "\"improvement_surcharge\":1.0,\"total_amount\":24.18,\"congestion_surcharge\":2.75,"
                + "\"trip_id\":220230100000001,\"type\":\"green\"}");
  }

  @Test
  void greenParquetWithInt32IdsIsRead() throws IOException {
    Path output = dir.resolve("events.jsonl");

    convert(output, "--limit", 1, green("2023-02"));

    // Row 1: VendorID 1 (int32), pickup 1675212382000000 us, PULocationID 74, DOLocationID 265
    // (int32).
    assertThat(lines(output))
        .containsExactly(
            "{\"vendor_id\":1,\"pickup_datetime\":\"2023-02-01T00:46:22\",\"dropoff_datetime\":\"2023-02-01T01:05:57\","
                + "\"passenger_count\":1,\"trip_distance\":10.8,\"ratecode_id\":1,\"store_and_fwd_flag\":\"N\","
                + "\"pickup_location_id\":74,\"dropoff_location_id\":265,\"payment_type\":2,\"fare_amount\":42.9,"
                + "\"extra\":1.0,\"mta_tax\":1.5,\"tip_amount\":0.0,\"tolls_amount\":0.0,"
                + "\"improvement_surcharge\":1.0,\"total_amount\":45.4,\"congestion_surcharge\":0.0,"
                + "\"trip_id\":220230200000001,\"type\":\"green\"}");
  }

  @Test
  void greenNullsAndNaNsAreLeftOut() throws IOException {
    Path output = dir.resolve("events.jsonl");

    convert(output, green("2023-01"));

    // Row 2001 (row 63888 of the TLC file) has null store_and_fwd_flag, RatecodeID,
    // passenger_count, payment_type
    // and congestion_surcharge.
    Map<String, Object> event = byTripId(events(output)).get(220230100002001L);
    assertThat(event)
        .containsOnlyKeys(
            "vendor_id",
            "pickup_datetime",
            "dropoff_datetime",
            "trip_distance",
            "pickup_location_id",
            "dropoff_location_id",
            "fare_amount",
            "extra",
            "mta_tax",
            "tip_amount",
            "tolls_amount",
            "improvement_surcharge",
            "total_amount",
            "trip_id",
            "type")
        .containsEntry("pickup_datetime", "2023-01-01T00:28:00")
        .containsEntry("total_amount", 44.44);
  }

  @Test
  void eventsAreSortedByPickupAcrossInputsAndTiesKeepInputThenRowOrder() throws IOException {
    Path output = dir.resolve("events.jsonl.gz");
    List<Path> inputs = List.of(green("2023-01"), yellow("2019-08"), yellow("2019-01"));

    convert(output, inputs.get(0), inputs.get(1), inputs.get(2));

    List<Map<String, Object>> events = events(output);
    assertThat(events).hasSize(2_100 + 5_400 + 1_000);
    int ties = 0;
    for (int i = 1; i < events.size(); i++) {
      String before = (String) events.get(i - 1).get("pickup_datetime");
      String after = (String) events.get(i).get("pickup_datetime");
      assertThat(before).as("pickup of event %d", i).isLessThanOrEqualTo(after);
      if (before.equals(after)) {
        ties++;
        assertThat(sourceOrder(events.get(i - 1)))
            .as("tie at %s", after)
            .isLessThan(sourceOrder(events.get(i)));
      }
    }
    assertThat(ties).as("ties between equal pickup times").isPositive();
  }

  /**
   * Input position (green 2023-01, yellow 2019-08, yellow 2019-01) then row, as one comparable
   * number.
   */
  private static long sourceOrder(Map<String, Object> event) {
    long idRange = (Long) event.get("trip_id") / 100_000_000L;
    int input = idRange == 2_202301L ? 0 : idRange == 1_201908L ? 1 : 2;
    return input * 100_000_000L + rowNumber(event);
  }

  @Test
  void pickupFromDecember2008InYellowAugust2019IsKept() throws IOException {
    Path output = dir.resolve("events.jsonl");

    convert(output, yellow("2019-08"));

    // Line 5362 of the file, data row 5361: 2,2008-12-31 23:49:36,2009-01-01 00:03:52,...
    Map<String, Object> first = events(output).get(0);
    assertThat(first)
        .containsEntry("pickup_datetime", "2008-12-31T23:49:36")
        .containsEntry("dropoff_datetime", "2009-01-01T00:03:52")
        .containsEntry("trip_id", 120190800005361L);
  }

  @Test
  void tripIdsNumberTheRowsOfEachFileWhateverElseIsConverted() throws IOException {
    Path alone = dir.resolve("alone.jsonl");
    Path together = dir.resolve("together.jsonl");

    convert(alone, yellow("2019-08"));
    convert(together, green("2023-02"), "--sample-every", 3, yellow("2019-08"));

    List<Long> ids =
        events(alone).stream().map(event -> (Long) event.get("trip_id")).sorted().toList();
    assertThat(ids)
        .isEqualTo(LongStream.rangeClosed(120190800000001L, 120190800005400L).boxed().toList());
    List<String> yellowTogether =
        lines(together).stream().filter(line -> line.contains("\"yellow\"")).toList();
    assertThat(yellowTogether).hasSize(1_800);
    assertThat(lines(alone)).containsAll(yellowTogether);
  }

  @Test
  void convertingTwiceWritesTheSameBytes() throws IOException {
    Path first = dir.resolve("first.jsonl.gz");
    Path second = dir.resolve("second.jsonl.gz");

    convert(first, yellow("2019-08"), "--sample-every", 7, green("2023-01"));
    convert(second, yellow("2019-08"), "--sample-every", 7, green("2023-01"));

    assertThat(Files.mismatch(first, second)).isEqualTo(-1L);
    assertThat(Files.size(first)).isPositive();
  }

  @Test
  void sampleEveryKeepsRowOneAndEveryNthAfterIt() throws IOException {
    Path output = dir.resolve("events.jsonl");

    convert(output, "--sample-every", 7, green("2023-01"));

    List<Long> rows = events(output).stream().map(TlcData::rowNumber).sorted().toList();
    assertThat(rows).hasSize(300).startsWith(1L, 8L, 15L).endsWith(2_087L, 2_094L);
    assertThat(rows).allMatch(row -> (row - 1) % 7 == 0);
  }

  @Test
  void limitKeepsTheFirstRowsAfterSampling() throws IOException {
    Path output = dir.resolve("events.jsonl");

    TlcData.Run run = convert(output, "--sample-every", 3, "--limit", 4, yellow("2019-08"));

    assertThat(events(output).stream().map(TlcData::rowNumber).sorted())
        .containsExactly(1L, 4L, 7L, 10L);
    assertThat(run.out()).contains("10 rows read, 4 kept (1 row in 3, at most 4)");
  }

  @Test
  void optionsApplyToTheInputsThatFollowThem() throws IOException {
    Path output = dir.resolve("events.jsonl");

    convert(
        output,
        yellow("2019-08"),
        "--sample-every",
        7,
        green("2023-01"),
        "--limit",
        5,
        yellow("2019-01"),
        "--sample-every=1",
        "--limit=all",
        yellow("2019-02"));

    Map<String, List<Long>> rowsByFile =
        events(output).stream()
            .collect(
                Collectors.groupingBy(
                    event -> String.valueOf((Long) event.get("trip_id") / 100_000_000L),
                    Collectors.mapping(TlcData::rowNumber, Collectors.toList())));
    assertThat(rowsByFile.get("1201908")).hasSize(5_400);
    assertThat(rowsByFile.get("2202301")).hasSize(300);
    assertThat(rowsByFile.get("1201901")).containsExactlyInAnyOrder(1L, 8L, 15L, 22L, 29L);
    assertThat(rowsByFile.get("1201902")).hasSize(1_000);
  }

  @Test
  void allYellowSamplesConvertWithDistinctIds() throws IOException {
    Path output = dir.resolve("events.jsonl.gz");
    Object[] inputs;
    try (var files = Files.list(TlcData.dataDir().resolve("yellow"))) {
      inputs = files.sorted().toArray();
    }

    TlcData.Run run = convert(output, inputs);

    assertThat(inputs).hasSize(5);
    assertThat(byTripId(events(output))).hasSize(5_400 + 1_000 + 1_000 + 1_000 + 500);
    assertThat(run.out())
        .contains("into 8,900 events")
        .contains("Pickup times: 2008-12-31T23:49:36 to ");
  }

  @Test
  void outputIsGzipOnlyWhenItsNameEndsInGz() throws IOException {
    Path plain = dir.resolve("events.jsonl");
    Path gzip = dir.resolve("events.jsonl.gz");

    convert(plain, "--limit", 100, yellow("2019-03"));
    convert(gzip, "--limit", 100, yellow("2019-03"));

    byte[] plainBytes = Files.readAllBytes(plain);
    byte[] gzipBytes = Files.readAllBytes(gzip);
    assertThat(plainBytes[0]).isEqualTo((byte) '{');
    assertThat(new byte[] {gzipBytes[0], gzipBytes[1]}).containsExactly(0x1f, 0x8b);
    assertThat(lines(gzip)).hasSize(100).isEqualTo(lines(plain));
  }

  @Test
  void summaryReportsInputsEventsPickupRangeAndOutput() throws IOException {
    Path output = dir.resolve("events.jsonl.gz");

    TlcData.Run run = convert(output, yellow("2019-08"), "--sample-every", 7, green("2023-01"));

    assertThat(run.out())
        .contains("into 5,700 events")
        .contains("yellow_tripdata_sample_2019-08.csv.gz: 5,400 rows read, 5,400 kept (every row)")
        .contains("green_tripdata_2023-01.parquet: 2,100 rows read, 300 kept (1 row in 7)")
        .contains("Pickup times: 2008-12-31T23:49:36 to 2023-01-02T14:58:50")
        .contains(
            "Output: "
                + output
                + " ("
                + String.format(Locale.ROOT, "%,d bytes)", Files.size(output)));
    assertThat(lines(output)).hasSize(5_700);
  }
}
