package io.taxietl.transforms.io.file;

import static io.taxietl.transforms.TestTrips.trip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taxietl.avro.TripEvent;
import io.taxietl.options.ParquetOutputOptions;
import io.taxietl.transforms.TripEventCoder;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.Test;

class TripBatchCoderTest {
  private static final PartitionTemplate LAYOUT =
      PartitionTemplate.parse(ParquetOutputOptions.DEFAULT_PARTITION_TEMPLATE, ZoneOffset.UTC);
  private static final TripBatchCoder CODER = TripBatchCoder.of(LAYOUT);

  @Test
  void aBatchDecodesToAnEqualBatchWithItsFolderComputedAgain() throws CoderException {
    TripBatch batch =
        new TripBatch(
            "pickup_location=007/year=2019/month=03",
            List.of(trip(1, "2019-03-01T00:13:12", 7), trip(2, "2019-03-02T10:00:00", 7)));

    byte[] bytes = CoderUtils.encodeToByteArray(CODER, batch);

    assertThat(bytes[0]).isEqualTo((byte) TripBatchCoder.BATCH_FORMAT);
    assertThat(CoderUtils.decodeFromByteArray(CODER, bytes)).isEqualTo(batch);
  }

  @Test
  void aBatchInsideAnotherCoderReadsExactlyItsOwnBytes() throws CoderException {
    KvCoder<TripBatch, String> pair = KvCoder.of(CODER, StringUtf8Coder.of());
    TripBatch batch =
        new TripBatch(
            "pickup_location=265/year=2008/month=12", List.of(trip(9, "2008-12-31T23:49:36", 265)));

    byte[] bytes = CoderUtils.encodeToByteArray(pair, KV.of(batch, "after"));

    assertThat(CoderUtils.decodeFromByteArray(pair, bytes)).isEqualTo(KV.of(batch, "after"));
  }

  @Test
  void aSingleTripFromStateWrittenBeforeBatchingDecodesAsABatchOfOne() throws CoderException {
    TripEvent trip = trip(42, "2019-03-01T00:13:12", 239);
    byte[] beforeBatching = CoderUtils.encodeToByteArray(TripEventCoder.of(), trip);

    TripBatch batch = CoderUtils.decodeFromByteArray(CODER, beforeBatching);

    assertThat(batch.partition()).isEqualTo("pickup_location=239/year=2019/month=03");
    assertThat(batch.trips()).containsExactly(trip);
  }

  @Test
  void anUnknownFormatATruncatedBatchAndAnEmptyBatchAreRefused() throws CoderException {
    assertThatThrownBy(() -> CoderUtils.decodeFromByteArray(CODER, new byte[] {9, 1, 0}))
        .isInstanceOf(CoderException.class)
        .hasMessageContaining("unknown TripEvent encoding version 9");
    byte[] formatOne =
        CoderUtils.encodeToByteArray(TripEventCoder.of(), trip(42, "2019-03-01T00:13:12", 239));
    formatOne[0] = 1;
    assertThatThrownBy(() -> CoderUtils.decodeFromByteArray(CODER, formatOne))
        .as("a single trip of the format before the zone names, from an older snapshot")
        .isInstanceOf(CoderException.class)
        .hasMessageContaining("start it without restoring");
    byte[] encoded =
        CoderUtils.encodeToByteArray(
            CODER,
            new TripBatch(
                "pickup_location=007/year=2019/month=03",
                List.of(trip(1, "2019-03-01T00:13:12", 7))));
    byte[] truncated = Arrays.copyOf(encoded, encoded.length - 2);
    assertThatThrownBy(() -> CODER.decode(new ByteArrayInputStream(truncated)))
        .isInstanceOf(EOFException.class);
    assertThatThrownBy(() -> CoderUtils.encodeToByteArray(CODER, new TripBatch("x", List.of())))
        .isInstanceOf(CoderException.class)
        .hasMessageContaining("empty");
  }

  @Test
  void theClassNameThatSavepointsStoreStaysPut() {
    // Checkpoints store the coder of the step's buffered output by class name.
    assertThat(TripBatchCoder.class.getName())
        .isEqualTo("io.taxietl.transforms.io.file.TripBatchCoder");
  }
}
