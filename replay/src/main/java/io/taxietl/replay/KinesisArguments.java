package io.taxietl.replay;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * The checked arguments of {@code replay kinesis}; see {@link KinesisCommand#usage()}.
 *
 * @param stream the stream to send to
 * @param region the AWS region id, or empty for the SDK's region provider chain
 * @param endpoint a non-AWS Kinesis endpoint, or empty for the region's AWS endpoint
 * @param createStream whether to create the stream if it does not exist
 * @param shards the shard count of a stream that is created
 * @param partitionKeys how records get their partition key
 * @param speedup event time runs this many times faster than wall time; 0 for as fast as possible
 * @param maxWaitNanos the longest wait between two events, or {@link ReplayPacer#NO_MAX_WAIT}
 * @param watermarkEveryNanos wall time between watermark rounds; 0 for none
 * @param statsEveryNanos wall time between statistics lines
 * @param limit the most events to send, the earliest first; {@link Long#MAX_VALUE} for all
 * @param timeoutSeconds how long to keep retrying a batch, and to wait for a created stream
 * @param zone the zone of timestamps without an offset
 * @param inputs the event files, in command line order
 */
record KinesisArguments(
    String stream,
    Optional<String> region,
    Optional<URI> endpoint,
    boolean createStream,
    OptionalInt shards,
    PartitionKeys partitionKeys,
    double speedup,
    long maxWaitNanos,
    long watermarkEveryNanos,
    long statsEveryNanos,
    long limit,
    int timeoutSeconds,
    ZoneId zone,
    List<Path> inputs) {

  /** How a record's partition key is chosen; watermark events always go to each shard by hash key. */
  enum PartitionKeys {
    /** The trip_id as decimal text (a line without one gets a random key): one trip always lands in one shard. */
    TRIP_ID,
    /** A random key per record: spreads records evenly over the shards. */
    RANDOM
  }

  private static final Pattern STREAM = Pattern.compile("[a-zA-Z0-9_.-]{1,128}");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]+");
  private static final BigDecimal MAX_SPEEDUP = BigDecimal.valueOf(1_000_000_000);
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  KinesisArguments {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(shards, "shards");
    Objects.requireNonNull(partitionKeys, "partitionKeys");
    Objects.requireNonNull(zone, "zone");
    inputs = List.copyOf(inputs);
  }

  /**
   * Parses and checks the arguments that follow {@code kinesis}.
   *
   * @throws UsageException naming the argument and value at fault, before anything is read or sent
   */
  static KinesisArguments parse(List<String> args) throws UsageException {
    String stream = null;
    String region = null;
    URI endpoint = null;
    boolean createStream = false;
    OptionalInt shards = OptionalInt.empty();
    PartitionKeys keys = PartitionKeys.TRIP_ID;
    double speedup = 1;
    long maxWait = ReplayPacer.NO_MAX_WAIT;
    long watermarkEvery = 0;
    long statsEvery = 5 * NANOS_PER_SECOND;
    long limit = Long.MAX_VALUE;
    int timeoutSeconds = 60;
    ZoneId zone = ZoneId.of("UTC");
    List<Path> inputs = new ArrayList<>();
    for (Iterator<String> it = args.iterator(); it.hasNext(); ) {
      String arg = it.next();
      if (!arg.startsWith("--")) {
        inputs.add(KafkaArguments.input(arg));
        continue;
      }
      int equals = arg.indexOf('=');
      String option = equals < 0 ? arg : arg.substring(0, equals);
      if (option.equals("--create-stream")) {
        if (equals >= 0) {
          throw new UsageException("--create-stream takes no value, got '" + arg + "'");
        }
        createStream = true;
        continue;
      }
      String value = KafkaArguments.value(option, arg, equals, it);
      switch (option) {
        case "--stream" -> stream = KafkaArguments.once(option, stream, stream(value));
        case "--region" -> region = KafkaArguments.once(option, region, region(value));
        case "--endpoint" -> endpoint = KafkaArguments.once(option, endpoint, endpoint(value));
        case "--shards" -> shards = OptionalInt.of((int) KafkaArguments.whole(option, value, 1, 500));
        case "--partition-key" -> keys = partitionKeys(value);
        case "--speedup" ->
            speedup = KafkaArguments.number(option, value, BigDecimal.ZERO, true, MAX_SPEEDUP).doubleValue();
        case "--max-wait" -> maxWait = KafkaArguments.nanos(option, value);
        case "--watermarks" -> watermarkEvery = KafkaArguments.nanos(option, value);
        case "--stats-every" -> statsEvery = KafkaArguments.nanos(option, value);
        case "--limit" -> limit = KafkaArguments.whole(option, value, 1, Long.MAX_VALUE - 1);
        case "--timeout" -> timeoutSeconds = (int) KafkaArguments.whole(option, value, 1, 3600);
        case "--event-time-zone" -> zone = KafkaArguments.zone(value);
        default -> throw new UsageException("unknown option '" + arg + "'");
      }
    }
    if (stream == null) {
      throw new UsageException("--stream NAME is required");
    }
    if (shards.isPresent() && !createStream) {
      throw new UsageException("--shards " + shards.getAsInt() + " only applies with --create-stream");
    }
    if (createStream && shards.isEmpty()) {
      throw new UsageException("--create-stream needs --shards N");
    }
    if (inputs.isEmpty()) {
      throw new UsageException("no INPUT file given");
    }
    return new KinesisArguments(
        stream, Optional.ofNullable(region), Optional.ofNullable(endpoint), createStream, shards, keys, speedup,
        maxWait, watermarkEvery, statsEvery, limit, timeoutSeconds, zone, inputs);
  }

  /** Where the stream is, for messages: the endpoint or the region. */
  String where() {
    return endpoint.map(URI::toString).orElseGet(() -> "region " + region.orElse("(SDK default)"));
  }

  private static String stream(String value) throws UsageException {
    if (!STREAM.matcher(value).matches()) {
      throw new UsageException("--stream '" + value + "' is not a valid stream name: 1 to 128 of a-z A-Z 0-9 _ . -");
    }
    return value;
  }

  private static String region(String value) throws UsageException {
    if (!REGION.matcher(value).matches()) {
      throw new UsageException("--region '" + value + "' is not an AWS region id such as us-east-1");
    }
    return value;
  }

  private static URI endpoint(String value) throws UsageException {
    try {
      URI uri = new URI(value);
      if (uri.getRawUserInfo() != null) {
        throw new UsageException("--endpoint must not carry credentials: they come from the AWS default chain");
      }
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new UsageException("--endpoint '" + value + "' must be http(s)://HOST[:PORT]");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new UsageException("--endpoint '" + value + "' is not a URL");
    }
  }

  private static PartitionKeys partitionKeys(String value) throws UsageException {
    return switch (value) {
      case "trip_id" -> PartitionKeys.TRIP_ID;
      case "random" -> PartitionKeys.RANDOM;
      default -> throw new UsageException("--partition-key must be trip_id or random, got '" + value + "'");
    };
  }
}
