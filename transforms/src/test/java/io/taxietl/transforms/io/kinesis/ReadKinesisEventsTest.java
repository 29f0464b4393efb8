package io.taxietl.transforms.io.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The Kinesis source's configuration: starting positions and the checks of each {@code withX()}.
 */
class ReadKinesisEventsTest {
  @Test
  void startingPositionsParseAsKinesisNamesThem() {
    assertThat(KinesisStartingPosition.parse("latest")).isEqualTo(KinesisStartingPosition.LATEST);
    assertThat(KinesisStartingPosition.parse(" TRIM_HORIZON "))
        .isEqualTo(KinesisStartingPosition.TRIM_HORIZON);
    KinesisStartingPosition at = KinesisStartingPosition.parse("2019-03-01T00:00:00Z");
    assertThat(at.kind()).isEqualTo(KinesisStartingPosition.Kind.AT_TIMESTAMP);
    assertThat(at.timestamp()).isEqualTo(Instant.parse("2019-03-01T00:00:00Z"));
    assertThat(at).hasToString("2019-03-01T00:00:00Z");
  }

  @Test
  void anUnknownStartingPositionNamesTheValue() {
    assertThatThrownBy(() -> KinesisStartingPosition.parse("EARLIEST"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'EARLIEST' is neither LATEST, TRIM_HORIZON nor an ISO-8601 instant");
    assertThatThrownBy(() -> KinesisStartingPosition.parse(" "))
        .hasMessage("initial position is empty");
  }

  @Test
  void eachSettingIsCheckedWhereItIsSet() {
    assertThatThrownBy(() -> ReadKinesisEvents.from(" "))
        .hasMessage("streamName can not be null or blank");
    ReadKinesisEvents read = ReadKinesisEvents.from("trips");
    assertThatThrownBy(() -> read.withRegion(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("region can not be blank");
    assertThatThrownBy(() -> read.withEndpoint(URI.create("/no/host")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("absolute URL");
    assertThatThrownBy(() -> read.withGetRecordsInterval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be positive");
    assertThatThrownBy(() -> read.withStartingPosition(null))
        .isInstanceOf(NullPointerException.class);
    assertThat(
            read.withRegion(null).withEndpoint(null).withGetRecordsInterval(Duration.ofMillis(200)))
        .isNotNull();
  }
}
