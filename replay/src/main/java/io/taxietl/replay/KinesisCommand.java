package io.taxietl.replay;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code replay kinesis}: replays event files into a Kinesis data stream in event-time order, the
 * twin of {@link KafkaCommand}. {@link KinesisArguments} holds what reaches Kinesis, {@link
 * PacingOptions} the inputs and schedule, {@link KinesisEventSink} batches and retries.
 */
@Command(
    name = "kinesis",
    customSynopsis = "replay kinesis --stream NAME [options] INPUT...",
    description = {
      "Replays event files into a Kinesis data stream in event-time order, paced or as fast as possible.",
      "",
      "Sends the events of the INPUT files to a Kinesis data stream, one record per line, in event-time order "
          + "(pickup_datetime; equal times keep INPUT order, then line order). The record data is the line exactly "
          + "as read. Records go out with PutRecords in batches of at most 500 records and 5 MB; entries that "
          + "Kinesis reports as failed (throttling) are sent again, alone, with exponential backoff. Lines that "
          + "are not valid events are sent too, verbatim: the pipeline dead-letters them. Credentials come from "
          + "the AWS default provider chain (environment, profile, container or instance role)."
    },
    footer = {
      "Exit status: 0 when every record is stored, 1 if an INPUT cannot be read, Kinesis cannot be reached or "
          + "records could not be stored, 2 for a usage error.",
      "",
      "Examples:",
      "  replay kinesis --endpoint http://127.0.0.1:4567 --stream trips --create-stream --shards 4 \\",
      "      --speedup 0 --watermarks 1 events.jsonl.gz",
      "  replay kinesis --region eu-west-1 --stream trips --speedup 60 --max-wait 5 events.jsonl.gz"
    })
final class KinesisCommand implements Callable<Integer> {
  private static final Pattern STREAM = Pattern.compile("[a-zA-Z0-9_.-]{1,128}");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]+");

  private final PrintStream out;
  private final PrintStream err;
  private String stream;
  private String region;
  private URI endpoint;
  private OptionalInt shards = OptionalInt.empty();
  private KinesisArguments.PartitionKeys partitionKeys = KinesisArguments.PartitionKeys.TRIP_ID;
  private int timeoutSeconds = 60;

  @Option(
      names = "--create-stream",
      arity = "0",
      description = "create the stream if it does not exist, and wait until it is ACTIVE")
  private boolean createStream;

  @Mixin private PacingOptions pacing;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "print this help")
  private boolean help;

  /** A command that prints its summary on {@code out} and its progress on {@code err}. */
  KinesisCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Option(
      names = "--stream",
      paramLabel = "NAME",
      description = "the stream to send to (required); it must exist unless --create-stream")
  void stream(String value) throws UsageException {
    stream = OptionValues.once("--stream", stream, checkedStream("--stream", value));
  }

  @Option(
      names = "--region",
      paramLabel = "REGION",
      description = "the stream's AWS region (default: the SDK's, e.g. AWS_REGION)")
  void region(String value) throws UsageException {
    region = OptionValues.once("--region", region, checkedRegion("--region", value));
  }

  @Option(
      names = "--endpoint",
      paramLabel = "URL",
      description = "a non-AWS Kinesis endpoint, e.g. http://127.0.0.1:4567 (default: AWS's)")
  void endpoint(String value) throws UsageException {
    endpoint = OptionValues.once("--endpoint", endpoint, checkedEndpoint("--endpoint", value));
  }

  /** An AWS region id such as {@code us-east-1}. */
  static String checkedRegion(String option, String value) throws UsageException {
    if (!REGION.matcher(value).matches()) {
      throw new UsageException(
          option + " '" + value + "' is not an AWS region id such as us-east-1");
    }
    return value;
  }

  /** An http(s) endpoint URL without credentials in it. */
  static URI checkedEndpoint(String option, String value) throws UsageException {
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw new UsageException(option + " '" + value + "' is not a URL");
    }
    if (uri.getRawUserInfo() != null) {
      throw new UsageException(
          option + " must not carry credentials: they come from the AWS default chain");
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null) {
      throw new UsageException(option + " '" + value + "' must be http(s)://HOST[:PORT]");
    }
    return uri;
  }

  /** A Kinesis stream name. */
  static String checkedStream(String option, String value) throws UsageException {
    if (!STREAM.matcher(value).matches()) {
      throw new UsageException(
          option + " '" + value + "' is not a valid stream name: 1 to 128 of a-z A-Z 0-9 _ . -");
    }
    return value;
  }

  @Option(
      names = "--shards",
      paramLabel = "N",
      description = "shards of a stream that --create-stream creates (required with it)")
  void shards(String value) throws UsageException {
    shards = OptionalInt.of((int) OptionValues.whole("--shards", value, 1, 500));
  }

  @Option(
      names = "--partition-key",
      paramLabel = "KIND",
      description =
          "trip_id (default: the trip_id as text, random for a line without one) or random (a random key per "
              + "record)")
  void partitionKey(String value) throws UsageException {
    switch (value) {
      case "trip_id" -> partitionKeys = KinesisArguments.PartitionKeys.TRIP_ID;
      case "random" -> partitionKeys = KinesisArguments.PartitionKeys.RANDOM;
      default ->
          throw new UsageException(
              "--partition-key must be trip_id or random, got '" + value + "'");
    }
  }

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      description =
          "how long to retry a batch without progress, and to wait for a created stream (default 60)")
  void timeout(String value) throws UsageException {
    timeoutSeconds = (int) OptionValues.whole("--timeout", value, 1, 3600);
  }

  @Override
  public Integer call() throws UsageException, IOException {
    KinesisArguments arguments = arguments();
    EventFileReader.Events read =
        pacing.read(
            "replay kinesis", "stream '" + arguments.stream() + "' at " + arguments.where(), err);
    EventReplayer.Summary summary;
    long retried;
    long requests;
    try (KinesisEventSink sink = KinesisEventSink.open(arguments, err)) {
      summary = pacing.replayer(sink, Ticker.SYSTEM, err, "replay kinesis").replay(read.events());
      retried = sink.retriedEntries();
      requests = sink.requests();
    }
    out.printf(
        Locale.ROOT,
        "replay kinesis: sent %,d events to stream '%s' at %s in %.1f s (%,.0f events/s)%n",
        summary.events(),
        arguments.stream(),
        arguments.where(),
        summary.elapsedNanos() / 1e9,
        summary.eventsPerSecond());
    out.printf("  event time: %s%n", summary.eventTimeRange());
    out.printf(
        Locale.ROOT,
        "  PutRecords: %,d requests, %,d entries retried after a throttle or error%n",
        requests,
        retried);
    if (pacing.watermarks()) {
      out.printf(
          Locale.ROOT,
          "  watermarks: %,d rounds to each of %d open shards%n",
          summary.watermarkRounds(),
          summary.partitions());
    }
    return Replay.EXIT_OK;
  }

  /** The settings, once the options are checked together; nothing has been read or sent yet. */
  private KinesisArguments arguments() throws UsageException {
    if (stream == null) {
      throw new UsageException("--stream NAME is required");
    }
    if (shards.isPresent() && !createStream) {
      throw new UsageException(
          "--shards " + shards.getAsInt() + " only applies with --create-stream");
    }
    if (createStream && shards.isEmpty()) {
      throw new UsageException("--create-stream needs --shards N");
    }
    pacing.check();
    return new KinesisArguments(
        stream,
        Optional.ofNullable(region),
        Optional.ofNullable(endpoint),
        createStream,
        shards,
        partitionKeys,
        timeoutSeconds);
  }
}
