package io.taxietl.transforms.io.elasticsearch;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.taxietl.avro.TripEvent;
import io.taxietl.transforms.event.TripEventJson;
import org.apache.beam.sdk.io.elasticsearch.ElasticsearchIO.Document;
import org.apache.beam.sdk.transforms.DoFn;
import org.joda.time.Instant;

/**
 * A trip as the {@link Document} that ElasticsearchIO's {@code BulkIO} sends: its JSON ({@link
 * TripEventJson}) as the input document and an {@code index} action with {@code _index} from the
 * {@link IndexNameTemplate} and {@code _id} = {@code trip_id}, keeping the element's timestamp.
 *
 * <p>It builds what {@code ElasticsearchIO.docToBulk()} (Beam 2.62, backend version 7) builds from
 * the same document with id and index functions reading those two values, character for character
 * ({@code ToBulkActionFnTest} compares the two over the bundled sample), without parsing the
 * document back into a tree to read them: that parse cost as much CPU as writing the document. The
 * action has no {@code _type}: 7.x's format, which 8.x and OpenSearch accept too.
 */
public final class ToBulkActionFn extends DoFn<TripEvent, Document> {
  private final IndexNameTemplate template;

  ToBulkActionFn(IndexNameTemplate template) {
    this.template = template;
  }

  @ProcessElement
  public void processElement(
      @Element TripEvent trip, @Timestamp Instant timestamp, OutputReceiver<Document> out) {
    out.output(bulkAction(trip, template, timestamp));
  }

  /** The {@link Document} for {@code trip} (public for the JMH benchmark). */
  public static Document bulkAction(TripEvent trip, IndexNameTemplate template, Instant timestamp) {
    String document = TripEventJson.toJson(trip);
    return Document.create()
        .withInputDoc(document)
        .withBulkDirective(indexAction(template.indexOf(trip), trip.getTripId(), document))
        .withTimestamp(timestamp);
  }

  /**
   * The bulk API lines that index {@code document} as {@code id} into {@code index}: the action
   * line in the spacing ElasticsearchIO writes, the index name escaped as a JSON string, then the
   * document; each line ends with a line feed, as the bulk API requires.
   */
  static String indexAction(String index, long id, String document) {
    StringBuilder lines = new StringBuilder(document.length() + index.length() + 64);
    lines.append("{ \"index\" : {\"_index\":\"");
    JsonStringEncoder.getInstance().quoteAsString(index, lines);
    return lines
        .append("\",\"_id\":\"")
        .append(id)
        .append("\"} }\n")
        .append(document)
        .append('\n')
        .toString();
  }
}
