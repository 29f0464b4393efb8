package io.taxietl.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.taxietl.avro.TripEvent;
import io.taxietl.options.ParquetOutputOptions;
import io.taxietl.transforms.io.file.PartitionTemplate;
import io.taxietl.transforms.parse.ParseOutcome;
import io.taxietl.transforms.parse.TripEventParser;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class BaselineBucketAssignerTest {
  private static final PartitionTemplate TEMPLATE =
      PartitionTemplate.parse(ParquetOutputOptions.DEFAULT_PARTITION_TEMPLATE, ZoneOffset.UTC);

  @Test
  void bucketsAreOurPartitionFoldersForEveryTripOfTheSample() {
    BenchmarkEvents events = BenchmarkEvents.fromBundledSample();
    TripEventParser parser = new TripEventParser(ZoneOffset.UTC);
    BaselineFlinkJob.PartitionBucketAssigner assigner =
        new BaselineFlinkJob.PartitionBucketAssigner(TEMPLATE);
    int compared = 0;
    for (long i = 0; i < events.sampleSize(); i++) {
      if (parser.parse(events.payload(i)) instanceof ParseOutcome.Trip trip) {
        assertThat(assigner.getBucketId(trip.event(), null))
            .isEqualTo(TEMPLATE.partitionOf(trip.event()));
        compared++;
      }
    }
    assertThat(compared).isGreaterThan(19_000);
  }

  @Test
  void theFirstSampleTripLandsInTheOriginalSamplesLayout() {
    TripEvent first =
        ((ParseOutcome.Trip)
                new TripEventParser(ZoneOffset.UTC)
                    .parse(BenchmarkEvents.fromBundledSample().payload(0)))
            .event();
    assertThat(new BaselineFlinkJob.PartitionBucketAssigner(TEMPLATE).getBucketId(first, null))
        .isEqualTo("pickup_location=158/year=2008/month=12");
  }
}
