package io.taxietl.transforms.io.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taxietl.transforms.OffsetLedgerCoder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What the ledger lets through, what it drops, and what it forgets. */
class OffsetLedgerTest {
  private static final long HORIZON = 600_000;

  @Test
  void twoReadersOfTheSamePartitionLetEachOffsetThroughOnce() {
    OffsetLedger ledger = new OffsetLedger();
    List<Long> through = new ArrayList<>();
    // Reader A resumes at 100, reader B starts at 100 too and runs behind it; interleaved.
    long a = 100;
    long b = 100;
    Random random = new Random(7);
    while (a < 1_000 || b < 1_000) {
      boolean pickA = b >= 1_000 || (a < 1_000 && random.nextInt(3) > 0);
      long offset = pickA ? a++ : b++;
      if (ledger.firstSighting(offset, 0, HORIZON)) {
        through.add(offset);
      }
    }
    assertThat(through).hasSize(900).doesNotHaveDuplicates().isSorted();
    assertThat(ledger.ranges()).containsExactly(new long[] {100, 999});
  }

  @Test
  void aReaderAheadOfTheRestoredOneLeavesAGapThatIsFilledNotDropped() {
    OffsetLedger ledger = new OffsetLedger();
    for (long offset = 0; offset < 50; offset++) {
      assertThat(ledger.firstSighting(offset, 0, HORIZON)).isTrue();
    }
    // A fresh reader starts at 80 (offsets committed after an older savepoint); the restored one at 50.
    assertThat(ledger.firstSighting(80, 1, HORIZON)).isTrue();
    assertThat(ledger.firstSighting(81, 1, HORIZON)).isTrue();
    for (long offset = 50; offset < 80; offset++) {
      assertThat(ledger.firstSighting(offset, 2, HORIZON)).as("offset %d", offset).isTrue();
    }
    assertThat(ledger.firstSighting(81, 3, HORIZON)).isFalse();
    assertThat(ledger.firstSighting(82, 3, HORIZON)).isTrue();
    assertThat(ledger.ranges()).containsExactly(new long[] {0, 82});
  }

  @Test
  void gapsOfTransactionMarkersStayGapsAndAreNeverDropped() {
    OffsetLedger ledger = new OffsetLedger();
    // Offsets 10 and 21 are transaction markers: no reader ever returns them.
    for (long offset = 0; offset < 30; offset++) {
      if (offset != 10 && offset != 21) {
        assertThat(ledger.firstSighting(offset, 0, HORIZON)).isTrue();
      }
    }
    assertThat(ledger.ranges()).containsExactly(new long[] {0, 9}, new long[] {11, 20}, new long[] {22, 29});
    for (long offset = 0; offset < 30; offset++) {
      if (offset != 10 && offset != 21) {
        assertThat(ledger.firstSighting(offset, 1, HORIZON)).as("offset %d", offset).isFalse();
      }
    }
  }

  @Test
  void rangesNobodyTouchedForTheHorizonAreForgottenButNeverTheHighest() {
    OffsetLedger ledger = new OffsetLedger();
    ledger.firstSighting(0, 0, HORIZON);
    ledger.firstSighting(1, 0, HORIZON);
    ledger.firstSighting(5, 1_000, HORIZON);
    // A new range long after: the untouched [0, 1] is forgotten, the highest range stays.
    ledger.firstSighting(9, HORIZON + 500, HORIZON);
    assertThat(ledger.ranges()).containsExactly(new long[] {5, 5}, new long[] {9, 9});
    assertThat(ledger.firstSighting(0, HORIZON + 600, HORIZON)).as("forgotten: let through again").isTrue();

    OffsetLedger single = new OffsetLedger();
    single.firstSighting(3, 0, HORIZON);
    single.firstSighting(7, 10 * HORIZON, HORIZON);
    single.firstSighting(20, 100 * HORIZON, HORIZON);
    assertThat(single.firstSighting(20, 1_000 * HORIZON, HORIZON)).isFalse();
  }

  @Test
  void aPartitionKeepsAtMostMaxRangesForgettingTheLowestFirst() {
    OffsetLedger ledger = new OffsetLedger();
    for (long i = 0; i <= OffsetLedger.MAX_RANGES; i++) {
      ledger.firstSighting(i * 2, 0, HORIZON);
    }
    assertThat(ledger.ranges()).hasSize(OffsetLedger.MAX_RANGES);
    assertThat(ledger.ranges().get(0)).containsExactly(2, 2);
    assertThat(ledger.firstSighting(2L * OffsetLedger.MAX_RANGES, 0, HORIZON)).isFalse();
  }

  @Test
  void theCoderRoundTripsEveryRangeAndTouchTime() throws IOException {
    OffsetLedger ledger = new OffsetLedger();
    for (long offset : new long[] {0, 1, 2, 7, 8, 1L << 40, (1L << 40) + 1}) {
      ledger.firstSighting(offset, offset + 17, Long.MAX_VALUE);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    OffsetLedgerCoder.of().encode(ledger, bytes);
    OffsetLedger decoded = OffsetLedgerCoder.of().decode(new ByteArrayInputStream(bytes.toByteArray()));
    assertThat(decoded.ranges())
        .containsExactly(new long[] {0, 2}, new long[] {7, 8}, new long[] {1L << 40, (1L << 40) + 1});
    for (int i = 0; i < ledger.size(); i++) {
      assertThat(decoded.touched(i)).isEqualTo(ledger.touched(i));
    }
    assertThat(decoded.firstSighting(8, 0, Long.MAX_VALUE)).isFalse();
    assertThat(decoded.firstSighting(9, 0, Long.MAX_VALUE)).isTrue();
  }

  @Test
  void negativeOffsetsAreABug() {
    assertThatThrownBy(() -> new OffsetLedger().firstSighting(-1, 0, HORIZON))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
  }
}
