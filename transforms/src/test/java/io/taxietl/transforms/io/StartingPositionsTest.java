package io.taxietl.transforms.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taxietl.transforms.io.kafka.KafkaStartingPosition;
import io.taxietl.transforms.io.kinesis.KinesisStartingPosition;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The starting-position syntax, as each source uses it. */
class StartingPositionsTest {
  private static final Instant MARCH = Instant.parse("2019-03-01T00:00:00Z");

  @Test
  void kafkaReadsItsKeywordsInAnyCaseAndInstants() {
    assertThat(KafkaStartingPosition.parse(" earliest ")).isEqualTo(KafkaStartingPosition.EARLIEST);
    assertThat(KafkaStartingPosition.parse("Latest")).isEqualTo(KafkaStartingPosition.LATEST);
    KafkaStartingPosition atTime = KafkaStartingPosition.parse("2019-03-01T00:00:00Z");
    assertThat(atTime.timestamp()).isEqualTo(MARCH);
    assertThat(atTime.autoOffsetReset()).isEqualTo("earliest");
    assertThatThrownBy(() -> KafkaStartingPosition.parse("TRIM_HORIZON"))
        .hasMessage(
            "'TRIM_HORIZON' is neither EARLIEST, LATEST nor an ISO-8601 instant such as "
                + "2019-03-01T00:00:00Z");
    assertThatThrownBy(() -> KafkaStartingPosition.parse(""))
        .hasMessage("starting position is empty");
  }

  @Test
  void kinesisReadsItsKeywordsInAnyCaseAndInstants() {
    assertThat(KinesisStartingPosition.parse("trim_horizon"))
        .isEqualTo(KinesisStartingPosition.TRIM_HORIZON);
    assertThat(KinesisStartingPosition.parse("2019-03-01T00:00:00Z"))
        .isEqualTo(KinesisStartingPosition.atTimestamp(MARCH));
    assertThatThrownBy(() -> KinesisStartingPosition.parse("2019-03-01"))
        .hasMessage(
            "'2019-03-01' is neither LATEST, TRIM_HORIZON nor an ISO-8601 instant such as "
                + "2019-03-01T00:00:00Z");
  }
}
