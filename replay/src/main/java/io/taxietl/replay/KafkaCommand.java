package io.taxietl.replay;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code replay kafka}: replays event files into a Kafka topic in event-time order. The options are
 * checked as they are parsed and together in {@link #call()}; {@link KafkaArguments} holds what
 * reaches the brokers, {@link PacingOptions} the inputs and schedule, {@link KafkaEventSink} sends.
 */
@Command(
    name = "kafka",
    customSynopsis =
        "replay kafka --bootstrap-servers HOST:PORT[,HOST:PORT...] --topic NAME [options] INPUT...",
    description = {
      "Replays event files into a Kafka topic in event-time order, paced or as fast as possible.",
      "",
      "Sends the events of the INPUT files to a Kafka topic, one record per line, in event-time order "
          + "(pickup_datetime; equal times keep INPUT order, then line order). The record value is the line "
          + "exactly as read; the key is the trip_id as a decimal string, or none for a line without a readable "
          + "trip_id. Lines that are not valid events are sent too, verbatim: the pipeline dead-letters them. A "
          + "line without a readable pickup_datetime takes the time of the line before it. Blank lines are not "
          + "sent. All lines are read into memory first, to be sorted: about the uncompressed size of the "
          + "INPUTs."
    },
    footer = {
      "Prints statistics on standard error while it runs (events sent, events/s, event-time position, lag "
          + "behind the schedule) and a summary on standard output at the end.",
      "Exit status: 0 when every record is stored by the brokers, 1 if an INPUT cannot be read, the brokers "
          + "cannot be reached or a send fails, 2 for a usage error.",
      "",
      "Examples:",
      "  replay kafka --bootstrap-servers 127.0.0.1:9092 --topic trips --create-topic --partitions 4 \\",
      "      --speedup 0 --watermarks 1 events.jsonl.gz",
      "  replay kafka --bootstrap-servers 127.0.0.1:9092 --topic trips --speedup 60 --max-wait 5 \\",
      "      --watermarks 10 events.jsonl.gz"
    })
final class KafkaCommand implements Callable<Integer> {
  private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
  private static final Pattern SERVER =
      Pattern.compile("(\\[[0-9a-fA-F:.]+\\]|[^\\s,:\\[\\]]+):([0-9]{1,5})");
  private static final int MAX_PARTITIONS = 10_000;

  private final PrintStream out;
  private final PrintStream err;
  private String servers;
  private String topic;
  private OptionalInt partitions = OptionalInt.empty();
  private final Map<String, String> fromFile = new LinkedHashMap<>();
  private final Map<String, String> fromArguments = new LinkedHashMap<>();
  private int timeoutSeconds = 30;

  @Option(
      names = "--create-topic",
      arity = "0",
      description = "create the topic if it does not exist (replication: the broker's default)")
  private boolean createTopic;

  @Mixin private PacingOptions pacing;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "print this help")
  private boolean help;

  /** A command that prints its summary on {@code out} and its progress on {@code err}. */
  KafkaCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "LIST",
      description = "the Kafka brokers to connect to (required)")
  void bootstrapServers(String value) throws UsageException {
    servers =
        OptionValues.once(
            "--bootstrap-servers", servers, checkedServers("--bootstrap-servers", value));
  }

  @Option(
      names = "--topic",
      paramLabel = "NAME",
      description = "the topic to send to (required); it must exist unless --create-topic")
  void topic(String value) throws UsageException {
    topic = OptionValues.once("--topic", topic, checkedTopic("--topic", value));
  }

  @Option(
      names = "--partitions",
      paramLabel = "N",
      description = "partitions of a topic that --create-topic creates (default: the broker's)")
  void partitions(String value) throws UsageException {
    partitions = OptionalInt.of((int) OptionValues.whole("--partitions", value, 1, MAX_PARTITIONS));
  }

  @Option(
      names = "--producer-property",
      paramLabel = "K=V",
      description =
          "a Kafka producer setting, e.g. security.protocol=SSL (repeatable); it overrides the defaults: acks=all, "
              + "enable.idempotence=true, compression.type=lz4, linger.ms=20, batch.size=131072")
  void producerProperty(String value) throws UsageException {
    Map.Entry<String, String> setting = producerSetting("--producer-property", value);
    fromArguments.put(setting.getKey(), setting.getValue());
  }

  @Option(
      names = "--producer-config",
      paramLabel = "FILE",
      description =
          "producer settings from a properties file: keeps secrets such as sasl.jaas.config off the command "
              + "line; --producer-property wins over it")
  void producerConfig(String value) throws UsageException {
    fromFile.putAll(propertiesFile("--producer-config", value));
  }

  /** {@code KEY=VALUE} of a client setting option, e.g. {@code --producer-property}. */
  static Map.Entry<String, String> producerSetting(String option, String value)
      throws UsageException {
    int equals = value.indexOf('=');
    if (equals <= 0) {
      throw new UsageException(
          option
              + " expects KEY=VALUE, got '"
              + (equals < 0 ? value : value.substring(0, equals + 1))
              + "'");
    }
    return Map.entry(value.substring(0, equals).trim(), value.substring(equals + 1));
  }

  /**
   * The settings of a properties file, in key order; errors name the option and the file, never a
   * value.
   */
  static Map<String, String> propertiesFile(String option, String value) throws UsageException {
    Path path;
    try {
      path = Path.of(value);
    } catch (InvalidPathException e) {
      throw new UsageException(option + " '" + value + "' is not a valid path: " + e.getReason());
    }
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException | IllegalArgumentException e) {
      throw new UsageException(
          option
              + " '"
              + value
              + "' cannot be read as a properties file: "
              + e.getClass().getSimpleName());
    }
    Map<String, String> settings = new LinkedHashMap<>();
    properties.stringPropertyNames().stream()
        .sorted()
        .forEach(key -> settings.put(key, properties.getProperty(key)));
    return settings;
  }

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      description = "how long to wait for the brokers before failing (default 30)")
  void timeout(String value) throws UsageException {
    timeoutSeconds = (int) OptionValues.whole("--timeout", value, 1, 3600);
  }

  @Override
  public Integer call() throws UsageException, IOException {
    KafkaArguments arguments = arguments();
    EventFileReader.Events read =
        pacing.read(
            "replay kafka",
            "topic '" + arguments.topic() + "' on " + arguments.bootstrapServers(),
            err);
    EventReplayer.Summary summary;
    try (KafkaEventSink sink = KafkaEventSink.open(arguments, err)) {
      summary = pacing.replayer(sink, Ticker.SYSTEM, err, "replay kafka").replay(read.events());
    }
    print(summary, read, arguments);
    return Replay.EXIT_OK;
  }

  /** The settings, once the options are checked together; nothing has been read or sent yet. */
  private KafkaArguments arguments() throws UsageException {
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
    pacing.check();
    Map<String, String> producerProperties = new LinkedHashMap<>(fromFile);
    producerProperties.putAll(fromArguments);
    return KafkaArguments.checked(
        servers, topic, createTopic, partitions, producerProperties, timeoutSeconds);
  }

  static String checkedServers(String option, String value) throws UsageException {
    for (String server : value.split(",", -1)) {
      Matcher matcher = SERVER.matcher(server.trim());
      if (!matcher.matches()
          || Integer.parseInt(matcher.group(2)) < 1
          || Integer.parseInt(matcher.group(2)) > 65535) {
        throw new UsageException(
            option + " '" + value + "': expected HOST:PORT[,HOST:PORT...], got '" + server + "'");
      }
    }
    return value;
  }

  static String checkedTopic(String option, String value) throws UsageException {
    if (!TOPIC.matcher(value).matches() || value.equals(".") || value.equals("..")) {
      throw new UsageException(
          option + " '" + value + "' is not a valid topic name: 1 to 249 of a-z A-Z 0-9 . _ -");
    }
    return value;
  }

  private void print(
      EventReplayer.Summary summary, EventFileReader.Events read, KafkaArguments arguments) {
    out.printf(
        Locale.ROOT,
        "replay kafka: sent %,d events to topic '%s' on %s in %.1f s (%,.0f events/s)%n",
        summary.events(),
        arguments.topic(),
        arguments.bootstrapServers(),
        summary.elapsedNanos() / 1e9,
        summary.eventsPerSecond());
    out.printf("  event time: %s%n", summary.eventTimeRange());
    out.printf(
        Locale.ROOT,
        "  read: %,d lines without a readable trip_id (sent without key), %,d without a readable "
            + "pickup_datetime (took the time of the line before)%n",
        read.withoutTripId(),
        read.withoutTime());
    if (pacing.watermarks()) {
      out.printf(
          Locale.ROOT,
          "  watermarks: %,d rounds to each of %d partitions%n",
          summary.watermarkRounds(),
          summary.partitions());
    }
    out.printf(
        Locale.ROOT,
        "  pacing: %s%n",
        pacing.speedup() == 0
            ? "--speedup 0, as fast as possible"
            : String.format(
                Locale.ROOT,
                "--speedup %s, largest lag behind the schedule %.1f s",
                stripZeros(pacing.speedup()),
                summary.maxLagNanos() / 1e9));
  }

  private static String stripZeros(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }
}
