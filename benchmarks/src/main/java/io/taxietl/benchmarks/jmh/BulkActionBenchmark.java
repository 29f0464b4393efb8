package io.taxietl.benchmarks.jmh;

import io.taxietl.avro.TripEvent;
import io.taxietl.transforms.event.TripEventJson;
import io.taxietl.transforms.io.elasticsearch.IndexNameTemplate;
import io.taxietl.transforms.io.elasticsearch.ToBulkActionFn;
import java.lang.reflect.Method;
import java.util.List;
import org.apache.beam.sdk.io.elasticsearch.ElasticsearchIO;
import org.joda.time.Instant;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * One trip turned into its Elasticsearch bulk lines, the work of the sink's first step per
 * document: {@code docToBulk}, the trip's JSON and then what ElasticsearchIO 2.62's {@code
 * DocToBulk} does with it (parses it into a tree, reads id and index from the tree with the
 * functions the sink gave it, writes the action line; its package-private method, reached by
 * reflection), against {@code toBulkActionFn}, {@link ToBulkActionFn}'s own (the JSON, then the
 * action line from the trip).
 */
public class BulkActionBenchmark extends JmhSettings {
  private static final int BACKEND_VERSION = 7;

  @Param({"docToBulk", "toBulkActionFn"})
  public String builder;

  private IndexNameTemplate template;
  private ElasticsearchIO.DocToBulk docToBulk;
  private Method createBulkApiEntity;
  private List<TripEvent> trips;
  private int next;

  @Setup
  public void setup() throws ReflectiveOperationException {
    template = IndexNameTemplate.parse(IndexNameTemplate.DEFAULT);
    docToBulk =
        ElasticsearchIO.docToBulk()
            .withBackendVersion(BACKEND_VERSION)
            .withIdFn(document -> document.get("trip_id").asText())
            .withIndexFn(document -> document.get("type").asText());
    createBulkApiEntity =
        ElasticsearchIO.DocToBulk.class.getDeclaredMethod(
            "createBulkApiEntity", ElasticsearchIO.DocToBulk.class, String.class, int.class);
    createBulkApiEntity.setAccessible(true);
    trips = SampleTrips.trips(10_000);
  }

  @Benchmark
  public Object build() throws ReflectiveOperationException {
    TripEvent trip = trips.get(next);
    next = next + 1 == trips.size() ? 0 : next + 1;
    if ("docToBulk".equals(builder)) {
      return createBulkApiEntity.invoke(
          null, docToBulk, TripEventJson.toJson(trip), BACKEND_VERSION);
    }
    return ToBulkActionFn.bulkAction(trip, template, Instant.EPOCH);
  }
}
