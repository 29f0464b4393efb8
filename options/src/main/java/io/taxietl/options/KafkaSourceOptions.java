package io.taxietl.options;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The Kafka / Amazon MSK source, for {@code --source=KAFKA}. */
public interface KafkaSourceOptions extends PipelineOptions {
  @Description(
      "Kafka bootstrap servers to read from, e.g. b-1.msk.example:9098,b-2.msk.example:9098.")
  String getInputKafkaBootstrapServers();

  void setInputKafkaBootstrapServers(String value);

  @Description("Topic, or comma-separated topics, to read events from.")
  String getInputKafkaTopic();

  void setInputKafkaTopic(String value);

  @Description(
      "Consumer group of the source. Its offsets are committed back to Kafka when a checkpoint completes, "
          + "so lag tools see progress. Default: taxi-streaming-etl.")
  @Default.String("taxi-streaming-etl")
  String getKafkaConsumerGroup();

  void setKafkaConsumerGroup(String value);

  @Description(
      "Where to start reading: EARLIEST or LATEST apply when the consumer group has no committed offset "
          + "(otherwise the group's offsets are used); an ISO-8601 instant such as 2019-03-01T00:00:00Z "
          + "starts at the first record appended at or after it. Default: LATEST.")
  @Default.String("LATEST")
  String getKafkaStartingPosition();

  void setKafkaStartingPosition(String value);

  @Description(
      "Extra consumer properties as key=value, comma-separated or repeated, e.g. "
          + "security.protocol=SASL_SSL,sasl.mechanism=SCRAM-SHA-512. Keep secrets out of the command line: "
          + "use Kafka's config providers, e.g. sasl.jaas.config=${env:KAFKA_JAAS_CONFIG} with "
          + "config.providers=env and config.providers.env.class="
          + "org.apache.kafka.common.config.provider.EnvVarConfigProvider.")
  @JsonIgnore
  List<String> getKafkaConsumerProperties();

  void setKafkaConsumerProperties(List<String> value);
}
