package io.taxietl.pipeline;

import io.taxietl.options.KinesisSourceOptions;
import io.taxietl.options.S3StoreOptions;
import java.net.URI;
import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Makes Beam's {@code s3://} file system use the pipeline's S3 options ({@code --s3Endpoint},
 * {@code --s3PathStyleAccess}, {@code --s3Region}): Beam builds its S3 client with the factory
 * class named in its own {@link S3Options}, on every worker, from the options the job carries.
 * Credentials stay with Beam's default, the SDK's default provider chain.
 */
public final class S3ClientSettings implements S3ClientBuilderFactory {
  /** The signing region used with an explicit endpoint when no region is configured anywhere. */
  static final Region FALLBACK_REGION_WITH_ENDPOINT = Region.US_EAST_1;

  /** Registers this factory in {@code options}; call before the file systems are set up. */
  public static void apply(S3StoreOptions options) {
    options.as(S3Options.class).setS3ClientFactoryClass(S3ClientSettings.class);
  }

  @Override
  public S3ClientBuilder createBuilder(S3Options beamOptions) {
    S3ClientBuilder builder = new DefaultS3ClientBuilderFactory().createBuilder(beamOptions);
    S3StoreOptions options = beamOptions.as(S3StoreOptions.class);
    String endpoint = options.getS3Endpoint();
    if (StreamingEtlPipeline.isSet(endpoint)) {
      builder.endpointOverride(URI.create(endpoint.trim()));
    }
    builder.forcePathStyle(options.getS3PathStyleAccess());
    Region region = region(options, beamOptions);
    if (region != null) {
      builder.region(region);
    }
    return builder;
  }

  /**
   * {@code --s3Region}, else {@code --inputStreamRegion}, else Beam's {@code --awsRegion} (which
   * defaults to the SDK's region provider chain); with an endpoint and no region anywhere, {@link
   * #FALLBACK_REGION_WITH_ENDPOINT}. Null leaves the SDK to decide (and fail with its own message).
   */
  static Region region(S3StoreOptions options, S3Options beamOptions) {
    if (StreamingEtlPipeline.isSet(options.getS3Region())) {
      return Region.of(options.getS3Region().trim());
    }
    String streamRegion = options.as(KinesisSourceOptions.class).getInputStreamRegion();
    if (StreamingEtlPipeline.isSet(streamRegion)) {
      return Region.of(streamRegion.trim());
    }
    if (beamOptions.getAwsRegion() != null) {
      return beamOptions.getAwsRegion();
    }
    return StreamingEtlPipeline.isSet(options.getS3Endpoint())
        ? FALLBACK_REGION_WITH_ENDPOINT
        : null;
  }
}
