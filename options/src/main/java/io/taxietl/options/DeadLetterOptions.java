package io.taxietl.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where rejected events go. */
public interface DeadLetterOptions extends PipelineOptions {
  @Description(
      "Folder that receives dead letters as newline-delimited JSON (.jsonl): a local path or "
          + "s3://bucket/prefix; empty for none (then --deadLetterKafkaTopic is required). "
          + "Default: output/dead-letters.")
  @Default.String("output/dead-letters")
  String getDeadLetterPath();

  void setDeadLetterPath(String value);

  @Description(
      "Kafka topic that also (or instead) receives every dead letter, the same JSON record as the files, "
          + "keyed by trip_id when known.")
  String getDeadLetterKafkaTopic();

  void setDeadLetterKafkaTopic(String value);

  @Description(
      "Bootstrap servers for --deadLetterKafkaTopic. Default: --outputKafkaBootstrapServers, else "
          + "--inputKafkaBootstrapServers.")
  String getDeadLetterKafkaBootstrapServers();

  void setDeadLetterKafkaBootstrapServers(String value);
}
