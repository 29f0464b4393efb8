package io.taxietl.replay;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The parsed command line of {@code replay kafka}. Options take their value as the next argument or after
 * {@code =}; every other argument is an INPUT.
 *
 * @param bootstrapServers {@code host:port[,host:port...]}
 * @param topic the topic to send to
 * @param createTopic create the topic if it does not exist
 * @param partitions the partition count of a topic that is created; empty for the broker's default
 * @param producerProperties producer settings from {@code --producer-config} and {@code --producer-property}, in
 *     that order (later ones win); may hold secrets, never print their values
 * @param speedup event time runs this many times faster than wall time; 0 for as fast as possible
 * @param maxWaitNanos the longest wait between two events, or {@link ReplayPacer#NO_MAX_WAIT}
 * @param watermarkEveryNanos wall time between watermark rounds; 0 for none
 * @param statsEveryNanos wall time between statistics lines
 * @param limit the most events to send, the earliest first; {@link Long#MAX_VALUE} for all
 * @param timeoutSeconds how long to wait for the brokers before failing
 * @param zone the zone of timestamps without an offset
 * @param inputs the event files, in command line order, which breaks ties between equal event times
 */
record KafkaArguments(
    String bootstrapServers,
    String topic,
    boolean createTopic,
    OptionalInt partitions,
    Map<String, String> producerProperties,
    double speedup,
    long maxWaitNanos,
    long watermarkEveryNanos,
    long statsEveryNanos,
    long limit,
    int timeoutSeconds,
    ZoneId zone,
    List<Path> inputs) {

  /** Settings that this tool owns: they are set through its own options or fixed. */
  static final Set<String> RESERVED_PRODUCER_PROPERTIES =
      Set.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
          ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
          ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);

  private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
  private static final Pattern SERVER = Pattern.compile("(\\[[0-9a-fA-F:.]+\\]|[^\\s,:\\[\\]]+):([0-9]{1,5})");
  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(7 * 24 * 3600);
  private static final int MAX_PARTITIONS = 10_000;
  private static final BigDecimal MAX_SPEEDUP = BigDecimal.valueOf(1_000_000_000);

  KafkaArguments {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(partitions, "partitions");
    Objects.requireNonNull(zone, "zone");
    producerProperties = Map.copyOf(producerProperties);
    inputs = List.copyOf(inputs);
  }

  /**
   * Parses and checks the arguments that follow {@code kafka}.
   *
   * @throws UsageException naming the argument and value at fault, before anything is read or sent
   */
  static KafkaArguments parse(List<String> args) throws UsageException {
    String servers = null;
    String topic = null;
    boolean createTopic = false;
    OptionalInt partitions = OptionalInt.empty();
    Map<String, String> fromFile = new LinkedHashMap<>();
    Map<String, String> fromArguments = new LinkedHashMap<>();
    double speedup = 1;
    long maxWait = ReplayPacer.NO_MAX_WAIT;
    long watermarkEvery = 0;
    long statsEvery = 5 * NANOS_PER_SECOND;
    long limit = Long.MAX_VALUE;
    int timeoutSeconds = 30;
    ZoneId zone = ZoneId.of("UTC");
    List<Path> inputs = new ArrayList<>();
    for (Iterator<String> it = args.iterator(); it.hasNext(); ) {
      String arg = it.next();
      if (!arg.startsWith("--")) {
        inputs.add(input(arg));
        continue;
      }
      int equals = arg.indexOf('=');
      String option = equals < 0 ? arg : arg.substring(0, equals);
      if (option.equals("--create-topic")) {
        if (equals >= 0) {
          throw new UsageException("--create-topic takes no value, got '" + arg + "'");
        }
        createTopic = true;
        continue;
      }
      String value = value(option, arg, equals, it);
      switch (option) {
        case "--bootstrap-servers" -> servers = once(option, servers, servers(value));
        case "--topic" -> topic = once(option, topic, topic(value));
        case "--partitions" ->
            partitions = OptionalInt.of((int) whole(option, value, 1, MAX_PARTITIONS));
        case "--producer-property" -> property(value, fromArguments);
        case "--producer-config" -> fromFile.putAll(propertiesFile(value));
        case "--speedup" -> speedup = number(option, value, BigDecimal.ZERO, true, MAX_SPEEDUP).doubleValue();
        case "--max-wait" -> maxWait = nanos(option, value);
        case "--watermarks" -> watermarkEvery = nanos(option, value);
        case "--stats-every" -> statsEvery = nanos(option, value);
        case "--limit" -> limit = whole(option, value, 1, Long.MAX_VALUE - 1);
        case "--timeout" -> timeoutSeconds = (int) whole(option, value, 1, 3600);
        case "--event-time-zone" -> zone = zone(value);
        default -> throw new UsageException("unknown option '" + arg + "'");
      }
    }
    if (servers == null) {
      throw new UsageException("--bootstrap-servers HOST:PORT is required");
    }
    if (topic == null) {
      throw new UsageException("--topic NAME is required");
    }
    if (partitions.isPresent() && !createTopic) {
      throw new UsageException(
          "--partitions " + partitions.getAsInt() + " only applies with --create-topic");
    }
    if (inputs.isEmpty()) {
      throw new UsageException("no INPUT file given");
    }
    Map<String, String> producerProperties = new LinkedHashMap<>(fromFile);
    producerProperties.putAll(fromArguments);
    checkProducerProperties(producerProperties);
    KafkaArguments arguments =
        new KafkaArguments(
            servers, topic, createTopic, partitions, producerProperties, speedup, maxWait, watermarkEvery,
            statsEvery, limit, timeoutSeconds, zone, inputs);
    arguments.checkProducerConfig();
    return arguments;
  }

  static String value(String option, String arg, int equals, Iterator<String> rest)
      throws UsageException {
    if (equals >= 0) {
      return arg.substring(equals + 1);
    }
    if (!rest.hasNext()) {
      throw new UsageException(option + " needs a value");
    }
    return rest.next();
  }

  static <T> T once(String option, T earlier, T value) throws UsageException {
    if (earlier != null) {
      throw new UsageException(option + " is given more than once");
    }
    return value;
  }

  private static String servers(String value) throws UsageException {
    String[] servers = value.split(",", -1);
    for (String server : servers) {
      var matcher = SERVER.matcher(server.trim());
      if (!matcher.matches() || Integer.parseInt(matcher.group(2)) < 1 || Integer.parseInt(matcher.group(2)) > 65535) {
        throw new UsageException(
            "--bootstrap-servers '" + value + "': expected HOST:PORT[,HOST:PORT...], got '" + server + "'");
      }
    }
    return value;
  }

  private static String topic(String value) throws UsageException {
    if (!TOPIC.matcher(value).matches() || value.equals(".") || value.equals("..")) {
      throw new UsageException(
          "--topic '" + value + "' is not a valid topic name: 1 to 249 of a-z A-Z 0-9 . _ -");
    }
    return value;
  }

  static long whole(String option, String value, long min, long max) throws UsageException {
    if (!value.matches("[0-9]{1,19}")) {
      throw new UsageException(option + " must be a whole number, got '" + value + "'");
    }
    BigDecimal n = new BigDecimal(value);
    if (n.compareTo(BigDecimal.valueOf(min)) < 0 || n.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw new UsageException(option + " must be from " + min + " to " + max + ", got '" + value + "'");
    }
    return n.longValue();
  }

  /** A decimal number in [min, max], or (min, max] if {@code minIncluded} is false. */
  static BigDecimal number(String option, String value, BigDecimal min, boolean minIncluded, BigDecimal max)
      throws UsageException {
    BigDecimal n;
    try {
      n = new BigDecimal(value.trim());
    } catch (NumberFormatException e) {
      throw new UsageException(option + " must be a number, got '" + value + "'");
    }
    int fromMin = n.compareTo(min);
    if (fromMin < 0 || (fromMin == 0 && !minIncluded) || n.compareTo(max) > 0) {
      throw new UsageException(
          option + " must be " + (minIncluded ? "at least " : "more than ") + min.toPlainString() + " and at most "
              + max.toPlainString() + ", got '" + value + "'");
    }
    return n;
  }

  /** A positive number of seconds, at most a week, in nanoseconds. */
  static long nanos(String option, String value) throws UsageException {
    BigDecimal seconds = number(option, value, BigDecimal.ZERO, false, MAX_SECONDS);
    long nanos = seconds.movePointRight(9).longValue();
    if (nanos < 1_000_000) {
      throw new UsageException(option + " must be at least 0.001 seconds, got '" + value + "'");
    }
    return nanos;
  }

  static ZoneId zone(String value) throws UsageException {
    try {
      return ZoneId.of(value);
    } catch (DateTimeException e) {
      throw new UsageException(
          "--event-time-zone '" + value + "' is not a time zone: use a region such as America/New_York or an "
              + "offset such as +02:00");
    }
  }

  static Path input(String arg) throws UsageException {
    Path path;
    try {
      path = Path.of(arg);
    } catch (InvalidPathException e) {
      throw new UsageException("INPUT '" + arg + "' is not a valid path: " + e.getReason());
    }
    if (arg.isEmpty() || !Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new UsageException("INPUT '" + arg + "' is not a readable file");
    }
    return path;
  }

  private static void property(String value, Map<String, String> properties) throws UsageException {
    int equals = value.indexOf('=');
    if (equals <= 0) {
      throw new UsageException(
          "--producer-property expects KEY=VALUE, got '" + (equals < 0 ? value : value.substring(0, equals + 1))
              + "'");
    }
    properties.put(value.substring(0, equals).trim(), value.substring(equals + 1));
  }

  private static Map<String, String> propertiesFile(String value) throws UsageException {
    Path path;
    try {
      path = Path.of(value);
    } catch (InvalidPathException e) {
      throw new UsageException("--producer-config '" + value + "' is not a valid path: " + e.getReason());
    }
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException | IllegalArgumentException e) {
      throw new UsageException("--producer-config '" + value + "' cannot be read as a properties file: "
          + e.getClass().getSimpleName());
    }
    Map<String, String> map = new LinkedHashMap<>();
    properties.stringPropertyNames().stream().sorted().forEach(key -> map.put(key, properties.getProperty(key)));
    return map;
  }

  /**
   * The producer's settings: acks from all replicas, idempotence (no duplicates from retries, order kept within a
   * partition), lz4 batches lingering 20 ms, waits bounded by {@link #timeoutSeconds}; then the user's settings,
   * which win. Serializers are the sink's own.
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
          parsed.getLong(ProducerConfig.LINGER_MS_CONFIG) + parsed.getInt(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG);
      config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE,
          Math.max(timeoutSeconds * 1000L, atLeast)));
    }
    return config;
  }

  /**
   * The admin client's settings, to look up and create the topic: the user's settings that an admin client
   * knows (TLS, SASL, ...), with requests bounded by {@link #timeoutSeconds}.
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
  private static void checkProducerProperties(Map<String, String> properties) throws UsageException {
    Map<String, ConfigDef.ConfigKey> known = ProducerConfig.configDef().configKeys();
    for (String name : properties.keySet()) {
      if (RESERVED_PRODUCER_PROPERTIES.contains(name)) {
        throw new UsageException(
            "producer property '" + name + "' cannot be set: replay kafka sets it"
                + (name.equals(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG) ? " from --bootstrap-servers" : ""));
      }
      if (!known.containsKey(name)) {
        throw new UsageException("producer property '" + name + "' is not a Kafka producer setting");
      }
    }
  }

  /** Checks the settings that the producer will get as a whole; values of secret settings are never shown. */
  private void checkProducerConfig() throws UsageException {
    try {
      new ProducerConfig(producerConfig());
    } catch (ConfigException e) {
      Map<String, ConfigDef.ConfigKey> known = ProducerConfig.configDef().configKeys();
      boolean mayShowSecret =
          producerProperties.keySet().stream()
              .anyMatch(name -> known.get(name).type == ConfigDef.Type.PASSWORD && e.getMessage().contains(name));
      throw new UsageException(
          "producer settings: " + (mayShowSecret ? "a secret setting has an invalid value" : e.getMessage()));
    }
  }
}
