package io.taxietl.pipeline.validation;

import static io.taxietl.pipeline.StreamingEtlPipeline.isSet;

import io.taxietl.options.SourceType;
import io.taxietl.options.StreamingEtlOptions;

/**
 * The rules of {@code --source}: the chosen source's own rules, and no option of another source
 * (which would be ignored, so is most likely a mistake).
 */
final class SourceRules {
  private SourceRules() {}

  static void check(StreamingEtlOptions options, Problems problems) {
    SourceType source = options.getSource();
    switch (source) {
      case FILE:
        FileSourceRules.check(options, problems);
        refuseKafkaSource(options, source, "add --source=KAFKA to read from Kafka", problems);
        refuseKinesisSource(options, source, problems);
        break;
      case KAFKA:
        refuseInputPath(options, source, problems);
        KafkaSourceRules.check(options, problems);
        refuseKinesisSource(options, source, problems);
        break;
      case KINESIS:
        refuseInputPath(options, source, problems);
        refuseKafkaSource(options, source, "choose one source", problems);
        KinesisSourceRules.check(options, problems);
        break;
      default:
        throw new IllegalArgumentException("unknown source " + source);
    }
  }

  private static void refuseInputPath(
      StreamingEtlOptions options, SourceType source, Problems problems) {
    if (isSet(options.getInputPath())) {
      problems.add(
          "--inputPath="
              + options.getInputPath()
              + " is set but --source="
              + source
              + " reads no files");
    }
  }

  private static void refuseKafkaSource(
      StreamingEtlOptions options, SourceType source, String advice, Problems problems) {
    if (isSet(options.getInputKafkaTopic()) || isSet(options.getInputKafkaBootstrapServers())) {
      problems.add(
          "--inputKafkaTopic/--inputKafkaBootstrapServers are set but --source="
              + source
              + ": "
              + advice);
    }
  }

  private static void refuseKinesisSource(
      StreamingEtlOptions options, SourceType source, Problems problems) {
    if (isSet(options.getInputKinesisStream())) {
      problems.add(
          "--inputKinesisStream="
              + options.getInputKinesisStream()
              + " is set but --source="
              + source
              + ": add --source=KINESIS to read from Kinesis");
    }
    if (isSet(options.getKinesisEndpoint())) {
      problems.add("--kinesisEndpoint is set but --source=" + source + " reads no Kinesis stream");
    }
  }
}
