package io.taxietl.options;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AwsNamesTest {
  @Test
  void s3BucketNames() {
    assertThat(AwsNames.isS3BucketName("my-bucket.2019")).isTrue();
    assertThat(AwsNames.isS3BucketName("abc")).isTrue();
    assertThat(AwsNames.isS3BucketName("ab")).as("too short").isFalse();
    assertThat(AwsNames.isS3BucketName("a".repeat(64))).as("too long").isFalse();
    assertThat(AwsNames.isS3BucketName("My_Bucket")).isFalse();
    assertThat(AwsNames.isS3BucketName("-bucket")).isFalse();
    assertThat(AwsNames.isS3BucketName("bucket.")).isFalse();
  }

  @Test
  void kinesisStreamNames() {
    assertThat(AwsNames.isKinesisStreamName("Taxi_trips-2019.v1")).isTrue();
    assertThat(AwsNames.isKinesisStreamName("a".repeat(128))).isTrue();
    assertThat(AwsNames.isKinesisStreamName("a".repeat(129))).isFalse();
    assertThat(AwsNames.isKinesisStreamName("")).isFalse();
    assertThat(AwsNames.isKinesisStreamName("taxi trips")).isFalse();
  }

  @Test
  void regionIds() {
    assertThat(AwsNames.isRegionId("eu-west-1")).isTrue();
    assertThat(AwsNames.isRegionId("us-gov-west-1")).isTrue();
    assertThat(AwsNames.isRegionId("EU-WEST-1")).isFalse();
    assertThat(AwsNames.isRegionId("europe")).isFalse();
  }

  @Test
  void theBucketOfALocation() {
    assertThat(AwsNames.s3BucketOf("s3://bucket/a/b")).isEqualTo("bucket");
    assertThat(AwsNames.s3BucketOf("s3://bucket")).isEqualTo("bucket");
    assertThat(AwsNames.s3BucketOf("bucket/prefix/")).isEqualTo("bucket");
  }
}
