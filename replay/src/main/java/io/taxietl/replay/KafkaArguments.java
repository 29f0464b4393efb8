package io.taxietl.replay;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The checked settings of {@code replay kafka} that reach the brokers: where to send, and how the
 * producer and admin client are configured.
 *
 * @param bootstrapServers {@code host:port[,host:port...]}
 * @param topic the topic to send to
 * @param createTopic create the topic if it does not exist
 * @param partitions the partition count of a topic that is created; empty for the broker's default
 * @param producerProperties producer settings from {@code --producer-config} and {@code
 *     --producer-property}, in that order (later ones win); may hold secrets, never print their
 *     values
 * @param timeoutSeconds how long to wait for the brokers before failing
 */
record KafkaArguments(
    String bootstrapServers,
    String topic,
    boolean createTopic,
    OptionalInt partitions,
    Map<String, String> producerProperties,
    int timeoutSeconds) {

  /** Settings that this tool owns: they are set through its own options or fixed. */
  static final Set<String> RESERVED_PRODUCER_PROPERTIES =
      Set.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
          ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
          ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);

  KafkaArguments {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(partitions, "partitions");
    producerProperties = Map.copyOf(producerProperties);
  }

  /**
   * The settings, once the producer's own rules accept the user's producer properties.
   *
   * @throws UsageException naming the setting at fault; values of secret settings are never shown
   */
  static KafkaArguments checked(
      String bootstrapServers,
      String topic,
      boolean createTopic,
      OptionalInt partitions,
      Map<String, String> producerProperties,
      int timeoutSeconds)
      throws UsageException {
    checkProducerProperties(producerProperties);
    KafkaArguments arguments =
        new KafkaArguments(
            bootstrapServers, topic, createTopic, partitions, producerProperties, timeoutSeconds);
    arguments.checkProducerConfig();
    return arguments;
  }

  /**
   * The producer's settings: acks from all replicas, idempotence (no duplicates from retries, order
   * kept within a partition), lz4 batches lingering 20 ms, waits bounded by {@link
   * #timeoutSeconds}; then the user's settings, which win. Serializers are the sink's own.
   */
  Map<String, Object> producerConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "taxietl-replay");
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutSeconds * 1000L);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutSeconds, 30) * 1000);
    config.putAll(producerProperties);
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    if (!producerProperties.containsKey(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)) {
      // The producer requires delivery.timeout.ms >= linger.ms + request.timeout.ms.
      ProducerConfig parsed = new ProducerConfig(config);
      long atLeast =
          parsed.getLong(ProducerConfig.LINGER_MS_CONFIG)
              + parsed.getInt(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG);
      config.put(
          ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
          (int) Math.min(Integer.MAX_VALUE, Math.max(timeoutSeconds * 1000L, atLeast)));
    }
    return config;
  }

  /**
   * The admin client's settings, to look up and create the topic: the user's settings that an admin
   * client knows (TLS, SASL, ...), with requests bounded by {@link #timeoutSeconds}.
   */
  Map<String, Object> adminConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    producerProperties.forEach(
        (name, value) -> {
          if (AdminClientConfig.configNames().contains(name)) {
            config.put(name, value);
          }
        });
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "taxietl-replay-admin");
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutSeconds * 1000);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutSeconds * 1000);
    return config;
  }

  /** Checks names and values of the user's producer settings with the producer's own rules. */
  private static void checkProducerProperties(Map<String, String> properties)
      throws UsageException {
    Map<String, ConfigDef.ConfigKey> known = ProducerConfig.configDef().configKeys();
    for (String name : properties.keySet()) {
      if (RESERVED_PRODUCER_PROPERTIES.contains(name)) {
        throw new UsageException(
            "producer property '"
                + name
                + "' cannot be set: replay kafka sets it"
                + (name.equals(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)
                    ? " from --bootstrap-servers"
                    : ""));
      }
      if (!known.containsKey(name)) {
        throw new UsageException(
            "producer property '" + name + "' is not a Kafka producer setting");
      }
    }
  }

  /**
   * Checks the settings that the producer will get as a whole; values of secret settings are never
   * shown.
   */
  private void checkProducerConfig() throws UsageException {
    try {
      new ProducerConfig(producerConfig());
    } catch (ConfigException e) {
      Map<String, ConfigDef.ConfigKey> known = ProducerConfig.configDef().configKeys();
      boolean mayShowSecret =
          producerProperties.keySet().stream()
              .anyMatch(
                  name ->
                      known.get(name).type == ConfigDef.Type.PASSWORD
                          && e.getMessage().contains(name));
      throw new UsageException(
          "producer settings: "
              + (mayShowSecret ? "a secret setting has an invalid value" : e.getMessage()));
    }
  }
}
