package io.taxietl.transforms.io.elasticsearch;

import io.taxietl.avro.TripEvent;
import io.taxietl.transforms.event.TripEventJson;
import org.apache.beam.sdk.transforms.DoFn;

/** A trip as its JSON document ({@link TripEventJson}). */
final class ToDocumentFn extends DoFn<TripEvent, String> {
  @ProcessElement
  public void processElement(@Element TripEvent trip, OutputReceiver<String> out) {
    out.output(TripEventJson.toJson(trip));
  }
}
