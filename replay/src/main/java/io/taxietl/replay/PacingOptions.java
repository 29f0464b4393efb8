package io.taxietl.replay;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The options that every replay into a stream shares ({@code replay kafka}, {@code replay
 * kinesis}): the INPUT event files, which of their events to send and on what schedule. A picocli
 * mixin; each setter checks its value as it is parsed.
 */
final class PacingOptions {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final BigDecimal MAX_SPEEDUP = BigDecimal.valueOf(1_000_000_000);

  private double speedup = 1;
  private long maxWaitNanos = ReplayPacer.NO_MAX_WAIT;
  private long watermarkEveryNanos;
  private long statsEveryNanos = 5 * NANOS_PER_SECOND;
  private long limit = Long.MAX_VALUE;
  private ZoneId zone = ZoneId.of("UTC");
  private final List<Path> inputs = new ArrayList<>();

  @Parameters(
      paramLabel = "INPUT",
      arity = "0..*",
      description =
          "event files: newline-delimited JSON, plain or gzip (the output of 'replay convert' or any file of "
              + "contract events)")
  void inputs(List<String> values) throws UsageException {
    // picocli passes every INPUT so far; the ones after those already taken are new.
    for (String value : values.subList(inputs.size(), values.size())) {
      inputs.add(OptionValues.input(value));
    }
  }

  @Option(
      names = "--speedup",
      paramLabel = "N",
      description =
          "event time runs N times faster than wall time: the wait between two events is the gap between their "
              + "pickup times divided by N (default 1: real time); 0 sends as fast as possible. The first event "
              + "is sent at once.")
  void speedup(String value) throws UsageException {
    speedup =
        OptionValues.number("--speedup", value, BigDecimal.ZERO, true, MAX_SPEEDUP).doubleValue();
  }

  @Option(
      names = "--max-wait",
      paramLabel = "SECONDS",
      description =
          "never wait longer than this between two events: longer gaps are cut short and the rest of the "
              + "schedule moves up (default: no limit)")
  void maxWait(String value) throws UsageException {
    maxWaitNanos = OptionValues.nanos("--max-wait", value);
  }

  @Option(
      names = "--watermarks",
      paramLabel = "SECONDS",
      description =
          "every SECONDS of wall time, and once at the end, send a watermark event "
              + "{\"watermark\":\"<ISO instant>\",\"type\":\"watermark\"} carrying the latest event time sent so "
              + "far to every partition or open shard (default: none)")
  void watermarks(String value) throws UsageException {
    watermarkEveryNanos = OptionValues.nanos("--watermarks", value);
  }

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "send only the N earliest events (default: all)")
  void limit(String value) throws UsageException {
    limit = OptionValues.whole("--limit", value, 1, Long.MAX_VALUE - 1);
  }

  @Option(
      names = "--event-time-zone",
      paramLabel = "ZONE",
      description =
          "the zone of timestamps without an offset (default UTC; use the pipeline's --eventTimeZone)")
  void eventTimeZone(String value) throws UsageException {
    zone = OptionValues.zone("--event-time-zone", value);
  }

  @Option(
      names = "--stats-every",
      paramLabel = "SECONDS",
      description = "wall time between statistics lines on standard error (default 5)")
  void statsEvery(String value) throws UsageException {
    statsEveryNanos = OptionValues.nanos("--stats-every", value);
  }

  /** Checks what no single option can: that there is an INPUT. */
  void check() throws UsageException {
    if (inputs.isEmpty()) {
      throw new UsageException("no INPUT file given");
    }
  }

  /**
   * Reads the INPUTs and keeps the {@code --limit} earliest events, reporting on {@code err} as
   * "{@code command}: read ... sending N to {@code destination}".
   */
  EventFileReader.Events read(String command, String destination, PrintStream err)
      throws IOException {
    return EventFileReader.readForReplay(inputs, zone, limit, command, destination, err);
  }

  /**
   * A replayer that sends to {@code sink} on this schedule, with statistics lines starting with
   * {@code command}.
   */
  EventReplayer replayer(EventSink sink, Ticker ticker, PrintStream err, String command) {
    return new EventReplayer(
        sink,
        new ReplayPacer(speedup, maxWaitNanos),
        ticker,
        watermarkEveryNanos,
        statsEveryNanos,
        err,
        command);
  }

  /** Event time runs this many times faster than wall time; 0 for as fast as possible. */
  double speedup() {
    return speedup;
  }

  /** Whether watermark events are sent. */
  boolean watermarks() {
    return watermarkEveryNanos > 0;
  }
}
