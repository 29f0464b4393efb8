package io.taxietl.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The Amazon Kinesis Data Streams source, for {@code --source=KINESIS}. Credentials come from the
 * AWS SDK's default provider chain (environment, profile, container or instance role), never from
 * options.
 */
public interface KinesisSourceOptions extends PipelineOptions {
  @Description(
      "Kinesis data stream to read events from (the original sample's inputKinesisStream).")
  String getInputKinesisStream();

  void setInputKinesisStream(String value);

  @Description(
      "AWS region of the input stream, e.g. eu-west-1. Default: the SDK's region provider chain "
          + "(AWS_REGION, the profile, the instance metadata).")
  String getInputStreamRegion();

  void setInputStreamRegion(String value);

  @Description(
      "Where a new job starts reading each shard: LATEST, TRIM_HORIZON (the oldest record kept), or an "
          + "ISO-8601 instant such as 2019-03-01T00:00:00Z (AT_TIMESTAMP). A job restored from a checkpoint "
          + "or savepoint continues where it was. Default: LATEST.")
  @Default.String("LATEST")
  String getInputStreamInitialPosition();

  void setInputStreamInitialPosition(String value);

  @Description(
      "Pause between two GetRecords calls on a shard, in milliseconds. Kinesis allows 5 GetRecords calls "
          + "per second per shard across all consumers: a longer interval leaves room for others. Default: 1000.")
  @Default.Long(1000)
  long getGetRecordsIntervalMillis();

  void setGetRecordsIntervalMillis(long value);

  @Description(
      "Kinesis API endpoint for a non-AWS or private endpoint, e.g. http://127.0.0.1:4567 for a local "
          + "server. Default: the region's AWS endpoint.")
  String getKinesisEndpoint();

  void setKinesisEndpoint(String value);
}
