package io.taxietl.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** What valid trips are enriched with: the TLC zone lookup. */
public interface EnrichmentOptions extends PipelineOptions {
  @Description(
      "TLC taxi zone lookup CSV (plain or .gz; columns LocationID, Borough and Zone, as the TLC's "
          + "taxi_zone_lookup.csv) that gives every trip its pickup_borough, pickup_zone, dropoff_borough and "
          + "dropoff_zone, e.g. s3://my-bucket/reference/taxi_zone_lookup.csv or a local file. Read once when "
          + "the job starts. Default: the TLC's table of 265 zones bundled with the jar.")
  String getZoneLookupPath();

  void setZoneLookupPath(String value);
}
