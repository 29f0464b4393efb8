package io.taxietl.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * How {@code s3://} paths ({@code --outputPath}, {@code --deadLetterPath}, {@code --inputPath}) are
 * reached: Amazon S3 by default, or an S3-compatible store. Credentials come from the AWS SDK's
 * default provider chain, never from options.
 */
public interface S3StoreOptions extends PipelineOptions {
  @Description(
      "S3 API endpoint of an S3-compatible store or a private endpoint, e.g. http://127.0.0.1:9090. "
          + "Default: the region's Amazon S3 endpoint.")
  String getS3Endpoint();

  void setS3Endpoint(String value);

  @Description(
      "Address buckets in the path (http://host/bucket/key) instead of the host name "
          + "(http://bucket.host/key), as most S3-compatible stores need. Default: false.")
  @Default.Boolean(false)
  boolean getS3PathStyleAccess();

  void setS3PathStyleAccess(boolean value);

  @Description(
      "AWS region of the S3 bucket(s), e.g. eu-west-1. Default: --inputStreamRegion if set, else the SDK's "
          + "region provider chain; with --s3Endpoint and no region at all, us-east-1 (used only for signing).")
  String getS3Region();

  void setS3Region(String value);
}
