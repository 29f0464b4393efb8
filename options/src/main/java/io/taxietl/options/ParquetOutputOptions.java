package io.taxietl.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where and how valid trips are written as Parquet, partitioned by event time. */
public interface ParquetOutputOptions extends PipelineOptions {
  String DEFAULT_PARTITION_TEMPLATE =
      "pickup_location={pickup_location_id:%03d}/year={pickup_year:%04d}/month={pickup_month:%02d}";

  @Description(
      "Folder that receives the Parquet trip files: a local path or s3://bucket/prefix. Default: output/trips.")
  @Default.String("output/trips")
  String getOutputPath();

  void setOutputPath(String value);

  @Description(
      "Partition folders below --outputPath, computed from each trip's own fields. Placeholders are "
          + "{field} or {field:%format}; fields: pickup_location_id, dropoff_location_id, vendor_id, "
          + "payment_type, ratecode_id, passenger_count, type, and pickup_/dropoff_ followed by year, "
          + "month, day, hour or date. Default: "
          + DEFAULT_PARTITION_TEMPLATE)
  @Default.String(DEFAULT_PARTITION_TEMPLATE)
  String getPartitionTemplate();

  void setPartitionTemplate(String value);

  @Description(
      "How often output files roll, in seconds: trips are grouped into windows of this size by the time "
          + "they arrive, and each window's files are committed when it closes. Default: 60.")
  @Default.Integer(60)
  int getWindowSizeSeconds();

  void setWindowSizeSeconds(int value);

  @Description("Files written per partition folder and window. Default: 1.")
  @Default.Integer(1)
  int getNumShards();

  void setNumShards(int value);

  @Description("Parquet compression codec: SNAPPY, GZIP, ZSTD or UNCOMPRESSED. Default: SNAPPY.")
  @Default.Enum("SNAPPY")
  ParquetCompression getParquetCompression();

  void setParquetCompression(ParquetCompression value);
}
