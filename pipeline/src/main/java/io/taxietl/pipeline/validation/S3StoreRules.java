package io.taxietl.pipeline.validation;

import static io.taxietl.pipeline.StreamingEtlPipeline.isSet;

import io.taxietl.options.AwsNames;
import io.taxietl.options.StreamingEtlOptions;

/**
 * The rules of {@link io.taxietl.options.S3StoreOptions}: region and endpoint, a bucket name in
 * every {@code s3://} path, and no S3 setting when no path is on S3.
 */
final class S3StoreRules {
  private S3StoreRules() {}

  static void check(StreamingEtlOptions options, Problems problems) {
    AwsRules.region("s3Region", options.getS3Region(), problems);
    EndpointRule.aws("s3Endpoint").check(options.getS3Endpoint(), problems);
    boolean anyS3Path = false;
    anyS3Path |= checkBucket("outputPath", options.getOutputPath(), problems);
    anyS3Path |= checkBucket("deadLetterPath", options.getDeadLetterPath(), problems);
    anyS3Path |= checkBucket("inputPath", options.getInputPath(), problems);
    anyS3Path |= checkBucket("zoneLookupPath", options.getZoneLookupPath(), problems);
    if (!anyS3Path) {
      if (isSet(options.getS3Endpoint())) {
        problems.add(
            "--s3Endpoint=" + options.getS3Endpoint() + " is set but no path is an s3:// location");
      }
      if (options.getS3PathStyleAccess()) {
        problems.add("--s3PathStyleAccess=true is set but no path is an s3:// location");
      }
    }
  }

  /** Checks the bucket of {@code path} if it is an s3:// location; true when it is one. */
  private static boolean checkBucket(String option, String path, Problems problems) {
    if (path == null || !path.startsWith(AwsNames.S3_SCHEME)) {
      return false;
    }
    String bucket = AwsNames.s3BucketOf(path);
    if (!AwsNames.isS3BucketName(bucket)) {
      problems.add(
          "--"
              + option
              + "="
              + path
              + ": '"
              + bucket
              + "' is not an S3 bucket name ("
              + AwsNames.S3_BUCKET_NAME_RULE
              + ")");
    }
    return true;
  }
}
