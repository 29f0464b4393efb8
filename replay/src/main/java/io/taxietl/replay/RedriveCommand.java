package io.taxietl.replay;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code replay redrive}: sends the original payloads of picked dead letters back into the
 * pipeline's input (a Kafka topic, a Kinesis stream, or a file for a FILE-source run), each in an
 * envelope that carries its history, so a payload that fails again is dead-lettered once more with
 * {@code redrive_count} and {@code previous_failures}. {@link DeadLetterReader} reads, {@link
 * DeadLetterRecord} builds the envelopes, the Kafka and Kinesis sinks of the other commands send.
 */
@Command(
    name = "redrive",
    customSynopsis = {
      "replay redrive (SOURCE... | --from-topic NAME --from-bootstrap-servers LIST) [--reason LIST]",
      "               [--since INSTANT] [--until INSTANT] [--raw] [--dry-run]",
      "               (--to-topic NAME --bootstrap-servers LIST | --to-stream NAME | --to-file PATH) [options]"
    },
    description = {
      "Sends the original payloads of dead letters back into the pipeline's input, once the rule or the "
          + "configuration that refused them is fixed.",
      "",
      "Reads the dead-letter records that the pipeline wrote (.jsonl files below each SOURCE, a local folder "
          + "or file or an s3://bucket/prefix; or the dead-letter topic, from its beginning to its current end), "
          + "picks those of the reasons given (default: every reason of the parse and validate stages) whose "
          + "failed_at is in [--since, --until), and sends each one's original payload, in the order they failed, "
          + "to one target. Each goes in a redrive envelope, {\"redrive\":{\"count\":N,\"previous_failures\":"
          + "[...]},\"payload\":\"...\"}, which the pipeline unwraps: a payload that is valid now becomes a trip; "
          + "one that is still bad becomes one new dead letter with redrive_count N and every earlier failure. "
          + "--raw sends the payloads as they were, without history. Records of sink stages "
          + "(ELASTICSEARCH_REJECTED) are sent only when named in --reason: their payload is a whole trip that "
          + "every sink writes again. Running the same redrive twice sends the payloads twice."
    },
    footer = {
      "Exit status: 0 when every picked payload was sent (or counted, with --dry-run), 1 if a SOURCE cannot be "
          + "read or the target refuses, 2 for a usage error.",
      "",
      "Examples:",
      "  replay redrive output/dead-letters --reason DROPOFF_BEFORE_PICKUP \\",
      "      --to-topic trips --bootstrap-servers 127.0.0.1:9092",
      "  replay redrive s3://my-lake/dead-letters --since 2026-12-01T00:00:00Z --region eu-west-1 \\",
      "      --to-stream trips",
      "  replay redrive --from-topic trips-dead-letters --from-bootstrap-servers 127.0.0.1:9092 \\",
      "      --to-file backfill.jsonl"
    })
final class RedriveCommand implements Callable<Integer> {
  /** The reasons picked when none are named: every rejection of the parse and validate stages. */
  static final Set<String> DEFAULT_STAGES = Set.of("parse", "validate");

  private final PrintStream out;
  private final PrintStream err;
  private final List<String> sources = new ArrayList<>();
  private final Set<String> reasons = new LinkedHashSet<>();
  private Instant since;
  private Instant until;
  private String fromTopic;
  private String fromServers;
  private final Map<String, String> consumerProperties = new LinkedHashMap<>();
  private String toTopic;
  private String servers;
  private final Map<String, String> producerFromFile = new LinkedHashMap<>();
  private final Map<String, String> producerFromArguments = new LinkedHashMap<>();
  private String toStream;
  private String region;
  private URI endpoint;
  private Path toFile;
  private URI s3Endpoint;
  private String s3Region;
  private int timeoutSeconds = 30;

  @Option(names = "--raw", arity = "0", description = "send the payloads without an envelope")
  private boolean raw;

  @Option(
      names = "--dry-run",
      arity = "0",
      description = "read and pick, print what would be sent, send nothing")
  private boolean dryRun;

