package io.taxietl.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taxietl.avro.TripEvent;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
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

  @Test
  void everyTripOfTheBundledSampleDecodesToAnEqualTrip() throws IOException {
    List<TripEvent> trips = TestTrips.sampleTrips();
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
    TripEvent sparse = TestTrips.onlyRequiredFields();
    TripEvent full =
        TripEvent.newBuilder(TestTrips.everyFieldSet())
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
  void theBytesOfFormatVersionTwoNeverChange() throws IOException {
    // Savepoints hold these bytes: the same trips must encode to exactly these, and decode back.
    TripEvent sparse = TestTrips.onlyRequiredFields();
    TripEvent full = TestTrips.everyFieldSet();
    String sparseHex = "02ffff3ffbd8e7d3c42dc0a78cd4c42d018902ffffffffffffffff7f0679656c6c6f77";
    String fullHex =
        "0280803c02fbd8e7d3c42dc0a78cd4c42d008000000000000000630159018902ffffffff0f7fefffffffffff"
            + "ff"
            + "7ff80000000000003fe00000000000003e112e0be826d69540187ae147ae147b3fd3333333333333c0"
            + "4a66666666666640040000000000003ff4000000000000ffffffffffffffff7f0679656c6c6f7705c3"
            + "bce282ac";
    assertThat(HexFormat.of().formatHex(CoderUtils.encodeToByteArray(TripEventCoder.of(), sparse)))
        .isEqualTo(sparseHex);
    assertThat(HexFormat.of().formatHex(CoderUtils.encodeToByteArray(TripEventCoder.of(), full)))
        .isEqualTo(fullHex);
    assertThat(
            CoderUtils.decodeFromByteArray(TripEventCoder.of(), HexFormat.of().parseHex(fullHex)))
        .isEqualTo(full);
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
    TripEvent trip = TestTrips.sampleTrips().get(0);
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
}
