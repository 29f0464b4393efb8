package io.taxietl.replay;

import static io.taxietl.replay.TlcData.green;
import static io.taxietl.replay.TlcData.replay;
import static io.taxietl.replay.TlcData.yellow;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Usage, help and error reporting of the {@code replay} command line. */
class ReplayCommandLineTest {
  private static final String YELLOW_HEADER =
      "vendor_id,pickup_datetime,dropoff_datetime,passenger_count,trip_distance,rate_code_id,"
          + "store_and_fwd_flag,pickup_location_id,dropoff_location_id,payment_type,fare_amount,extra,mta_tax,"
          + "tip_amount,tolls_amount,improvement_surcharge,total_amount,congestion_surcharge\n";
  private static final String YELLOW_ROW =
      "2,2019-01-05 15:31:57,2019-01-05 15:37:18,6,0.73,1,N,223,223,1,5.5,0.0,0.5,1.58,0.0,0.3,7.88,\n";

  @TempDir Path dir;

  @Test
  void noArgumentsPrintsUsageAndExitsWithTwo() {
    TlcData.Run run = replay();

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Usage: replay <command>").contains("convert");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void helpPrintsUsageAndSucceeds() {
    TlcData.Run run = replay("--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Usage: replay <command>").contains("convert");
  }

  @Test
  void convertHelpDocumentsThatOptionsApplyToTheInputsAfterThem() {
    TlcData.Run run = replay("convert", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("Usage: replay convert --output FILE")
        .contains("--sample-every N")
        .contains("--limit N|all")
        .contains("apply to the INPUTs that follow them");
  }

  @Test
  void unknownCommandIsNamedAndExitsWithTwo() {
    TlcData.Run run = replay("kafkaa", "--topic", "trips");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("unknown command 'kafkaa'").contains("Usage: replay <command>");
  }

  static Stream<Arguments> badArguments() {
    String yellow = yellow("2019-08").toString();
    String green = green("2023-01").toString();
    return Stream.of(
        Arguments.of(List.of("--sample-every", "0", yellow), List.of("--sample-every", "'0'")),
        Arguments.of(
            List.of("--sample-every", "seven", yellow), List.of("--sample-every", "'seven'")),
        Arguments.of(
            List.of("--sample-every", "99999999999", yellow),
            List.of("--sample-every", "'99999999999'")),
        Arguments.of(List.of("--limit", "-3", yellow), List.of("--limit", "'-3'")),
        Arguments.of(List.of("--limit=1.5", yellow), List.of("--limit", "'1.5'")),
        Arguments.of(List.of(yellow, "--limit"), List.of("--limit needs a value")),
        Arguments.of(List.of("--frobnicate", yellow), List.of("unknown option '--frobnicate'")),
        Arguments.of(
            List.of(yellow, "--sample-every", "7"),
            List.of("'--sample-every 7'", "followed by no INPUT")),
        Arguments.of(List.of("--no-output-given"), List.of("unknown option '--no-output-given'")),
        Arguments.of(List.of(yellow, green, yellow), List.of(yellow, "yellow 2019-08", "collide")),
        Arguments.of(
            List.of("no/such/yellow_tripdata_2019-01.csv"),
            List.of("no/such/yellow_tripdata_2019-01.csv")));
  }

  @ParameterizedTest
  @MethodSource("badArguments")
  void badArgumentIsNamedWithItsValueAndExitsWithTwo(
      List<String> args, List<String> expectedInMessage) {
    Path output = dir.resolve("events.jsonl");
    Object[] all =
        Stream.concat(Stream.of("convert", "--output", output.toString()), args.stream()).toArray();

    TlcData.Run run = replay(all);

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("replay convert: ").contains(expectedInMessage);
    assertNoStackTrace(run);
    assertThat(output).doesNotExist();
  }

  @Test
  void missingOutputIsNamed() {
    TlcData.Run run = replay("convert", yellow("2019-08"));

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--output FILE is required");
  }

  @Test
  void outputInMissingDirectoryIsNamed() {
    Path output = dir.resolve("missing").resolve("events.jsonl");

    TlcData.Run run = replay("convert", "--output", output, yellow("2019-08"));

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--output '" + output + "'").contains("does not exist");
  }

  @Test
  void inputWithoutMonthInItsNameIsNamed() throws IOException {
    Path input = Files.writeString(dir.resolve("yellow_trips.csv"), YELLOW_HEADER + YELLOW_ROW);

    TlcData.Run run = replay("convert", "--output", dir.resolve("events.jsonl"), input);

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("INPUT '" + input + "'").contains("_YYYY-MM.");
    assertNoStackTrace(run);
  }

  @Test
  void inputOfUnknownKindIsNamed() throws IOException {
    Path input = Files.writeString(dir.resolve("yellow_tripdata_2019-01.json"), "{}");

    TlcData.Run run = replay("convert", "--output", dir.resolve("events.jsonl"), input);

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("INPUT '" + input + "'").contains(".parquet");
  }

  @Test
  void badValueInCsvFailsWithFileRowAndColumnAndWritesNothing() throws IOException {
    Path input =
        Files.writeString(
            dir.resolve("yellow_tripdata_2019-01.csv"),
            YELLOW_HEADER + YELLOW_ROW + YELLOW_ROW.replace(",6,0.73,", ",six,0.73,"));
    Path output = dir.resolve("events.jsonl");

    TlcData.Run run = replay("convert", "--output", output, input);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains(input + " row 2: column passenger_count: not a number: 'six'");
    assertNoStackTrace(run);
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).containsExactly(input);
    }
  }

  @Test
  void csvRowWithMissingFieldsFails() throws IOException {
    Path input =
        Files.writeString(
            dir.resolve("yellow_tripdata_2019-01.csv"), YELLOW_HEADER + "2,2019-01-05 15:31:57\n");

    TlcData.Run run = replay("convert", "--output", dir.resolve("events.jsonl"), input);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains(input + " row 1: expected 18 fields as in the header, found 2");
  }

  @Test
  void rowWithoutAFieldEveryTripHasIsSkippedAndCounted() throws IOException {
    Path input =
        Files.writeString(
            dir.resolve("yellow_tripdata_2019-01.csv"),
            YELLOW_HEADER
                + YELLOW_ROW
                + YELLOW_ROW.replace(",N,223,223,", ",N,,223,")
                + YELLOW_ROW);
    Path output = dir.resolve("events.jsonl");

    TlcData.Run run = replay("convert", "--output", output, input);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains(
            "3 rows read, 2 kept (every row), 1 skipped without a pickup or drop-off time or location")
        .contains("into 2 events");
    assertThat(TlcData.events(output)).extracting(TlcData::rowNumber).containsExactly(1L, 3L);
  }

  @Test
  void csvWithoutTheYellowColumnsFails() throws IOException {
    Path input =
        Files.writeString(
            dir.resolve("yellow_tripdata_2019-01.csv"),
            YELLOW_HEADER.replace("pickup_datetime", "pickup_time"));

    TlcData.Run run = replay("convert", "--output", dir.resolve("events.jsonl"), input);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains(input + ": the CSV header has no column pickup_datetime");
  }

  @Test
  void fileThatIsNotParquetFails() throws IOException {
    Path input = Files.writeString(dir.resolve("green_tripdata_2023-01.parquet"), "not parquet");

    TlcData.Run run = replay("convert", "--output", dir.resolve("events.jsonl"), input);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains(input + ": not a readable Parquet file");
    assertNoStackTrace(run);
  }

  @Test
  void gzipNameOnPlainFileFails() throws IOException {
    Path input = Files.writeString(dir.resolve("yellow_tripdata_2019-01.csv.gz"), YELLOW_HEADER);

    TlcData.Run run = replay("convert", "--output", dir.resolve("events.jsonl"), input);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains(input + ": ZipException");
    assertNoStackTrace(run);
  }

  private static void assertNoStackTrace(TlcData.Run run) {
    assertThat(run.err()).doesNotContain("\tat ").doesNotContain("Exception in thread");
  }
}
