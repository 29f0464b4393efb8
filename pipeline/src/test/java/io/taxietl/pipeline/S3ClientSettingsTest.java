package io.taxietl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.taxietl.options.StreamingEtlOptions;
import java.net.URI;
import java.time.Duration;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.core.retry.RetryPolicyContext;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** How the pipeline's S3 options reach the client that Beam's s3:// file system builds. */
class S3ClientSettingsTest {
  private static StreamingEtlOptions options(String... args) {
    PipelineOptionsFactory.register(StreamingEtlOptions.class);
    StreamingEtlOptions options =
        PipelineOptionsFactory.fromArgs(args).as(StreamingEtlOptions.class);
    // Beam's own default region comes from this machine's environment: pinned here, so the tests do
    // not depend on it.
    options.as(S3Options.class).setAwsRegion(Region.EU_CENTRAL_1);
    return options;
  }

  @Test
  void applyMakesBeamBuildItsS3ClientsHere() {
    StreamingEtlOptions options = options();
    S3ClientSettings.apply(options);
    assertThat(options.as(S3Options.class).getS3ClientFactoryClass())
        .isEqualTo(S3ClientSettings.class);
  }

  @Test
  void theEndpointPathStyleAndRegionReachTheClient() {
    StreamingEtlOptions options =
        options(
            "--s3Endpoint=http://127.0.0.1:9090",
            "--s3PathStyleAccess=true",
            "--s3Region=ap-south-1");
    try (S3Client client =
        new S3ClientSettings().createBuilder(options.as(S3Options.class)).build()) {
      assertThat(client.serviceClientConfiguration().endpointOverride())
          .contains(URI.create("http://127.0.0.1:9090"));
      assertThat(client.serviceClientConfiguration().region()).isEqualTo(Region.AP_SOUTH_1);
    }
  }

  @Test
  void theRegionIsS3RegionThenTheStreamsThenBeamsThenTheFallbackWithAnEndpoint() {
    assertThat(region("--s3Region=us-west-2", "--inputStreamRegion=eu-west-1"))
        .isEqualTo(Region.US_WEST_2);
    assertThat(region("--inputStreamRegion=eu-west-1")).isEqualTo(Region.EU_WEST_1);
    assertThat(region()).isEqualTo(Region.EU_CENTRAL_1);

    StreamingEtlOptions noRegionAnywhere = options("--s3Endpoint=http://127.0.0.1:9090");
    noRegionAnywhere.as(S3Options.class).setAwsRegion(null);
    assertThat(S3ClientSettings.region(noRegionAnywhere, noRegionAnywhere.as(S3Options.class)))
        .isEqualTo(S3ClientSettings.FALLBACK_REGION_WITH_ENDPOINT);
    StreamingEtlOptions awsWithoutRegion = options();
    awsWithoutRegion.as(S3Options.class).setAwsRegion(null);
    assertThat(S3ClientSettings.region(awsWithoutRegion, awsWithoutRegion.as(S3Options.class)))
        .isNull();
  }

  @Test
  void everyRequestIsRetriedTenTimesWithBackoffSoAnOutageOfAMinuteStallsInsteadOfFailing() {
    RetryPolicy policy =
        new S3ClientSettings()
            .createBuilder(options().as(S3Options.class))
            .overrideConfiguration()
            .retryPolicy()
            .orElseThrow();
    assertThat(policy.numRetries()).isEqualTo(10);
    RetryPolicyContext tenthRetry = RetryPolicyContext.builder().retriesAttempted(9).build();
    assertThat(policy.backoffStrategy().computeDelayBeforeNextRetry(tenthRetry))
        .isBetween(Duration.ofSeconds(10), Duration.ofSeconds(20));
  }

  private static Region region(String... args) {
    StreamingEtlOptions options = options(args);
    return S3ClientSettings.region(options, options.as(S3Options.class));
  }
}
