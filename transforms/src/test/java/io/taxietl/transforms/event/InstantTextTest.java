package io.taxietl.transforms.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InstantTextTest {
  private static final long END_MILLIS = InstantText.END_SECONDS * 1000;

  @Test
  void writesWhatInstantToStringWritesForAMillionInstantsAndTheEdges() {
    List<Instant> instants = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(20191101);
    for (int i = 0; i < 1_000_000; i++) {
      instants.add(Instant.ofEpochMilli(random.nextLong(END_MILLIS)));
    }
    for (int i = 0; i < 100_000; i++) {
      instants.add(Instant.ofEpochSecond(random.nextLong(InstantText.END_SECONDS)));
    }
    instants.addAll(
        List.of(
            Instant.EPOCH,
            Instant.ofEpochMilli(1),
            Instant.ofEpochMilli(END_MILLIS - 1),
            Instant.ofEpochSecond(InstantText.END_SECONDS),
            Instant.ofEpochMilli(-1),
            Instant.parse("1969-12-31T23:59:59Z"),
            Instant.parse("2000-02-29T12:00:00.010Z"),
            Instant.parse("2019-03-01T00:13:12Z"),
            Instant.parse("2019-03-01T00:13:12.000001Z"),
            Instant.parse("2019-03-01T00:13:12.123456789Z"),
            Instant.MIN,
            Instant.MAX));
    List<String> differences = new ArrayList<>();
    for (Instant instant : instants) {
      StringBuilder text = new StringBuilder();
      InstantText.append(instant, text);
      if (!text.toString().equals(instant.toString()) && differences.size() < 20) {
        differences.add(instant.toString() + " written as " + text);
      }
    }
    assertThat(differences).isEmpty();
  }
}
