package io.taxietl.pipeline;

import static io.taxietl.pipeline.StreamingEtlPipeline.isSet;

import io.taxietl.options.SourceType;
import io.taxietl.options.StreamingEtlOptions;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.security.auth.login.LoginException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Before a job is submitted, asks every Kafka cluster the options name for the metadata of its
 * topics, with the client settings the job's consumers and producers use, and reports in one clear
 * sentence what keeps a job from starting.
 *
 * <p>Why: Beam's KafkaIO meets an unreachable or misconfigured cluster only once the job runs, as
 * {@code Timeout expired while fetching topic metadata} after 60 s, and the runner then restarts
 * the job (a local run gave up after 4 min 22 s; a job on the managed service restarts for ever).
 * The commonest case, a client set up for TLS (MSK IAM: {@code security.protocol=SASL_SSL}) pointed
 * at a listener without TLS, looks to Kafka's client like a transient disconnect, so it retries
 * silently; this check tries a TLS handshake first and names that mistake. A wrong SASL user or
 * password and a certificate the client does not trust fail the lookup at once; the check names the
 * setting to look at ({@code sasl.jaas.config}, {@code ssl.truststore.location}) and never a value.
 *
 * <p>Each cluster is asked once, bounded by the deadline (at most {@link #DEADLINE} in all, even
 * when no broker answers). Nothing is read or written: a consumer and a producer look up
 * partitions.
 */
public final class KafkaConnectionCheck {
  /** How long the whole check may take before it reports the clusters that did not answer. */
  public static final Duration DEADLINE = Duration.ofSeconds(30);

  private static final String CLIENT_ID = "taxietl-connection-check";

  private KafkaConnectionCheck() {}

  /**
   * The problems of every Kafka cluster that {@code options} use (source, trips sink, dead-letter
   * sink), each naming the option, the servers and the topic; empty when all answered.
   */
  public static List<String> problems(StreamingEtlOptions options) {
    return problems(options, DEADLINE);
  }

  static List<String> problems(StreamingEtlOptions options, Duration deadline) {
    long end = System.nanoTime() + deadline.toNanos();
    List<String> problems = new ArrayList<>();
    if (options.getSource() == SourceType.KAFKA) {
      Map<String, String> consumer =
          KeyValueOptions.parse("kafkaConsumerProperties", options.getKafkaConsumerProperties());
      for (String topic : KeyValueOptions.splitList(options.getInputKafkaTopic())) {
        check(
                new Cluster(
                    "inputKafkaBootstrapServers",
                    options.getInputKafkaBootstrapServers(),
                    "kafkaConsumerProperties",
                    consumer,
                    false),
                topic,
                end)
            .ifPresent(problems::add);
      }
    }
    Map<String, String> producer =
        KeyValueOptions.parse("kafkaProducerProperties", options.getKafkaProducerProperties());
    if (isSet(options.getOutputKafkaTopic())) {
      check(
              new Cluster(
                  "outputKafkaBootstrapServers",
                  options.getOutputKafkaBootstrapServers(),
                  "kafkaProducerProperties",
                  producer,
                  true),
              options.getOutputKafkaTopic(),
              end)
          .ifPresent(problems::add);
    }
    if (isSet(options.getDeadLetterKafkaTopic())) {
      check(
              new Cluster(
                  deadLetterServersOption(options),
                  StreamingEtlPipeline.deadLetterBootstrapServers(options),
                  "kafkaProducerProperties",
                  producer,
                  true),
              options.getDeadLetterKafkaTopic(),
              end)
          .ifPresent(problems::add);
    }
    return problems;
  }

  private static Optional<String> check(Cluster cluster, String topic, long end) {
    String tls = cluster.usesTls() ? TlsProbe.firstRefusal(cluster.servers, end) : null;
    if (tls != null) {
      return Optional.of(
          cluster.name()
              + ": "
              + tls
              + ", but --"
              + cluster.propertiesOption
              + " sets "
              + cluster.securitySettings()
              + ". Give the address of the brokers' TLS listener (Amazon MSK: port 9098 with IAM"
              + " authentication, 9198 with public access; 9094 for TLS only)");
    }
    long millis = Math.max(1_000, (end - System.nanoTime()) / 1_000_000);
    PartitionLookup lookup;
    try {
      lookup = cluster.producer ? producer(cluster, millis) : consumer(cluster, millis);
    } catch (KafkaException e) {
      if (cluster.properties.containsKey(SaslConfigs.SASL_JAAS_CONFIG) && isJaasProblem(e)) {
        return Optional.of(
            cluster.name()
                + ": sasl.jaas.config in --"
                + cluster.propertiesOption
                + " is not a JAAS line Kafka's client can use"
                + jaasReason(e)
                + ". It reads: LoginModuleClass required username=\"...\" password=\"...\"; (for"
                + " SCRAM org.apache.kafka.common.security.scram.ScramLoginModule). Kafka's own"
                + " message is not shown: it quotes part of the line, which may be the password");
      }
      return Optional.of(
          cluster.name()
              + ": Kafka's client does not accept the settings of --"
              + cluster.propertiesOption
              + ": "
              + describe(e));
    }
    try (lookup) {
      List<PartitionInfo> partitions = lookup.partitionsFor(topic);
      if (partitions == null || partitions.isEmpty()) {
        return Optional.of(cluster.name() + ": topic '" + topic + "' does not exist");
      }
      return Optional.empty();
    } catch (TimeoutException e) {
      if (String.valueOf(e.getMessage()).contains("not present in metadata")) {
        return Optional.of(cluster.name() + ": topic '" + topic + "' does not exist");
      }
      return Optional.of(
          cluster.name()
              + ": no answer to a metadata request for topic '"
              + topic
              + "' within "
              + Math.round(millis / 1000.0)
              + " s with "
              + cluster.securitySettings()
              + " ("
              + e.getMessage()
              + "). Check the address, that the network lets this machine reach the brokers, and"
              + " that the listener expects these security settings");
    } catch (SaslAuthenticationException e) {
      return Optional.of(
          cluster.name()
              + ": the brokers refused the user name or password of sasl.jaas.config in --"
              + cluster.propertiesOption
              + " ("
              + cluster.securitySettings()
              + "): "
              + describe(e)
              + ". Check the user and the password (or the config provider that supplies them)");
    } catch (SslAuthenticationException e) {
      return Optional.of(
          cluster.name()
              + ": the TLS handshake with the brokers failed ("
              + cluster.securitySettings()
              + "): "
              + describe(e)
              + ". If the brokers' certificate is not signed by a CA this JVM trusts, give"
              + " ssl.truststore.location (and ssl.truststore.password, ssl.truststore.type) in --"
              + cluster.propertiesOption);
    } catch (KafkaException e) {
      return Optional.of(
          cluster.name()
              + ": the brokers refused the client ("
              + cluster.securitySettings()
              + "): "
              + describe(e));
    }
  }

  /** A consumer or a producer with the job's settings, asked only for a topic's partitions. */
  private interface PartitionLookup extends AutoCloseable {
    List<PartitionInfo> partitionsFor(String topic);

    @Override
    void close();
  }

  private static PartitionLookup consumer(Cluster cluster, long millis) {
    Map<String, Object> config = cluster.clientConfig(millis);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config);
    return new PartitionLookup() {
      @Override
      public List<PartitionInfo> partitionsFor(String topic) {
        return consumer.partitionsFor(topic, Duration.ofMillis(millis));
      }

      @Override
      public void close() {
        consumer.close(Duration.ZERO);
      }
    };
  }

  private static PartitionLookup producer(Cluster cluster, long millis) {
    Map<String, Object> config = cluster.clientConfig(millis);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, millis);
    config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config);
    return new PartitionLookup() {
      @Override
      public List<PartitionInfo> partitionsFor(String topic) {
        return producer.partitionsFor(topic);
      }

      @Override
      public void close() {
        producer.close(Duration.ZERO);
      }
    };
  }

  /** The exception and its root cause, by class and message. */
  /** Whether Kafka's client refused the JAAS line (a LoginException, or a message naming JAAS). */
  private static boolean isJaasProblem(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      String message = String.valueOf(cause.getMessage());
      if (cause instanceof LoginException || message.contains("JAAS")) {
        return true;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }

  /**
   * What is wrong with the JAAS line, in words of our own for the parse errors Kafka's client knows
   * (its messages quote the offending token, which may be the password); empty for any other.
   */
  private static String jaasReason(Throwable e) {
    StringBuilder messages = new StringBuilder();
    for (Throwable cause = e;
        cause != null && cause.getCause() != cause;
        cause = cause.getCause()) {
      messages.append(cause.getMessage()).append('\n');
    }
    String text = messages.toString();
    if (text.contains("not terminated by semi-colon")) {
      return " (it does not end with a semicolon)";
    }
    if (text.contains("control flag")) {
      return " (the login module class is not followed by required)";
    }
    if (text.contains("Value not specified for key")) {
      return " (an option has no value in double quotes)";
    }
    if (text.contains("No LoginModule found")) {
      return " (there is no login module class of that name)";
    }
    return "";
  }

  private static String describe(KafkaException e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String message = e.getClass().getSimpleName() + ": " + e.getMessage();
    return cause == e
        ? message
        : message + " (" + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")";
  }

  private static String deadLetterServersOption(StreamingEtlOptions options) {
    if (isSet(options.getDeadLetterKafkaBootstrapServers())) {
      return "deadLetterKafkaBootstrapServers";
    }
    return isSet(options.getOutputKafkaBootstrapServers())
        ? "outputKafkaBootstrapServers"
        : "inputKafkaBootstrapServers";
  }

  /** One cluster as a client of the job sees it: servers and the user's client properties. */
  private static final class Cluster {
    private final String serversOption;
    private final String servers;
    private final String propertiesOption;
    private final Map<String, String> properties;
    private final boolean producer;

    Cluster(
        String serversOption,
        String servers,
        String propertiesOption,
        Map<String, String> properties,
        boolean producer) {
      this.serversOption = serversOption;
      this.servers = servers;
      this.propertiesOption = propertiesOption;
      this.properties = properties;
      this.producer = producer;
    }

    String name() {
      return "--" + serversOption + "=" + servers;
    }

    String protocol() {
      return properties
          .getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT")
          .trim()
          .toUpperCase(Locale.ROOT);
    }

    boolean usesTls() {
      return protocol().equals("SSL") || protocol().equals("SASL_SSL");
    }

    /** The security settings, never a secret: protocol and SASL mechanism only. */
    String securitySettings() {
      String mechanism = properties.get(SaslConfigs.SASL_MECHANISM);
      return "security.protocol="
          + protocol()
          + (protocol().startsWith("SASL_")
              ? ", sasl.mechanism=" + (mechanism == null ? "GSSAPI" : mechanism.trim())
              : "");
    }

    /** The job's client settings, with waits bounded by {@code millis}. */
    Map<String, Object> clientConfig(long millis) {
      Map<String, Object> config = new HashMap<>(properties);
      config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, servers);
      config.put(CommonClientConfigs.CLIENT_ID_CONFIG, CLIENT_ID);
      config.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) millis);
      config.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(millis, 30_000));
      return config;
    }
  }

  /** A TLS handshake with each bootstrap server, to tell a listener without TLS from a slow one. */
  static final class TlsProbe {
    private static final int CONNECT_MILLIS = 5_000;

    private TlsProbe() {}

    /**
     * Why no server of {@code servers} can be a TLS listener, or null when one completed a
     * handshake, failed it for a TLS reason (a certificate this JVM does not trust: the client's
     * own trust settings decide that), or could not be reached at all (the metadata request says
     * so).
     */
    static String firstRefusal(String servers, long end) {
      String refusal = null;
      for (String server : KeyValueOptions.splitList(servers)) {
        int colon = server.lastIndexOf(':');
        if (colon <= 0) {
          return null;
        }
        String host = server.substring(0, colon);
        int port;
        try {
          port = Integer.parseInt(server.substring(colon + 1));
        } catch (NumberFormatException e) {
          return null;
        }
        int timeout =
            (int) Math.max(500, Math.min(CONNECT_MILLIS, (end - System.nanoTime()) / 1_000_000));
        String result = handshake(host, port, timeout);
        if (result == null) {
          return null;
        }
        if (refusal == null) {
          refusal = result;
        }
      }
      return refusal;
    }

    private static String handshake(String host, int port, int timeoutMillis) {
      try (Socket plain = new Socket()) {
        plain.connect(new InetSocketAddress(host, port), timeoutMillis);
        plain.setSoTimeout(timeoutMillis);
        SSLSocketFactory factory = (SSLSocketFactory) SSLSocketFactory.getDefault();
        try (SSLSocket tls = (SSLSocket) factory.createSocket(plain, host, port, false)) {
          tls.startHandshake();
          return null;
        }
      } catch (SSLException e) {
        return closedDuringHandshake(e)
            ? host
                + ":"
                + port
                + " closed the connection during the TLS handshake: it is not a TLS"
                + " listener"
            : null;
      } catch (IOException e) {
        return null;
      }
    }

    private static boolean closedDuringHandshake(SSLException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof EOFException
            || String.valueOf(t.getMessage()).contains("Unsupported or unrecognized SSL message")
            || String.valueOf(t.getMessage()).contains("Remote host terminated the handshake")) {
          return true;
        }
      }
      return false;
    }
  }
}
