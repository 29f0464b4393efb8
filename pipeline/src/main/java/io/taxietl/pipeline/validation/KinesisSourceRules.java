package io.taxietl.pipeline.validation;

import static io.taxietl.pipeline.StreamingEtlPipeline.isSet;

import io.taxietl.options.KinesisSourceOptions;
import io.taxietl.transforms.io.kinesis.KinesisStartingPosition;
import java.util.regex.Pattern;

/** The rules of {@link KinesisSourceOptions} for {@code --source=KINESIS}. */
final class KinesisSourceRules {
  /**
   * Kinesis allows 5 GetRecords calls per second and shard, shared by all of a stream's consumers.
   */
  static final long MIN_GET_RECORDS_INTERVAL_MILLIS = 200;

  static final long MAX_GET_RECORDS_INTERVAL_MILLIS = 60_000;
  private static final Pattern KINESIS_STREAM_NAME = Pattern.compile("[a-zA-Z0-9_.-]{1,128}");

  private KinesisSourceRules() {}

  static void check(KinesisSourceOptions options, Problems problems) {
    String stream = options.getInputKinesisStream();
    if (!isSet(stream)) {
      problems.add("--inputKinesisStream is required with --source=KINESIS");
    } else if (!KINESIS_STREAM_NAME.matcher(stream).matches()) {
      problems.add(
          "--inputKinesisStream="
              + stream
              + " is not a Kinesis stream name: 1 to 128 of a-z A-Z 0-9 _ . -");
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
