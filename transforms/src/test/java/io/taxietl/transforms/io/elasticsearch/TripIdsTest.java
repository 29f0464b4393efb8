package io.taxietl.transforms.io.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taxietl.avro.TripEvent;
import io.taxietl.transforms.TestTrips;
import io.taxietl.transforms.event.TripEventJson;
import java.io.IOException;
import java.util.List;
import org.apache.beam.sdk.io.elasticsearch.ElasticsearchIO.Document;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class TripIdsTest {
  @Test
  void readsTheTripIdOfEveryBulkActionBackEvenWithQuotesAndLineFeedsInTheIndexName()
      throws IOException {
    IndexNameTemplate template = IndexNameTemplate.parse("{type}-{padding}-{pickup_zone}");
    List<TripEvent> trips = TestTrips.sampleAndEdgeTrips();
    for (TripEvent trip : trips) {
      Document action = ToBulkActionFn.bulkAction(trip, template, Instant.EPOCH);
      assertThat(TripIds.of(action)).isEqualTo(trip.getTripId());
    }
    TripEvent tricky =
        TripEvent.newBuilder(TestTrips.onlyRequiredFields())
            .setTripId(42)
            .setType("a\"_id\":\"7\"} }\n\"_id\":\"8")
            .build();
    assertThat(TripIds.of(ToBulkActionFn.bulkAction(tricky, template, Instant.EPOCH)))
        .isEqualTo(42);
  }

  @Test
  void readsTheDocumentWhenThereIsNoActionLineOfOurs() throws IOException {
    TripEvent trip = TestTrips.trip(190300001L, "2019-03-01T00:13:12", 239);
    String json = TripEventJson.toJson(trip);
    assertThat(TripIds.of(Document.create().withInputDoc(json))).isEqualTo(190300001L);
    assertThat(
            TripIds.of(
                Document.create()
                    .withInputDoc(json)
                    .withBulkDirective("{ \"index\" : {} }\n" + json + "\n")))
        .isEqualTo(190300001L);
    assertThatThrownBy(() -> TripIds.of(Document.create().withInputDoc("{\"type\":\"yellow\"}")))
        .isInstanceOf(IOException.class);
  }
}
