package io.taxietl.pipeline.validation;

import static io.taxietl.pipeline.StreamingEtlPipeline.isSet;

import io.taxietl.options.AwsNames;
import io.taxietl.options.KinesisSourceOptions;
import io.taxietl.transforms.io.kinesis.KinesisStartingPosition;

/** The rules of {@link KinesisSourceOptions} for {@code --source=KINESIS}. */
final class KinesisSourceRules {
  /**
   * Kinesis allows 5 GetRecords calls per second and shard, shared by all of a stream's consumers.
   */
  static final long MIN_GET_RECORDS_INTERVAL_MILLIS = 200;

  static final long MAX_GET_RECORDS_INTERVAL_MILLIS = 60_000;

  private KinesisSourceRules() {}

  static void check(KinesisSourceOptions options, Problems problems) {
    String stream = options.getInputKinesisStream();
    if (!isSet(stream)) {
      problems.add("--inputKinesisStream is required with --source=KINESIS");
    } else if (!AwsNames.isKinesisStreamName(stream)) {
      problems.add(
          "--inputKinesisStream="
              + stream
              + " is not a Kinesis stream name: "
              + AwsNames.KINESIS_STREAM_NAME_RULE);
    }
    AwsRules.region("inputStreamRegion", options.getInputStreamRegion(), problems);
    problems.parses(
        "inputStreamInitialPosition",
        options.getInputStreamInitialPosition(),
        KinesisStartingPosition::parse);
    problems.range(
        "getRecordsIntervalMillis",
        options.getGetRecordsIntervalMillis(),
        MIN_GET_RECORDS_INTERVAL_MILLIS,
        MAX_GET_RECORDS_INTERVAL_MILLIS);
    EndpointRule.aws("kinesisEndpoint").check(options.getKinesisEndpoint(), problems);
  }
}
