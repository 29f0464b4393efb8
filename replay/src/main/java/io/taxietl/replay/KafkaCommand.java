package io.taxietl.replay;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * {@code replay kafka}: replays event files into a Kafka topic in event-time order. See {@link #usage()} for
 * the arguments, {@link KafkaArguments} for their rules, {@link EventFileReader} for how lines are read,
 * {@link ReplayPacer} for the schedule and {@link EventReplayer} for watermarks and statistics.
 */
final class KafkaCommand implements Command {
  private final Ticker ticker;

  KafkaCommand() {
    this(Ticker.SYSTEM);
  }

  KafkaCommand(Ticker ticker) {
    this.ticker = ticker;
  }

  @Override
  public String name() {
    return "kafka";
  }

  @Override
  public String summary() {
    return "replay event files into a Kafka topic in event-time order, paced or as fast as possible";
  }

  @Override
  public String usage() {
    return """
        Usage: replay kafka --bootstrap-servers HOST:PORT[,HOST:PORT...] --topic NAME [options] INPUT...

        Sends the events of the INPUT files (newline-delimited JSON, plain or gzip: the output of 'replay
        convert' or any file of contract events) to a Kafka topic, one record per line, in event-time order
        (pickup_datetime; equal times keep INPUT order, then line order). The record value is the line exactly
        as read; the key is the trip_id as a decimal string, or none for a line without a readable trip_id.
        Lines that are not valid events are sent too, verbatim: the pipeline dead-letters them. A line without
        a readable pickup_datetime takes the time of the line before it. Blank lines are not sent. All lines
        are read into memory first, to be sorted: about the uncompressed size of the INPUTs.

        Options:
          --bootstrap-servers LIST  the Kafka brokers to connect to (required)
          --topic NAME              the topic to send to (required); it must exist unless --create-topic
          --create-topic            create the topic if it does not exist (replication: the broker's default)
          --partitions N            partitions of a topic that --create-topic creates (default: the broker's)
          --speedup N               event time runs N times faster than wall time: the wait between two events
                                    is the gap between their pickup times divided by N (default 1: real time);
                                    0 sends as fast as possible. The first event is sent at once.
          --max-wait SECONDS        never wait longer than this between two events: longer gaps are cut short
                                    and the rest of the schedule moves up (default: no limit)
          --watermarks SECONDS      every SECONDS of wall time, and once at the end, send a watermark event
                                    {"watermark":"<ISO instant>","type":"watermark"} carrying the latest event
                                    time sent so far to every partition of the topic (default: none)
          --limit N                 send only the N earliest events (default: all)
          --event-time-zone ZONE    the zone of timestamps without an offset (default UTC; use the pipeline's
                                    --eventTimeZone)
          --producer-property K=V   a Kafka producer setting, e.g. security.protocol=SSL (repeatable); it
                                    overrides the defaults: acks=all, enable.idempotence=true,
                                    compression.type=lz4, linger.ms=20, batch.size=131072
          --producer-config FILE    producer settings from a properties file: keeps secrets such as
                                    sasl.jaas.config off the command line; --producer-property wins over it
          --timeout SECONDS         how long to wait for the brokers before failing (default 30)
          --stats-every SECONDS     wall time between statistics lines on standard error (default 5)
          --help                    print this help

        Prints statistics on standard error while it runs (events sent, events/s, event-time position, lag
        behind the schedule) and a summary on standard output at the end.
        Exit status: 0 when every record is stored by the brokers, 1 if an INPUT cannot be read, the brokers
        cannot be reached or a send fails, 2 for a usage error.

        Examples:
          replay kafka --bootstrap-servers 127.0.0.1:9092 --topic trips --create-topic --partitions 4 \\
              --speedup 0 --watermarks 1 events.jsonl.gz
          replay kafka --bootstrap-servers 127.0.0.1:9092 --topic trips --speedup 60 --max-wait 5 \\
              --watermarks 10 events.jsonl.gz
        """;
  }

  @Override
  public void run(List<String> args, PrintStream out, PrintStream err) throws UsageException, IOException {
    KafkaArguments arguments = KafkaArguments.parse(args);
    EventFileReader.Events read =
        EventFileReader.readForReplay(
            arguments.inputs(), arguments.zone(), arguments.limit(), "replay kafka", "topic '" + arguments.topic() + "' on " + arguments.bootstrapServers(), err);
    List<ReplayEvent> events = read.events();
    EventReplayer.Summary summary;
    try (KafkaEventSink sink = KafkaEventSink.open(arguments, err)) {
      EventReplayer replayer =
          new EventReplayer(
              sink,
              new ReplayPacer(arguments.speedup(), arguments.maxWaitNanos()),
              ticker,
              arguments.watermarkEveryNanos(),
              arguments.statsEveryNanos(),
              err);
      summary = replayer.replay(events);
    }
    print(summary, read, arguments, out);
  }

  private static void print(
      EventReplayer.Summary summary, EventFileReader.Events read, KafkaArguments arguments, PrintStream out) {
    out.printf(
        Locale.ROOT,
        "replay kafka: sent %,d events to topic '%s' on %s in %.1f s (%,.0f events/s)%n",
        summary.events(),
        arguments.topic(),
        arguments.bootstrapServers(),
        summary.elapsedNanos() / 1e9,
        summary.eventsPerSecond());
    out.printf(
        "  event time: %s to %s%n", instant(summary.firstEventTime()), instant(summary.lastEventTime()));
    out.printf(
        Locale.ROOT,
        "  read: %,d lines without a readable trip_id (sent without key), %,d without a readable "
            + "pickup_datetime (took the time of the line before)%n",
        read.withoutTripId(),
        read.withoutTime());
    if (arguments.watermarkEveryNanos() > 0) {
      out.printf(
          Locale.ROOT,
          "  watermarks: %,d rounds to each of %d partitions%n",
          summary.watermarkRounds(),
          summary.partitions());
    }
    out.printf(
        Locale.ROOT,
        "  pacing: %s%n",
        arguments.speedup() == 0
            ? "--speedup 0, as fast as possible"
            : String.format(
                Locale.ROOT,
                "--speedup %s, largest lag behind the schedule %.1f s",
                stripZeros(arguments.speedup()),
                summary.maxLagNanos() / 1e9));
  }

  private static String instant(long millis) {
    return millis == ReplayEvent.NO_TIME ? "-" : Instant.ofEpochMilli(millis).toString();
  }

  private static String stripZeros(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }
}
