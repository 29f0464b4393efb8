package io.taxietl.replay;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * {@code replay kinesis}: replays event files into a Kinesis data stream in event-time order, the twin of
 * {@link KafkaCommand}. See {@link #usage()} for the arguments, {@link KinesisArguments} for their rules and
 * {@link KinesisEventSink} for batching and retries.
 */
final class KinesisCommand implements Command {
  private final Ticker ticker;

  KinesisCommand() {
    this(Ticker.SYSTEM);
  }

  KinesisCommand(Ticker ticker) {
    this.ticker = ticker;
  }

  @Override
  public String name() {
    return "kinesis";
  }

  @Override
  public String summary() {
    return "replay event files into a Kinesis data stream in event-time order, paced or as fast as possible";
  }

  @Override
  public String usage() {
    return """
        Usage: replay kinesis --stream NAME [options] INPUT...

        Sends the events of the INPUT files (newline-delimited JSON, plain or gzip) to a Kinesis data stream, one
        record per line, in event-time order (pickup_datetime; equal times keep INPUT order, then line order). The
        record data is the line exactly as read. Records go out with PutRecords in batches of at most 500 records
        and 5 MB; entries that Kinesis reports as failed (throttling) are sent again, alone, with exponential
        backoff. Lines that are not valid events are sent too, verbatim: the pipeline dead-letters them.
        Credentials come from the AWS default provider chain (environment, profile, container or instance role).

        Options:
          --stream NAME             the stream to send to (required); it must exist unless --create-stream
          --region REGION           the stream's AWS region (default: the SDK's, e.g. AWS_REGION)
          --endpoint URL            a non-AWS Kinesis endpoint, e.g. http://127.0.0.1:4567 (default: AWS's)
          --create-stream           create the stream if it does not exist, and wait until it is ACTIVE
          --shards N                shards of a stream that --create-stream creates (required with it)
          --partition-key KIND      trip_id (default: the trip_id as text, random for a line without one) or
                                    random (a random key per record)
          --speedup N               event time runs N times faster than wall time (default 1: real time); 0 sends
                                    as fast as possible
          --max-wait SECONDS        never wait longer than this between two events (default: no limit)
          --watermarks SECONDS      every SECONDS of wall time, and once at the end, send a watermark event
                                    {"watermark":"<ISO instant>","type":"watermark"} to every open shard
          --limit N                 send only the N earliest events (default: all)
          --event-time-zone ZONE    the zone of timestamps without an offset (default UTC)
          --timeout SECONDS         how long to retry a batch without progress, and to wait for a created
                                    stream (default 60)
          --stats-every SECONDS     wall time between statistics lines on standard error (default 5)
          --help                    print this help

        Exit status: 0 when every record is stored, 1 if an INPUT cannot be read, Kinesis cannot be reached or
        records could not be stored, 2 for a usage error.

        Examples:
          replay kinesis --endpoint http://127.0.0.1:4567 --stream trips --create-stream --shards 4 \\
              --speedup 0 --watermarks 1 events.jsonl.gz
          replay kinesis --region eu-west-1 --stream trips --speedup 60 --max-wait 5 events.jsonl.gz
        """;
  }

  @Override
  public void run(List<String> args, PrintStream out, PrintStream err) throws UsageException, IOException {
    KinesisArguments arguments = KinesisArguments.parse(args);
    EventFileReader.Events read =
        EventFileReader.readForReplay(
            arguments.inputs(), arguments.zone(), arguments.limit(), "replay kinesis", "stream '" + arguments.stream() + "' at " + arguments.where(), err);
    List<ReplayEvent> events = read.events();
    EventReplayer.Summary summary;
    long retried;
    long requests;
    try (KinesisEventSink sink = KinesisEventSink.open(arguments, err)) {
      EventReplayer replayer =
          new EventReplayer(
              sink,
              new ReplayPacer(arguments.speedup(), arguments.maxWaitNanos()),
              ticker,
              arguments.watermarkEveryNanos(),
              arguments.statsEveryNanos(),
              err,
              "replay kinesis");
      summary = replayer.replay(events);
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
    out.printf(
        "  event time: %s to %s%n", instant(summary.firstEventTime()), instant(summary.lastEventTime()));
    out.printf(
        Locale.ROOT,
        "  PutRecords: %,d requests, %,d entries retried after a throttle or error%n", requests, retried);
    if (arguments.watermarkEveryNanos() > 0) {
      out.printf(
          Locale.ROOT,
          "  watermarks: %,d rounds to each of %d open shards%n",
          summary.watermarkRounds(),
          summary.partitions());
    }
  }

  private static String instant(long millis) {
    return millis == ReplayEvent.NO_TIME ? "-" : Instant.ofEpochMilli(millis).toString();
  }
}
