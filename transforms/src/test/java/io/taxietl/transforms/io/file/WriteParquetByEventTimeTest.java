package io.taxietl.transforms.io.file;

import static io.taxietl.transforms.TestTrips.parquetFiles;
import static io.taxietl.transforms.TestTrips.readParquet;
import static io.taxietl.transforms.TestTrips.trip;
import static org.assertj.core.api.Assertions.assertThat;

import io.taxietl.avro.TripEvent;
import io.taxietl.options.ParquetOutputOptions;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Keys;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files roll by arrival-time windows while folders follow each trip's own pickup time: a trip that
 * arrives late in wall-clock terms, or whose pickup lies years back, still lands in its own
 * partition.
 */
class WriteParquetByEventTimeTest {
  private static final Duration WINDOW = Duration.standardSeconds(60);
  private static final Instant ARRIVAL = new Instant(1_700_000_040_000L);

  @TempDir Path folder;

  @Test
  void partitionsFollowEventTimeWhileFilesRollByArrivalWindow() {
    Path output = folder.resolve("trips");
    StreamingOptions options = PipelineOptionsFactory.as(StreamingOptions.class);
    options.setStreaming(true);
    TestPipeline pipeline = TestPipeline.fromOptions(options).enableAbandonedNodeEnforcement(true);

    TestStream<TripEvent> arrivals =
        TestStream.create(AvroCoder.of(TripEvent.class))
            .advanceWatermarkTo(ARRIVAL)
            .addElements(
                TimestampedValue.of(
                    trip(1, "2019-03-31T23:59:59", 7), ARRIVAL.plus(Duration.millis(1))),
                TimestampedValue.of(
                    trip(2, "2019-04-01T00:00:00", 7), ARRIVAL.plus(Duration.millis(2))))
            .advanceWatermarkTo(ARRIVAL.plus(WINDOW))
            .addElements(
                // Arrives a window later but was picked up in March: joins trip 1's folder.
                TimestampedValue.of(
                    trip(3, "2019-03-15T10:00:00", 7),
                    ARRIVAL.plus(WINDOW).plus(Duration.millis(1))),
                // A pickup eleven years before the others: written to its own partition, not
                // dropped.
                TimestampedValue.of(
                    trip(4, "2008-12-31T23:49:36", 265),
                    ARRIVAL.plus(WINDOW).plus(Duration.millis(2))))
            .advanceWatermarkToInfinity();

    PCollection<String> partitions =
        pipeline
            .apply(arrivals)
            .apply(
                WriteParquetByEventTime.to(
                        output.toString(),
                        PartitionTemplate.parse(
                            ParquetOutputOptions.DEFAULT_PARTITION_TEMPLATE, ZoneOffset.UTC))
                    .withWindowSizeSeconds(60))
            .apply(Keys.create());

    IntervalWindow first = new IntervalWindow(ARRIVAL, WINDOW);
    IntervalWindow second = new IntervalWindow(ARRIVAL.plus(WINDOW), WINDOW);
    PAssert.that(partitions)
        .inWindow(first)
        .containsInAnyOrder(
            "pickup_location=007/year=2019/month=03", "pickup_location=007/year=2019/month=04");
    PAssert.that(partitions)
        .inWindow(second)
        .containsInAnyOrder(
            "pickup_location=007/year=2019/month=03", "pickup_location=265/year=2008/month=12");
    assertThat(pipeline.run().waitUntilFinish()).isEqualTo(PipelineResult.State.DONE);

    List<Path> files = parquetFiles(output);
    assertThat(files).hasSize(4);
    assertThat(parquetFiles(folder.resolve(".trips-staging")))
        .as("staged files left behind")
        .isEmpty();
    Map<String, List<Long>> tripIdsByFolder = new TreeMap<>();
    for (Path file : files) {
      tripIdsByFolder
          .computeIfAbsent(file.getParent().toString(), folder -> new ArrayList<>())
          .addAll(
              readParquet(output.resolve(file)).stream()
                  .map(r -> (Long) r.get("trip_id"))
                  .toList());
    }
    assertThat(tripIdsByFolder)
        .containsOnly(
            Map.entry("pickup_location=007/year=2019/month=03", List.of(1L, 3L)),
            Map.entry("pickup_location=007/year=2019/month=04", List.of(2L)),
            Map.entry("pickup_location=265/year=2008/month=12", List.of(4L)));
    assertThat(files.stream().map(f -> f.getFileName().toString()).collect(Collectors.toSet()))
        .allMatch(
            name -> name.matches("trips-\\d{8}T\\d{6}Z-\\d{8}T\\d{6}Z-0-00000-of-00001\\.parquet"));
  }

  @Test
  void rowsKeepEveryFieldWithTimestampsAsUtcMillis() {
    Path output = folder.resolve("trips");
    TestPipeline pipeline = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    TripEvent trip = trip(42, "2019-03-01T00:13:12.345", 239);
    pipeline
        .apply(Create.of(trip).withCoder(AvroCoder.of(TripEvent.class)))
        .apply(
            WriteParquetByEventTime.to(
                output.toString(),
                PartitionTemplate.parse(
                    ParquetOutputOptions.DEFAULT_PARTITION_TEMPLATE, ZoneOffset.UTC)));
    pipeline.run().waitUntilFinish();

    List<Path> files = parquetFiles(output);
    assertThat(files)
        .singleElement()
        .satisfies(
            file ->
                assertThat(file.toString()).startsWith("pickup_location=239/year=2019/month=03/"));
    GenericRecord row = readParquet(output.resolve(files.get(0))).get(0);
    assertThat(row.getSchema().getField("pickup_datetime").schema().getLogicalType().getName())
        .isEqualTo("timestamp-millis");
    assertThat(row.get("pickup_datetime")).isEqualTo(trip.getPickupDatetime());
    assertThat(row.get("trip_id")).isEqualTo(42L);
    assertThat(row.get("type").toString()).isEqualTo("yellow");
    assertThat(row.get("total_amount")).isEqualTo(12.3);
    assertThat(row.get("passenger_count")).isNull();
  }
}
