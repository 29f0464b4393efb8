package io.taxietl.transforms;

import io.taxietl.testing.LocalKinesis;
import java.net.URI;
import org.apache.beam.sdk.io.aws2.common.ClientConfiguration;
import org.apache.beam.sdk.io.aws2.kinesis.KinesisIO;
import org.apache.beam.sdk.options.PipelineOptions;
import software.amazon.awssdk.regions.Region;
import software.amazon.kinesis.common.InitialPositionInStream;

/** The pipeline's wrapped Kinesis source over a stream of a test's kinesalite. */
public final class LocalKinesisSources {
  private LocalKinesisSources() {}

  /** The wrapped source reading {@code stream} of {@code kinesis} from its oldest record. */
  public static LagReportingKinesisSource<?> fromTrimHorizon(
      LocalKinesis kinesis, String stream, PipelineOptions options) {
    ClientConfiguration client =
        ClientConfiguration.builder()
            .region(Region.of(LocalKinesis.REGION))
            .endpoint(URI.create(kinesis.endpoint()))
            .build();
    KinesisIO.Read read =
        KinesisIO.read()
            .withStreamName(stream)
            .withClientConfiguration(client)
            .withInitialPositionInStream(InitialPositionInStream.TRIM_HORIZON);
    return LagReportingKinesisSource.of(read, stream, client, options);
  }
}
