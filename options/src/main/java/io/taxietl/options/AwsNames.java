package io.taxietl.options;

import java.util.regex.Pattern;

/**
 * The naming rules of the AWS resources that options name: S3 buckets, Kinesis data streams and
 * region ids, in one place for the pipeline's validation and the launcher's property mapping. Plain
 * Java, so that any module can use them.
 */
public final class AwsNames {
  /** The scheme of S3 locations, as in {@code s3://bucket/prefix}. */
  public static final String S3_SCHEME = "s3://";

  /** The S3 bucket name rule in words, for messages. */
  public static final String S3_BUCKET_NAME_RULE =
      "3 to 63 of a-z 0-9 . -, starting and ending with a letter or digit";

  /** The Kinesis stream name rule in words, for messages. */
  public static final String KINESIS_STREAM_NAME_RULE = "1 to 128 of a-z A-Z 0-9 _ . -";

  private static final Pattern S3_BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern KINESIS_STREAM_NAME = Pattern.compile("[a-zA-Z0-9_.-]{1,128}");
  private static final Pattern REGION_ID = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]+");

  private AwsNames() {}

  /** Whether {@code name} is a valid S3 bucket name ({@value #S3_BUCKET_NAME_RULE}). */
  public static boolean isS3BucketName(String name) {
    return S3_BUCKET_NAME.matcher(name).matches();
  }

  /** Whether {@code name} is a valid Kinesis stream name ({@value #KINESIS_STREAM_NAME_RULE}). */
  public static boolean isKinesisStreamName(String name) {
    return KINESIS_STREAM_NAME.matcher(name).matches();
  }

  /**
   * Whether {@code region} is an AWS region id such as {@code eu-west-1} or {@code us-gov-west-1}.
   */
  public static boolean isRegionId(String region) {
    return REGION_ID.matcher(region).matches();
  }

  /**
   * The bucket part of an S3 location: {@code s3://bucket/prefix} and {@code bucket/prefix} give
   * {@code bucket}. The name is not checked.
   */
  public static String s3BucketOf(String location) {
    String rest =
        location.startsWith(S3_SCHEME) ? location.substring(S3_SCHEME.length()) : location;
    int slash = rest.indexOf('/');
    return slash < 0 ? rest : rest.substring(0, slash);
  }
}
