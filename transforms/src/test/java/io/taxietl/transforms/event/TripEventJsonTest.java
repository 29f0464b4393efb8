package io.taxietl.transforms.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taxietl.avro.TripEvent;
import io.taxietl.transforms.TestTrips;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
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

  @Test
  void everyDocumentOfTheSampleIsCharacterForCharacterWhatJacksonWritesForEachField()
      throws IOException {
    List<TripEvent> trips = TestTrips.sampleAndEdgeTrips();
    assertThat(trips).hasSizeGreaterThan(10_000);
    List<String> differences = new ArrayList<>();
    for (TripEvent trip : trips) {
      String expected = jacksonFieldByField(trip);
      String actual = TripEventJson.toJson(trip);
      if (!expected.equals(actual) && differences.size() < 5) {
        differences.add("expected " + expected + "\n     was " + actual);
      }
    }
    assertThat(differences).isEmpty();
  }

  /**
   * The reference: every field that has a value written with Jackson's own method for its type
   * (numbers with {@link JsonGenerator#writeNumberField}), in schema order.
   */
  private static String jacksonFieldByField(TripEvent trip) throws IOException {
    StringWriter out = new StringWriter();
    try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
      json.writeStartObject();
      for (Schema.Field field : TripEvent.getClassSchema().getFields()) {
        Object value = trip.get(field.pos());
        if (value instanceof Integer number) {
          json.writeNumberField(field.name(), number);
        } else if (value instanceof Long number) {
          json.writeNumberField(field.name(), number);
        } else if (value instanceof Double number) {
          json.writeNumberField(field.name(), number);
        } else if (value instanceof Instant || value instanceof CharSequence) {
          json.writeStringField(field.name(), value.toString());
        }
      }
      json.writeEndObject();
    }
    return out.toString();
  }
}
