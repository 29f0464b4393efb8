package io.taxietl.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

/**
 * A Flink savepoint stores these classes by name (the coders of the job's state, and the Kinesis
 * source that the runner Java-serializes into its split state): a job restores from a savepoint
 * taken by an earlier version only if they keep their names. Moving one is a breaking change for
 * running jobs.
 */
class SavepointClassNamesTest {
  @Test
  void classesNamedInSavepointsKeepTheirNames() {
    assertThat(TripEventCoder.class.getName()).isEqualTo("io.taxietl.transforms.TripEventCoder");
    assertThat(LagReportingKinesisSource.class.getName())
        .isEqualTo("io.taxietl.transforms.LagReportingKinesisSource");
    assertThat(KinesisReaderMark.Coder.class.getName())
        .isEqualTo("io.taxietl.transforms.KinesisReaderMark$Coder");
    // The exactly-once Kafka sink's batches, held in Flink state until their checkpoint completes.
    assertThatCode(() -> Class.forName("io.taxietl.transforms.io.kafka.TransactionBatch$Coder"))
        .doesNotThrowAnyException();
  }
}
