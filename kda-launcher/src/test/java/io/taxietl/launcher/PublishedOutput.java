package io.taxietl.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.taxietl.launcher.ClusterEvents.Expected;
import io.taxietl.pipeline.TripOutput;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What a job published in a local folder (or a local copy of an S3 prefix), read with the pipeline
 * tests' readers that are independent of the pipeline's code ({@link TripOutput}: DuckDB for the
 * rows, Jackson for the dead letters), and the exactly-once check.
 */
final class PublishedOutput {
  private final Path trips;
  private final Path deadLetters;

  PublishedOutput(Path trips, Path deadLetters) {
    this.trips = trips;
    this.deadLetters = deadLetters;
  }

  /** A trip row as DuckDB reads it back: its id and the partition folder values it was found in. */
  record Row(long tripId, List<String> partition) {}

  /** Every published row; empty if none yet. */
  List<Row> rows() {
    return TripOutput.rows(trips).stream()
        .map(row -> new Row(row.tripId(), List.of(row.pickupLocation(), row.year(), row.month())))
        .toList();
  }

  /** Every published dead-letter record, parsed; empty if none yet. */
  List<JsonNode> deadLetters() {
    return TripOutput.deadLetters(deadLetters);
  }

  /**
   * Every valid trip exactly once, in its partition folder; every bad event exactly one dead
   * letter, with the reason it must have and an origin that {@code origin} accepts.
   */
  void assertExactlyOnce(Expected expected, Consumer<JsonNode> origin) {
    Map<Long, List<String>> byTripId = new HashMap<>();
    List<Long> duplicates = new ArrayList<>();
    for (Row row : rows()) {
      if (byTripId.put(row.tripId(), row.partition()) != null) {
        duplicates.add(row.tripId());
      }
    }
    assertThat(duplicates).as("trip ids written more than once").isEmpty();
    assertThat(byTripId.keySet()).as("trip ids written").isEqualTo(expected.trips().keySet());
    assertThat(byTripId).as("partition folder of each trip").isEqualTo(expected.trips());
    TripOutput.assertOnlyParquetFiles(trips);

    Map<String, String> reasons = new HashMap<>();
    for (JsonNode deadLetter : deadLetters()) {
      String previous =
          reasons.put(deadLetter.path("payload").asText(), deadLetter.path("reason").asText());
      assertThat(previous).as("dead letter written twice: %s", deadLetter).isNull();
      origin.accept(deadLetter);
    }
    assertThat(reasons).as("dead letters by payload").isEqualTo(expected.rejections());
  }
}
