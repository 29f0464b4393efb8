package io.taxietl.transforms.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taxietl.avro.TripEvent;
import io.taxietl.transforms.TestTrips;
import org.junit.jupiter.api.Test;

class TripEventJsonTest {
  @Test
  void writesContractNamesIsoUtcTimestampsAndLeavesOutMissingValues() throws Exception {
    TripEvent trip = TestTrips.trip(190300001L, "2019-03-01T00:13:12", 239);
    JsonNode doc = new ObjectMapper().readTree(TripEventJson.toJson(trip));
    assertThat(doc.get("trip_id").asLong()).isEqualTo(190300001L);
    assertThat(doc.get("type").asText()).isEqualTo("yellow");
    assertThat(doc.get("pickup_datetime").asText()).isEqualTo("2019-03-01T00:13:12Z");
    assertThat(doc.get("dropoff_datetime").asText()).isEqualTo("2019-03-01T00:23:12Z");
    assertThat(doc.get("pickup_location_id").asInt()).isEqualTo(239);
    assertThat(doc.get("trip_distance").asDouble()).isEqualTo(1.5);
    assertThat(doc.get("total_amount").isDouble()).isTrue();
    assertThat(doc.has("vendor_id")).isFalse();
    assertThat(doc.has("fare_amount")).isFalse();
  }
}
