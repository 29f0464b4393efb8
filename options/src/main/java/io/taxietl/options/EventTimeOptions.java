package io.taxietl.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** How event times without an explicit offset are read. */
public interface EventTimeOptions extends PipelineOptions {
  @Description(
      "Time zone for timestamps that carry no offset (e.g. 2019-03-01 00:13:12) and for the time parts "
          + "of partition folders, as an IANA id such as UTC or America/New_York. Default: UTC.")
  @Default.String("UTC")
  String getEventTimeZone();

  void setEventTimeZone(String value);
}
