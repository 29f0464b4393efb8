package io.taxietl.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taxietl.avro.TripEvent;
import io.taxietl.transforms.parse.ParseOutcome;
import io.taxietl.transforms.parse.TripEventParser;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.avro.Schema;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

/**
 * Every trip decodes to an equal trip; the coder writes every field of the schema, and refuses what
 * it cannot read.
 */
class TripEventCoderTest {
  private static final Path SAMPLE =
      Path.of("..", "pipeline", "src", "main", "resources", "sample", "taxi-trips-sample.jsonl.gz");

  @Test
  void everyTripOfTheBundledSampleDecodesToAnEqualTrip() throws IOException {
    List<TripEvent> trips = sampleTrips();
    assertThat(trips).hasSizeGreaterThan(19_000);
    int avroBytes = 0;
    int ourBytes = 0;
    for (TripEvent trip : trips) {
      byte[] encoded = CoderUtils.encodeToByteArray(TripEventCoder.of(), trip);
      assertThat(CoderUtils.decodeFromByteArray(TripEventCoder.of(), encoded)).isEqualTo(trip);
      ourBytes += encoded.length;
      avroBytes += CoderUtils.encodeToByteArray(AvroCoder.of(TripEvent.class), trip).length;
    }
    // Doubles take 8 bytes here instead of Avro's union index + 8: never larger than Avro's
    // encoding.
    assertThat(ourBytes).isLessThanOrEqualTo(avroBytes);
  }

  @Test
  void aTripWithEveryOptionalFieldNullAndOneWithEveryFieldSetDecodeEqual() throws IOException {
    TripEvent sparse =
        TripEvent.newBuilder()
            .setPickupDatetime(Instant.parse("2019-08-01T00:00:00.123Z"))
            .setDropoffDatetime(Instant.parse("2019-08-01T00:10:00Z"))
            .setPickupLocationId(1)
            .setDropoffLocationId(265)
            .setTripId(Long.MAX_VALUE)
            .setType("yellow")
            .build();
    TripEvent full =
        TripEvent.newBuilder(sparse)
            .setVendorId(2)
            .setPassengerCount(0)
            .setTripDistance(-0.0)
            .setRatecodeId(99)
            .setStoreAndFwdFlag("Y")
            .setPaymentType(-1)
            .setFareAmount(Double.MAX_VALUE)
            .setExtra(Double.NaN)
            .setMtaTax(0.5)
            .setTipAmount(1e-9)
            .setTollsAmount(6.12)
            .setImprovementSurcharge(0.3)
            .setTotalAmount(-52.8)
            .setCongestionSurcharge(2.5)
            .setAirportFee(1.25)
            .setTripId(-7)
            .setType("gr\u00fcn \u0001")
            .setPadding("x".repeat(10_000))
            .setPickupBorough("Manhattan")
            .setPickupZone("Upper West Side South")
            .setDropoffBorough("Queens")
            .setDropoffZone("Saint Michaels Cemetery/Woodside")
            .build();
    TripEvent zonesOnlyAtOneEnd =
        TripEvent.newBuilder(sparse).setDropoffBorough("EWR").setDropoffZone("").build();
    for (TripEvent trip : List.of(sparse, full, zonesOnlyAtOneEnd)) {
      byte[] encoded = CoderUtils.encodeToByteArray(TripEventCoder.of(), trip);
      assertThat(CoderUtils.decodeFromByteArray(TripEventCoder.of(), encoded)).isEqualTo(trip);
    }
  }

  @Test
  void theCoderKnowsEveryFieldOfTheSchema() {
    // A field added to TripEvent.avsc must be written by the coder too (a new format version):
    // update both.
    List<String> fields = new ArrayList<>();
    for (Schema.Field field : TripEvent.getClassSchema().getFields()) {
      fields.add(field.name());
    }
    assertThat(fields)
        .containsExactly(
            "vendor_id",
            "pickup_datetime",
            "dropoff_datetime",
            "passenger_count",
            "trip_distance",
            "ratecode_id",
            "store_and_fwd_flag",
            "pickup_location_id",
            "dropoff_location_id",
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
            "trip_id",
            "type",
            "padding",
            "pickup_borough",
            "pickup_zone",
            "dropoff_borough",
            "dropoff_zone");
  }

  @Test
  void anotherFormatVersionATruncatedTripOrATripWithoutTypeIsRefused() throws IOException {
    TripEvent trip = sampleTrips().get(0);
    byte[] encoded = CoderUtils.encodeToByteArray(TripEventCoder.of(), trip);
    assertThat(encoded[0]).as("format version").isEqualTo((byte) 2);
    byte[] newer = encoded.clone();
    newer[0] = 3;
    assertThatThrownBy(() -> CoderUtils.decodeFromByteArray(TripEventCoder.of(), newer))
        .isInstanceOf(CoderException.class)
        .hasMessage("unknown TripEvent encoding version 3, expected 2");
    byte[] older = encoded.clone();
    older[0] = 1;
    assertThatThrownBy(() -> CoderUtils.decodeFromByteArray(TripEventCoder.of(), older))
        .isInstanceOf(CoderException.class)
        .hasMessageContaining("version 1, expected 2: state written by an earlier version")
        .hasMessageContaining("start it without restoring");
    byte[] truncated = Arrays.copyOf(encoded, encoded.length - 3);
    assertThatThrownBy(() -> TripEventCoder.of().decode(new ByteArrayInputStream(truncated)))
        .isInstanceOf(EOFException.class);
    assertThatThrownBy(() -> CoderUtils.encodeToByteArray(TripEventCoder.of(), null))
        .isInstanceOf(CoderException.class);
    TripEvent withoutType = TripEvent.newBuilder(trip).build();
    withoutType.put("type", null);
    assertThatThrownBy(() -> CoderUtils.encodeToByteArray(TripEventCoder.of(), withoutType))
        .isInstanceOf(CoderException.class)
        .hasMessageContaining("without its type");
  }

  private static List<TripEvent> sampleTrips() throws IOException {
    TripEventParser parser = new TripEventParser(ZoneOffset.UTC);
    List<TripEvent> trips = new ArrayList<>();
    try (InputStream in = new GZIPInputStream(Files.newInputStream(SAMPLE));
        BufferedReader lines =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (parser.parse(line.getBytes(StandardCharsets.UTF_8))
            instanceof ParseOutcome.Trip parsed) {
          trips.add(parsed.event());
        }
      }
    }
    return trips;
  }
}
