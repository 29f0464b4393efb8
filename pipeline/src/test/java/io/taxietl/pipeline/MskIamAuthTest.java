package io.taxietl.pipeline;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taxietl.options.StreamingEtlOptions;
import io.taxietl.pipeline.validation.OptionsValidator;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslClient;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.msk.auth.iam.IAMClientCallbackHandler;
import software.amazon.msk.auth.iam.IAMLoginModule;

/**
 * MSK IAM authentication as a user sets it up: the four client properties of docs/kafka.md pass the
 * options' validation for the source and both Kafka sinks, Kafka's clients accept them (the login
 * module and callback handler load and configure with the default credential chain), and the
 * library signs the authentication payload with the bundled AWS SDK. No broker is involved: the
 * local Kafka server has no IAM support (MskIamConnectionIT covers what happens against it).
 */
class MskIamAuthTest {
  /** The settings of docs/kafka.md, as {@code key=value} items. */
  static final List<String> IAM_PROPERTIES =
      List.of(
          "security.protocol=SASL_SSL",
          "sasl.mechanism=AWS_MSK_IAM",
          "sasl.jaas.config=software.amazon.msk.auth.iam.IAMLoginModule required;",
          "sasl.client.callback.handler.class=software.amazon.msk.auth.iam.IAMClientCallbackHandler");

  private static final String BROKER = "b-1.taxi-etl.ab12cd.c3.kafka.eu-west-1.amazonaws.com";
  private static final String ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";

  @TempDir Path folder;
  private final Map<String, String> savedProperties = new HashMap<>();

  /** The default chain's first source: system properties (nothing is sent anywhere). */
  @BeforeEach
  void placeholderCredentials() {
    for (String name : List.of("aws.accessKeyId", "aws.secretAccessKey", "aws.region")) {
      savedProperties.put(name, System.getProperty(name));
    }
    System.setProperty("aws.accessKeyId", ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    System.setProperty("aws.region", "eu-west-1");
  }

  @AfterEach
  void restoreProperties() {
    savedProperties.forEach(
        (name, value) -> {
          if (value == null) {
            System.clearProperty(name);
          } else {
            System.setProperty(name, value);
          }
        });
  }

  @Test
  void theIamSettingsPassValidationForTheSourceAndBothKafkaSinks() {
    String consumer = "--kafkaConsumerProperties=" + String.join(",", IAM_PROPERTIES);
    String producer = "--kafkaProducerProperties=" + String.join(",", IAM_PROPERTIES);
    // The JAAS value holds no comma, so the comma-separated form works as well as repeating.
    StreamingEtlOptions options =
        options(
            "--source=KAFKA",
            "--inputKafkaBootstrapServers=" + BROKER + ":9098",
            "--inputKafkaTopic=trips",
            consumer,
            "--outputKafkaBootstrapServers=" + BROKER + ":9098",
            "--outputKafkaTopic=trips-clean",
            "--deadLetterKafkaTopic=trips-dead-letters",
            producer,
            "--outputPath=" + folder.resolve("trips"),
            "--deadLetterPath=" + folder.resolve("dead"));
    assertThat(
            KeyValueOptions.parse("kafkaConsumerProperties", options.getKafkaConsumerProperties()))
        .containsEntry("sasl.mechanism", "AWS_MSK_IAM")
        .containsEntry("sasl.jaas.config", "software.amazon.msk.auth.iam.IAMLoginModule required;")
        .hasSize(4);
    StreamingEtlPipeline.setUpFileSystems(options);
    assertThat(OptionsValidator.validate(options)).isEmpty();
  }

  @Test
  void kafkasClientsLoadTheLoginModuleAndCallbackHandlerFromTheSettings() {
    Map<String, Object> config = new HashMap<>(KeyValueOptions.parse("p", IAM_PROPERTIES));
    // Nothing listens there: constructing a client connects to nothing.
    config.put("bootstrap.servers", "127.0.0.1:9");
    config.put("key.deserializer", ByteArrayDeserializer.class);
    config.put("value.deserializer", ByteArrayDeserializer.class);
    config.put("key.serializer", ByteArraySerializer.class);
    config.put("value.serializer", ByteArraySerializer.class);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerOnly(config));
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerOnly(config))) {
      assertThat(consumer.metrics()).isNotEmpty();
      assertThat(producer.metrics()).isNotEmpty();
    }
  }

  /**
   * What the client sends the broker: the library's SASL client, created through Java's SASL API as
   * Kafka creates it, signs a {@code kafka-cluster:Connect} request for the broker's host with the
   * default chain's credentials and the region in the host name (SigV4, presigned).
   */
  @Test
  void theLibrarySignsTheAuthenticationPayloadWithTheDefaultChainsCredentials() throws Exception {
    IAMClientCallbackHandler handler = new IAMClientCallbackHandler();
    handler.configure(
        Map.of(),
        "AWS_MSK_IAM",
        List.of(
            new AppConfigurationEntry(
                IAMLoginModule.class.getName(),
                AppConfigurationEntry.LoginModuleControlFlag.REQUIRED,
                Map.of())));
    // Loading the login module registers the library's SASL client factory, as a Kafka client does.
    new IAMLoginModule();
    SaslClient client =
        Sasl.createSaslClient(
            new String[] {"AWS_MSK_IAM"}, null, "kafka", BROKER, Map.of(), handler);
    assertThat(client).as("a SASL client for AWS_MSK_IAM").isNotNull();

    byte[] response = client.evaluateChallenge(new byte[0]);
    JsonNode payload = new ObjectMapper().readTree(new String(response, UTF_8));

    assertThat(payload.path("version").asText()).isEqualTo("2020_10_22");
    assertThat(payload.path("host").asText()).isEqualTo(BROKER);
    assertThat(payload.path("action").asText()).isEqualTo("kafka-cluster:Connect");
    assertThat(payload.path("x-amz-algorithm").asText()).isEqualTo("AWS4-HMAC-SHA256");
    assertThat(payload.path("x-amz-credential").asText())
        .startsWith(ACCESS_KEY + "/")
        .endsWith("/eu-west-1/kafka-cluster/aws4_request");
    assertThat(payload.path("x-amz-signedheaders").asText()).isEqualTo("host");
    assertThat(payload.path("x-amz-signature").asText()).matches("[0-9a-f]{64}");
    assertThat(new String(response, UTF_8)).doesNotContain("wJalrXUtnFEMI");
    handler.close();
  }

  private static Map<String, Object> consumerOnly(Map<String, Object> config) {
    Map<String, Object> consumer = new HashMap<>(config);
    consumer.remove("key.serializer");
    consumer.remove("value.serializer");
    return consumer;
  }

  private static Map<String, Object> producerOnly(Map<String, Object> config) {
    Map<String, Object> producer = new HashMap<>(config);
    producer.remove("key.deserializer");
    producer.remove("value.deserializer");
    return producer;
  }

  private static StreamingEtlOptions options(String... args) {
    PipelineOptionsFactory.register(StreamingEtlOptions.class);
    return PipelineOptionsFactory.fromArgs(args).as(StreamingEtlOptions.class);
  }
}
