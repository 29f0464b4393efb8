package io.taxietl.options;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Valid trips replicated to a Kafka topic, as JSON keyed by trip_id. */
public interface KafkaSinkOptions extends PipelineOptions {
  @Description("Kafka bootstrap servers to write valid trips to (with --outputKafkaTopic).")
  String getOutputKafkaBootstrapServers();

  void setOutputKafkaBootstrapServers(String value);

  @Description(
      "Topic that receives every valid trip as JSON in the input shape (timestamps ISO-8601 UTC), keyed by "
          + "trip_id. Unset: no Kafka output.")
  String getOutputKafkaTopic();

  void setOutputKafkaTopic(String value);

  @Description(
      "Write the Kafka output (trips and dead letters) in transactions committed with each checkpoint, so "
          + "read_committed consumers see every record exactly once even across failures. Needs "
          + "checkpointing; adds the checkpoint interval to the latency. Default: false (at least once).")
  @Default.Boolean(false)
  boolean getKafkaExactlyOnce();

  void setKafkaExactlyOnce(boolean value);

  @Description(
      "Parallel transactional writers per Kafka output with --kafkaExactlyOnce, each committing batches "
          + "of up to 5,000 records; set it to the job's parallelism. Default: 1.")
  @Default.Integer(1)
  int getKafkaExactlyOnceShards();

  void setKafkaExactlyOnceShards(int value);

  @Description(
      "Prefix of the consumer groups in which the exactly-once Kafka sinks keep their progress; unique per "
          + "job. Default: taxi-streaming-etl-sink.")
  @Default.String("taxi-streaming-etl-sink")
  String getKafkaExactlyOnceSinkGroup();

  void setKafkaExactlyOnceSinkGroup(String value);

  @Description(
      "Extra producer properties as key=value, comma-separated or repeated (TLS, SASL, tuning); secrets "
          + "as for --kafkaConsumerProperties.")
  @JsonIgnore
  List<String> getKafkaProducerProperties();

  void setKafkaProducerProperties(List<String> value);
}
