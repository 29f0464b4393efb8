package io.taxietl.transforms.io.kafka;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Keeps the secret Kafka client settings out of {@code KafkaIO}'s client configuration, which Beam
 * shows as the step's display data (in the runner's UI and job graph): secrets travel inside the
 * client factory instead and are added to the configuration only when a consumer or producer is
 * made, on the worker.
 *
 * <p>Secret: {@code sasl.jaas.config} (it holds the SASL password), any key with {@code password}
 * in its name ({@code ssl.truststore.password}, {@code ssl.key.password}, ...) and {@code
 * ssl.keystore.key} (a private key in PEM). A value that is a config provider placeholder ({@code
 * ${env:...}}) is treated the same way; it is harmless either way.
 */
final class KafkaClientSecrets {
  private KafkaClientSecrets() {}

  static boolean isSecret(String key) {
    String k = key.trim().toLowerCase(Locale.ROOT);
    return k.equals("sasl.jaas.config") || k.contains("password") || k.equals("ssl.keystore.key");
  }

  /** The settings of {@code properties} that are not secret. */
  static Map<String, Object> withoutSecrets(Map<String, String> properties) {
    Map<String, Object> open = new HashMap<>();
    properties.forEach(
        (key, value) -> {
          if (!isSecret(key)) {
            open.put(key, value);
          }
        });
    return open;
  }

  /** The secret settings of {@code properties}. */
  static HashMap<String, String> secrets(Map<String, String> properties) {
    HashMap<String, String> secrets = new HashMap<>();
    properties.forEach(
        (key, value) -> {
          if (isSecret(key)) {
            secrets.put(key, value);
          }
        });
    return secrets;
  }

  /** Makes KafkaIO's consumers with the given (secret) settings added. */
  static final class ConsumerFactory
      implements SerializableFunction<Map<String, Object>, Consumer<byte[], byte[]>> {
    private static final long serialVersionUID = 1L;
    private final HashMap<String, String> secrets;

    ConsumerFactory(HashMap<String, String> secrets) {
      this.secrets = secrets;
    }

    @Override
    public Consumer<byte[], byte[]> apply(Map<String, Object> config) {
      Map<String, Object> all = new HashMap<>(config);
      all.putAll(secrets);
      return new KafkaConsumer<>(all);
    }

    @Override
    public String toString() {
      return "KafkaConsumer with " + secrets.size() + " secret setting(s)";
    }
  }

  /** Makes KafkaIO's producers with the secret settings added. */
  static final class ProducerFactory
      implements SerializableFunction<Map<String, Object>, Producer<String, String>> {
    private static final long serialVersionUID = 1L;
    private final HashMap<String, String> secrets;

    ProducerFactory(HashMap<String, String> secrets) {
      this.secrets = secrets;
    }

    @Override
    public Producer<String, String> apply(Map<String, Object> config) {
      Map<String, Object> all = new HashMap<>(config);
      all.putAll(secrets);
      return new KafkaProducer<>(all);
    }

    @Override
    public String toString() {
      return "KafkaProducer with " + secrets.size() + " secret setting(s)";
    }
  }
}