  @Option(
      names = "--s3-path-style",
      arity = "0",
      description = "path-style S3 requests, as S3-compatible stores need")
  private boolean s3PathStyle;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "print this help")
  private boolean help;

  RedriveCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Parameters(
      paramLabel = "SOURCE",
      arity = "0..*",
      description = "a dead-letter folder or .jsonl file, or s3://bucket/prefix")
  void source(String value) throws UsageException {
    if (value.isBlank()) {
      throw new UsageException("SOURCE must not be empty");
    }
    sources.add(value);
  }

  @Option(
      names = "--reason",
      paramLabel = "LIST",
      description =
          "reasons to pick, comma-separated or repeated, e.g. MISSING_FIELD,DROPOFF_BEFORE_PICKUP (default: every"
              + " reason of the parse and validate stages)")
  void reason(String value) throws UsageException {
    for (String reason : value.split(",", -1)) {
      if (!reason.trim().matches("[A-Z][A-Z0-9_]*")) {
        throw new UsageException(
            "--reason '" + value + "': expected reason codes such as MISSING_FIELD");
      }
      reasons.add(reason.trim());
    }
  }

  @Option(
      names = "--since",
      paramLabel = "INSTANT",
      description = "pick dead letters that failed at or after this ISO-8601 instant")
  void since(String value) throws UsageException {
    since = OptionValues.once("--since", since, instant("--since", value));
  }

  @Option(
      names = "--until",
      paramLabel = "INSTANT",
      description = "pick dead letters that failed before this ISO-8601 instant")
  void until(String value) throws UsageException {
    until = OptionValues.once("--until", until, instant("--until", value));
  }

  @Option(
      names = "--from-topic",
      paramLabel = "NAME",
      description = "read the dead-letter topic instead of files")
  void fromTopic(String value) throws UsageException {
    fromTopic =
        OptionValues.once(
            "--from-topic", fromTopic, KafkaCommand.checkedTopic("--from-topic", value));
  }

  @Option(
      names = "--from-bootstrap-servers",
      paramLabel = "LIST",
      description = "the brokers of --from-topic (default: --bootstrap-servers)")
  void fromServers(String value) throws UsageException {
    fromServers =
        OptionValues.once(
            "--from-bootstrap-servers",
            fromServers,
            KafkaCommand.checkedServers("--from-bootstrap-servers", value));
  }

  @Option(
      names = "--consumer-property",
      paramLabel = "K=V",
      description =
          "a Kafka consumer setting for --from-topic, e.g. security.protocol=SSL (repeatable)")
  void consumerProperty(String value) throws UsageException {
    Map.Entry<String, String> setting = KafkaCommand.producerSetting("--consumer-property", value);
    consumerProperties.put(setting.getKey(), setting.getValue());
  }

  @Option(
      names = "--to-topic",
      paramLabel = "NAME",
      description = "send to this Kafka topic, the pipeline's input topic")
  void toTopic(String value) throws UsageException {
    toTopic =
        OptionValues.once("--to-topic", toTopic, KafkaCommand.checkedTopic("--to-topic", value));
  }

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "LIST",
      description = "the brokers of --to-topic")
  void servers(String value) throws UsageException {
    servers =
        OptionValues.once(
            "--bootstrap-servers",
            servers,
            KafkaCommand.checkedServers("--bootstrap-servers", value));
  }

  @Option(
      names = "--producer-property",
      paramLabel = "K=V",
      description = "a Kafka producer setting for --to-topic (repeatable), as for replay kafka")
  void producerProperty(String value) throws UsageException {
    Map.Entry<String, String> setting = KafkaCommand.producerSetting("--producer-property", value);
    producerFromArguments.put(setting.getKey(), setting.getValue());
  }

  @Option(
      names = "--producer-config",
      paramLabel = "FILE",
      description = "producer settings from a properties file; --producer-property wins over it")
  void producerConfig(String value) throws UsageException {
    producerFromFile.putAll(KafkaCommand.propertiesFile("--producer-config", value));
  }

  @Option(
      names = "--to-stream",
      paramLabel = "NAME",
      description = "send to this Kinesis stream, the pipeline's input stream")
  void toStream(String value) throws UsageException {
    toStream =
        OptionValues.once(
            "--to-stream", toStream, KinesisCommand.checkedStream("--to-stream", value));
  }

  @Option(
      names = "--region",
      paramLabel = "REGION",
      description = "the region of --to-stream (default: the SDK's)")
  void region(String value) throws UsageException {
    region = OptionValues.once("--region", region, KinesisCommand.checkedRegion("--region", value));
  }

  @Option(
      names = "--endpoint",
      paramLabel = "URL",
      description = "a non-AWS Kinesis endpoint for --to-stream")
  void endpoint(String value) throws UsageException {
    endpoint =
        OptionValues.once(
            "--endpoint", endpoint, KinesisCommand.checkedEndpoint("--endpoint", value));
  }

  @Option(
      names = "--to-file",
      paramLabel = "PATH",
      description = "write one line per payload to this new file, for a run with --source=FILE")
  void toFile(String value) throws UsageException {
    try {
      toFile = OptionValues.once("--to-file", toFile, Path.of(value));
    } catch (InvalidPathException e) {
      throw new UsageException("--to-file '" + value + "' is not a valid path: " + e.getReason());
    }
  }

  @Option(
      names = "--s3-endpoint",
      paramLabel = "URL",
      description = "an S3-compatible endpoint for s3:// SOURCEs (default: AWS's)")
  void s3Endpoint(String value) throws UsageException {
    s3Endpoint =
        OptionValues.once(
            "--s3-endpoint", s3Endpoint, KinesisCommand.checkedEndpoint("--s3-endpoint", value));
  }

  @Option(
      names = "--s3-region",
      paramLabel = "REGION",
      description = "the region of s3:// SOURCEs (default: --region, else the SDK's)")
  void s3Region(String value) throws UsageException {
    s3Region =
        OptionValues.once(
            "--s3-region", s3Region, KinesisCommand.checkedRegion("--s3-region", value));
  }

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      description = "how long to wait for Kafka or Kinesis before failing (default 30)")
  void timeout(String value) throws UsageException {
    timeoutSeconds = (int) OptionValues.whole("--timeout", value, 1, 3600);
  }

  @Override
  public Integer call() throws UsageException, IOException {
    checkCombination();
    List<DeadLetterReader.Line> lines = read();
    List<DeadLetterRecord> picked = new ArrayList<>();
    Map<String, Integer> pickedByReason = new TreeMap<>();
    int notPicked = 0;
    int unreadable = 0;
    String firstUnreadable = null;
    for (DeadLetterReader.Line line : lines) {
      DeadLetterRecord record;
      try {
        record = DeadLetterRecord.parse(line.text());
      } catch (IllegalArgumentException e) {
        unreadable++;
        firstUnreadable =
            firstUnreadable == null ? line.location() + ": " + e.getMessage() : firstUnreadable;
        continue;
      }
      if (picks(record)) {
        picked.add(record);
        pickedByReason.merge(record.reason(), 1, Integer::sum);
      } else {
        notPicked++;
      }
    }
    picked.sort(Comparator.comparing(DeadLetterRecord::failedAt));
    out.printf(
        Locale.ROOT,
        "replay redrive: read %,d dead letters from %s%n",
        lines.size() - unreadable,
        describeSource());
    if (unreadable > 0) {
      out.printf(
          Locale.ROOT,
          "  skipped %,d lines that are not dead-letter records (first: %s)%n",
          unreadable,
          firstUnreadable);
    }
    out.printf(
        Locale.ROOT,
        "  picked %,d%s; not picked %,d (reason or failed_at outside the selection)%n",
        picked.size(),
        pickedByReason.isEmpty() ? "" : ": " + describe(pickedByReason),
        notPicked);
    if (dryRun) {
      out.printf("  --dry-run: nothing sent to %s%n", describeTarget());
      return Replay.EXIT_OK;
    }
    int skipped = send(picked);
    out.printf(
        Locale.ROOT,
        "  sent %,d to %s%s%n",
        picked.size() - skipped,
        describeTarget(),
        raw ? " (raw payloads, without history)" : " (in redrive envelopes, with their history)");
    return Replay.EXIT_OK;
  }

  private boolean picks(DeadLetterRecord record) {
    boolean reasonPicked =
        reasons.isEmpty()
            ? DEFAULT_STAGES.contains(record.stage())
            : reasons.contains(record.reason());
    return reasonPicked
        && (since == null || !record.failedAt().isBefore(since))
        && (until == null || record.failedAt().isBefore(until));
  }

  private List<DeadLetterReader.Line> read() throws IOException {
    if (fromTopic != null) {
      return DeadLetterReader.fromTopic(
          fromServers != null ? fromServers : servers,
          fromTopic,
          consumerProperties,
          timeoutSeconds);
    }
    return DeadLetterReader.fromPaths(
        sources,
        new DeadLetterReader.S3Settings(
            Optional.ofNullable(s3Endpoint),
            Optional.ofNullable(s3Region != null ? s3Region : region),
            s3PathStyle));
  }

  /**
   * Sends every picked payload; returns how many could not be written (raw lines with a newline).
   */
  private int send(List<DeadLetterRecord> picked) throws IOException, UsageException {
    if (toFile != null) {
      return writeFile(picked);
    }
    try (EventSink sink = openSink()) {
      for (DeadLetterRecord record : picked) {
        sink.send(record.key(), raw ? record.payload() : record.envelope());
      }
      sink.flush();
    }
    return 0;
  }

  private EventSink openSink() throws IOException, UsageException {
    if (toTopic != null) {
      Map<String, String> producer = new LinkedHashMap<>(producerFromFile);
      producer.putAll(producerFromArguments);
      return KafkaEventSink.open(
          KafkaArguments.checked(
              servers, toTopic, false, OptionalInt.empty(), producer, timeoutSeconds),
          err);
    }
    return KinesisEventSink.open(
        new KinesisArguments(
            toStream,
            Optional.ofNullable(region),
            Optional.ofNullable(endpoint),
            false,
            OptionalInt.empty(),
            KinesisArguments.PartitionKeys.TRIP_ID,
            timeoutSeconds),
        err);
  }

  private int writeFile(List<DeadLetterRecord> picked) throws IOException {
    int skipped = 0;
    if (toFile.getParent() != null) {
      Files.createDirectories(toFile.getParent());
    }
    try (OutputStream file = Files.newOutputStream(toFile, StandardOpenOption.CREATE_NEW)) {
      for (DeadLetterRecord record : picked) {
        byte[] line = raw ? record.payload() : record.envelope();
        if (contains(line, (byte) '\n') || contains(line, (byte) '\r')) {
          skipped++;
          continue;
        }
        file.write(line);
        file.write('\n');
      }
    } catch (FileAlreadyExistsException e) {
      throw new IOException("--to-file " + toFile + " exists: give a new file", e);
    }
    if (skipped > 0) {
      err.printf(
          Locale.ROOT,
          "replay redrive: %,d raw payloads hold a line break and cannot be lines of a file:"
              + " not written (without --raw they are sent in envelopes)%n",
          skipped);
    }
    return skipped;
  }

  private void checkCombination() throws UsageException {
    if (sources.isEmpty() == (fromTopic == null)) {
      throw new UsageException(
          sources.isEmpty()
              ? "give a SOURCE (dead-letter folder, file or s3:// prefix) or --from-topic NAME"
              : "give either SOURCEs or --from-topic, not both");
    }
    if (fromTopic != null && fromServers == null && servers == null) {
      throw new UsageException(
          "--from-topic needs --from-bootstrap-servers (or --bootstrap-servers)");
    }
    int targets = (toTopic != null ? 1 : 0) + (toStream != null ? 1 : 0) + (toFile != null ? 1 : 0);
    if (targets != 1) {
      throw new UsageException(
          targets == 0
              ? "give a target: --to-topic NAME, --to-stream NAME or --to-file PATH"
              : "give one target: --to-topic, --to-stream or --to-file");
    }
    if (toTopic != null && servers == null) {
      throw new UsageException("--to-topic needs --bootstrap-servers");
    }
    if (toTopic == null && (!producerFromArguments.isEmpty() || !producerFromFile.isEmpty())) {
      throw new UsageException(
          "--producer-property and --producer-config only apply with --to-topic");
    }
    boolean s3Sources = sources.stream().anyMatch(source -> source.startsWith("s3://"));
    if (endpoint != null && toStream == null) {
      throw new UsageException("--endpoint only applies with --to-stream");
    }
    if (region != null && toStream == null && !s3Sources) {
      throw new UsageException("--region only applies with --to-stream or s3:// SOURCEs");
    }
    if ((s3Endpoint != null || s3Region != null || s3PathStyle) && !s3Sources) {
      throw new UsageException(
          "--s3-endpoint, --s3-region and --s3-path-style only apply with s3:// SOURCEs");
    }
    if (since != null && until != null && !since.isBefore(until)) {
      throw new UsageException("--since " + since + " is not before --until " + until);
    }
  }

  private String describeSource() {
    return fromTopic != null
        ? "topic '" + fromTopic + "' on " + (fromServers != null ? fromServers : servers)
        : String.join(", ", sources);
  }

  private String describeTarget() {
    if (toTopic != null) {
      return "topic '" + toTopic + "' on " + servers;
    }
    if (toStream != null) {
      return "stream '"
          + toStream
          + "' at "
          + (endpoint != null
              ? endpoint.toString()
              : "region " + (region == null ? "(SDK default)" : region));
    }
    return "file " + toFile;
  }

  private static String describe(Map<String, Integer> counts) {
    List<String> parts = new ArrayList<>();
    counts.forEach((reason, n) -> parts.add(reason + " " + String.format(Locale.ROOT, "%,d", n)));
    return String.join(", ", parts);
  }

  private static Instant instant(String option, String value) throws UsageException {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new UsageException(
          option + " '" + value + "' is not an ISO-8601 instant such as 2026-12-01T00:00:00Z");
    }
  }

  private static boolean contains(byte[] bytes, byte b) {
    for (byte x : bytes) {
      if (x == b) {
        return true;
      }
    }
    return false;
  }
}
