package io.taxietl.transforms.io.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.taxietl.avro.TripEvent;
import io.taxietl.transforms.TestTrips;
import io.taxietl.transforms.TripEventCoder;
import io.taxietl.transforms.event.TripEventJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.elasticsearch.ElasticsearchIO;
import org.apache.beam.sdk.io.elasticsearch.ElasticsearchIO.Document;
import org.apache.beam.sdk.io.elasticsearch.ElasticsearchIO.DocumentCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The oracle of {@link ToBulkActionFn} is what it replaced: {@code ElasticsearchIO.docToBulk()} of
 * Beam 2.62 over each trip's JSON document, with id and index functions that read the two values
 * back from the parsed document. Both run in one pipeline on the direct runner over every trip of
 * the bundled sample plus trips with edge values, and every {@link Document} (input document, bulk
 * lines, error flag, response, timestamp) must be equal.
 */
class ToBulkActionFnTest {
  private static final TupleTag<Document> OURS = new TupleTag<>("ours");
  private static final TupleTag<Document> DOC_TO_BULK = new TupleTag<>("docToBulk");

  /** Every field kind the template can render: string, int, double, NaN, timestamp, long, null. */
  private static final String TEMPLATE =
      "trips-{type}-{vendor_id}-{trip_distance}-{extra}-{fare_amount}-{pickup_datetime}"
          + "-{trip_id}-{pickup_zone}-{padding}";

  @Test
  void buildsWhatElasticsearchIoDocToBulkBuildsForEveryTrip() {
    IndexNameTemplate template = IndexNameTemplate.parse(TEMPLATE);
    List<TimestampedValue<TripEvent>> trips = new ArrayList<>();
    for (TripEvent trip : TestTrips.sampleAndEdgeTrips()) {
      trips.add(TimestampedValue.of(trip, new Instant(trip.getPickupDatetime().toEpochMilli())));
    }
    assertThat(trips).hasSizeGreaterThan(10_000);
    TestPipeline pipeline = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    PCollection<TripEvent> input =
        pipeline.apply(Create.timestamped(trips).withCoder(TripEventCoder.of()));

    PCollection<Document> ours =
        input.apply("Ours", ParDo.of(new ToBulkActionFn(template))).setCoder(DocumentCoder.of());
    PCollection<Document> docToBulk =
        input
            .apply("ToJson", MapElements.into(TypeDescriptors.strings()).via(TripEventJson::toJson))
            .setCoder(StringUtf8Coder.of())
            .apply(
                "DocToBulk",
                ElasticsearchIO.docToBulk()
                    .withBackendVersion(7)
                    .withIdFn(new TripIdFn())
                    .withIndexFn(new DocumentIndexFn(TEMPLATE)))
            .setCoder(DocumentCoder.of());

    PCollection<String> differences =
        KeyedPCollectionTuple.of(OURS, byTripId(ours, "KeyOurs"))
            .and(DOC_TO_BULK, byTripId(docToBulk, "KeyDocToBulk"))
            .apply(CoGroupByKey.create())
            .apply("Compare", ParDo.of(new CompareFn()))
            .setCoder(StringUtf8Coder.of());

    PAssert.that(differences).empty();
    PAssert.thatSingleton(ours.apply("CountOurs", Count.globally())).isEqualTo((long) trips.size());
    pipeline.run().waitUntilFinish();
  }

  @Test
  void escapesTheIndexNameAsJacksonWritesAJsonString() {
    assertThat(ToBulkActionFn.indexAction("a\"b\\c\u0001\u00e9", 7L, "{}"))
        .isEqualTo("{ \"index\" : {\"_index\":\"a\\\"b\\\\c\\u0001\u00e9\",\"_id\":\"7\"} }\n{}\n");
  }

  private static PCollection<KV<Long, Document>> byTripId(
      PCollection<Document> documents, String name) {
    return documents
        .apply(name, ParDo.of(new KeyByTripIdFn()))
        .setCoder(KvCoder.of(VarLongCoder.of(), DocumentCoder.of()));
  }

  /** The id function DocToBulk was given: the document's {@code trip_id} as text. */
  static final class TripIdFn implements ElasticsearchIO.Write.FieldValueExtractFn {
    @Override
    public String apply(JsonNode document) {
      return document.get("trip_id").asText();
    }
  }

  /**
   * The index function DocToBulk was given, written here independently of {@link
   * IndexNameTemplate}: each {@code {field}} replaced by the document's value as text ({@value
   * IndexNameTemplate#NULL_VALUE} when missing), lower-cased.
   */
  static final class DocumentIndexFn implements ElasticsearchIO.Write.FieldValueExtractFn {
    private static final Pattern FIELD = Pattern.compile("\\{([a-z_]+)}");
    private final String template;

    DocumentIndexFn(String template) {
      this.template = template;
    }

    @Override
    public String apply(JsonNode document) {
      Matcher fields = FIELD.matcher(template);
      StringBuilder index = new StringBuilder();
      while (fields.find()) {
        JsonNode value = document.get(fields.group(1));
        String text =
            value == null || value.isNull() ? IndexNameTemplate.NULL_VALUE : value.asText();
        fields.appendReplacement(index, Matcher.quoteReplacement(text));
      }
      fields.appendTail(index);
      return index.toString().toLowerCase(Locale.ROOT);
    }
  }

  static final class KeyByTripIdFn extends DoFn<Document, KV<Long, Document>> {
    @ProcessElement
    public void processElement(@Element Document document, OutputReceiver<KV<Long, Document>> out)
        throws IOException {
      out.output(KV.of(TripIds.of(document), document));
    }
  }

  /** One line per trip id whose documents differ between the two (in number or content). */
  static final class CompareFn extends DoFn<KV<Long, CoGbkResult>, String> {
    @ProcessElement
    public void processElement(@Element KV<Long, CoGbkResult> joined, OutputReceiver<String> out) {
      List<Document> ours = sorted(joined.getValue().getAll(OURS));
      List<Document> docToBulk = sorted(joined.getValue().getAll(DOC_TO_BULK));
      if (!ours.equals(docToBulk)) {
        out.output("trip " + joined.getKey() + ": ours " + ours + ", DocToBulk's " + docToBulk);
      }
    }

    private static List<Document> sorted(Iterable<Document> documents) {
      return StreamSupport.stream(documents.spliterator(), false)
          .sorted(Comparator.comparing(Document::getBulkDirective))
          .collect(Collectors.toList());
    }
  }
}
