package io.taxietl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.taxietl.options.StreamingEtlOptions;
import io.taxietl.pipeline.validation.OptionsValidator;
import io.taxietl.testing.LocalKinesis;
import io.taxietl.testing.LocalS3;
import io.taxietl.transforms.enrich.ZoneLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code --zoneLookupPath=s3://...} against a real S3 API (S3Mock): validation reads the object
 * through Beam's S3 file system with the pipeline's S3 settings, and refuses a missing one.
 */
class ZoneLookupOnS3IT {
  @RegisterExtension static final LocalS3 S3 = new LocalS3();
  private static final String BUCKET = "reference";

  @TempDir Path work;

  @BeforeAll
  static void bucketWithATable() {
    LocalKinesis.useLocalCredentials();
    S3.createBucket(BUCKET);
    try (S3Client client = S3.client()) {
      client.putObject(
          request -> request.bucket(BUCKET).key("zones/taxi_zone_lookup.csv"),
          RequestBody.fromString(
              "\"LocationID\",\"Borough\",\"Zone\",\"service_zone\"\r\n"
                  + "1,\"EWR\",\"Newark Airport\",\"EWR\"\r\n"
                  + "239,\"Manhattan\",\"Upper West Side South\",\"Yellow Zone\"\r\n"));
    }
  }

  @Test
  void aTableOnS3IsReadWithThePipelinesS3SettingsAndAMissingOneIsRefused() throws Exception {
    String table = "s3://" + BUCKET + "/zones/taxi_zone_lookup.csv";
    StreamingEtlOptions options = options("--zoneLookupPath=" + table);
    StreamingEtlPipeline.setUpFileSystems(options);

    assertThat(OptionsValidator.validate(options)).isEmpty();
    ZoneLookup zones = ZoneLookup.read(table);
    assertThat(zones.size()).isEqualTo(2);
    assertThat(zones.zone(239)).isEqualTo("Upper West Side South");
    assertThat(zones.source()).isEqualTo(table);

    String missing = "s3://" + BUCKET + "/zones/nothing.csv";
    StreamingEtlOptions wrong = options("--zoneLookupPath=" + missing);
    StreamingEtlPipeline.setUpFileSystems(wrong);
    assertThat(OptionsValidator.validate(wrong))
        .containsExactly("--zoneLookupPath=" + missing + " does not exist");
  }

  private StreamingEtlOptions options(String zoneLookupPath) throws Exception {
    Path input = Files.writeString(work.resolve("events.jsonl"), "{}\n");
    PipelineOptionsFactory.register(StreamingEtlOptions.class);
    return PipelineOptionsFactory.fromArgs(
            "--inputPath=" + input,
            "--outputPath=" + work.resolve("trips"),
            "--deadLetterPath=" + work.resolve("dead-letters"),
            "--s3Endpoint=" + S3.endpoint(),
            "--s3PathStyleAccess=true",
            "--s3Region=" + LocalKinesis.REGION,
            zoneLookupPath)
        .as(StreamingEtlOptions.class);
  }
}
