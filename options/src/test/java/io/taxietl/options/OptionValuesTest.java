package io.taxietl.options;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Values Beam cannot read are reported all at once, in words, naming option and value. */
class OptionValuesTest {

  @Test
  void everyBadTypeOrEnumValueIsReportedAtOnceWithWhatTheOptionAccepts() {
    assertThat(
            OptionValues.problems(
                StreamingEtlOptions.class,
                new String[] {
                  "--source=PUBSUB",
                  "--windowSizeSeconds=abc",
                  "--inputPath=events.jsonl",
                  "--parquetCompression=LZ4",
                  "--kafkaExactlyOnce=maybe",
                  "--numShards=99999999999",
                  "--elasticsearchBulkFlushInterval=1.5"
                }))
        .containsExactly(
            "--source=PUBSUB is invalid: expected one of FILE, KAFKA, KINESIS",
            "--windowSizeSeconds=abc is invalid: expected a whole number from -2147483648 to 2147483647",
            "--parquetCompression=LZ4 is invalid: expected one of SNAPPY, GZIP, ZSTD, UNCOMPRESSED",
            "--kafkaExactlyOnce=maybe is invalid: expected true or false",
            "--numShards=99999999999 is invalid: expected a whole number from -2147483648 to 2147483647",
            "--elasticsearchBulkFlushInterval=1.5 is invalid: expected a whole number from "
                + Long.MIN_VALUE
                + " to "
                + Long.MAX_VALUE);
  }

  @Test
  void anEmptyNumberIsInvalidLikeAWrongOne() {
    assertThat(
            OptionValues.problems(StreamingEtlOptions.class, new String[] {"--windowSizeSeconds="}))
        .containsExactly(
            "--windowSizeSeconds= is invalid: expected a whole number from -2147483648 to 2147483647");
  }

  @Test
  void anUnknownOptionIsNamedWithBeamsSuggestion() {
    assertThat(
            OptionValues.problems(
                StreamingEtlOptions.class, new String[] {"--windwSizeSeconds=30", "--colour=blue"}))
        .containsExactly(
            "--windwSizeSeconds is not an option of this pipeline: did you mean --windowSizeSeconds?"
                + " (--help lists them)",
            "--colour is not an option of this pipeline (--help lists them)");
  }

  @Test
  void readableValuesFlagsAndHelpAreNoProblem() {
    assertThat(
            OptionValues.problems(
                StreamingEtlOptions.class,
                new String[] {
                  "--source=KAFKA",
                  "--windowSizeSeconds=30",
                  "--kafkaExactlyOnce",
                  "--help",
                  "--help=KafkaSourceOptions",
                  "--kafkaConsumerProperties=a=b,c=d"
                }))
        .isEmpty();
    assertThat(OptionValues.typeProblem(StreamingEtlOptions.class, "numShards", "2")).isNull();
  }

  @Test
  void theLaunchersTypeProblemIsTheSameReason() {
    assertThat(OptionValues.typeProblem(StreamingEtlOptions.class, "source", "FTP"))
        .isEqualTo("expected one of FILE, KAFKA, KINESIS");
  }

  @Test
  void noParserNoiseReachesAUser() {
    assertThat(
            OptionValues.readable(
                "Cannot deserialize value\n at [Source: UNKNOWN; byte offset: #UNKNOWN]"))
        .isEqualTo("Cannot deserialize value");
  }
}
