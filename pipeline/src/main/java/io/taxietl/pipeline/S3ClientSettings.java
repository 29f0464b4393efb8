package io.taxietl.pipeline;

import io.taxietl.options.KinesisSourceOptions;
import io.taxietl.options.S3StoreOptions;
import java.net.URI;
import java.time.Duration;
import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.core.retry.backoff.BackoffStrategy;
import software.amazon.awssdk.core.retry.backoff.EqualJitterBackoffStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Makes Beam's {@code s3://} file system use the pipeline's S3 options ({@code --s3Endpoint},
 * {@code --s3PathStyleAccess}, {@code --s3Region}): Beam builds its S3 client with the factory
 * class named in its own {@link S3Options}, on every worker, from the options the job carries.
 * Credentials stay with Beam's default, the SDK's default provider chain.
 *
 * <p>Requests that fail for a reason that may pass (no connection, a timeout, HTTP 5xx, throttling)
 * are retried {@value #RETRIES} times with backoff from {@link #FIRST_BACKOFF} up to {@link
 * #MAX_BACKOFF} (each wait between half and all of that), about 1 to 2 minutes in all, instead of
 * the SDK's 3 quick retries: an S3 outage shorter than that stalls the job instead of failing it,
 * and it carries on by itself when S3 is back.
 */
public final class S3ClientSettings implements S3ClientBuilderFactory {
  /** The signing region used with an explicit endpoint when no region is configured anywhere. */
  static final Region FALLBACK_REGION_WITH_ENDPOINT = Region.US_EAST_1;

  static final int RETRIES = 10;
  static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(20);

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
    builder.overrideConfiguration(
        builder.overrideConfiguration().toBuilder().retryPolicy(retryPolicy()).build());
    return builder;
  }

  /** The retries of every S3 request (see the class comment). */
  static RetryPolicy retryPolicy() {
    BackoffStrategy backoff =
        EqualJitterBackoffStrategy.builder()
            .baseDelay(FIRST_BACKOFF)
            .maxBackoffTime(MAX_BACKOFF)
            .build();
    return RetryPolicy.builder()
        .numRetries(RETRIES)
        .backoffStrategy(backoff)
        .throttlingBackoffStrategy(backoff)
        // No budget shared by all requests of the client: in an outage every request retries.
        .retryCapacityCondition(null)
        .build();
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
