package io.taxietl.transforms.io.elasticsearch;

import io.taxietl.transforms.metrics.EtlMetrics;
import java.io.IOException;
import org.apache.beam.sdk.io.elasticsearch.ElasticsearchIO.Document;
import org.apache.beam.sdk.transforms.DoFn;

/** Counts the documents Elasticsearch acknowledged and emits their trip ids. */
final class IndexedFn extends DoFn<Document, Long> {
  private transient EtlMetrics.EtlCounter indexed;

  @Setup
  public void setup() {
    indexed = EtlMetrics.counter(EtlMetrics.ELASTICSEARCH_DOCUMENTS_INDEXED);
  }

  @ProcessElement
  public void processElement(@Element Document document, OutputReceiver<Long> out)
      throws IOException {
    indexed.inc();
    out.output(TripIds.of(document));
  }
}
