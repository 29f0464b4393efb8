package io.taxietl.replay;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Sends events to an {@link EventSink} on the schedule of a {@link ReplayPacer}. While it replays
 * it sends, every so often by the wall clock, a watermark event to every partition carrying the
 * event-time position (the latest event time sent so far), and once more at the end; and it prints
 * statistics to a progress stream. Waits wake up for both, so long gaps between events do not hold
 * them back.
 *
 * <p>Watermark events have the shape of the original replay tool's: {@code
 * {"watermark":"2019-03-01T00:13:12Z","type":"watermark"}}.
 */
final class EventReplayer {
  private final EventSink sink;
  private final ReplayPacer pacer;
  private final Ticker ticker;
  private final long watermarkEveryNanos;
  private final long statsEveryNanos;
  private final PrintStream progress;
  private final String label;

  private long sent;
  private long position = ReplayEvent.NO_TIME;
  private long firstTime = ReplayEvent.NO_TIME;
  private long watermarkRounds;
  private long lagNanos;
  private long maxLagNanos;
  private long nextWatermarkNanos = Long.MAX_VALUE;
  private long nextStatsNanos;
  private long statsSent;
  private long statsNanos;

  /**
   * @param watermarkEveryNanos wall time between watermark rounds; 0 for no watermarks
   * @param statsEveryNanos wall time between statistics lines; must be positive
   */
  EventReplayer(
      EventSink sink,
      ReplayPacer pacer,
      Ticker ticker,
      long watermarkEveryNanos,
      long statsEveryNanos,
      PrintStream progress) {
    this(sink, pacer, ticker, watermarkEveryNanos, statsEveryNanos, progress, "replay kafka");
  }

  /** As above, with {@code label} (e.g. {@code replay kinesis}) starting each statistics line. */
  EventReplayer(
      EventSink sink,
      ReplayPacer pacer,
      Ticker ticker,
      long watermarkEveryNanos,
      long statsEveryNanos,
      PrintStream progress,
      String label) {
    if (watermarkEveryNanos < 0 || statsEveryNanos <= 0) {
      throw new IllegalArgumentException(
          "intervals: watermarks "
              + watermarkEveryNanos
              + " ns, statistics "
              + statsEveryNanos
              + " ns");
    }
    this.sink = Objects.requireNonNull(sink, "sink");
    this.pacer = Objects.requireNonNull(pacer, "pacer");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.watermarkEveryNanos = watermarkEveryNanos;
    this.statsEveryNanos = statsEveryNanos;
    this.progress = Objects.requireNonNull(progress, "progress");
    this.label = Objects.requireNonNull(label, "label");
  }

  /**
   * What a replay did. Times in epoch milliseconds, or {@link ReplayEvent#NO_TIME} if no event had
   * one.
   */
  record Summary(
      long events,
      long firstEventTime,
      long lastEventTime,
      long watermarkRounds,
      int partitions,
      long elapsedNanos,
      long maxLagNanos) {

    double eventsPerSecond() {
      return elapsedNanos == 0 ? 0 : events * 1e9 / elapsedNanos;
    }

    /**
     * The event-time range for a summary line: {@code <first instant> to <last instant>}, {@code -}
     * for none.
     */
    String eventTimeRange() {
      return instant(firstEventTime) + " to " + instant(lastEventTime);
    }

    private static String instant(long millis) {
      return millis == ReplayEvent.NO_TIME ? "-" : Instant.ofEpochMilli(millis).toString();
    }
  }

  /** Sends the events in list order and waits until the sink has stored them all. */
  Summary replay(List<ReplayEvent> events) throws IOException {
    long start = ticker.nanoTime();
    statsNanos = start;
    nextStatsNanos = start + statsEveryNanos;
    if (watermarkEveryNanos > 0) {
      nextWatermarkNanos = start + watermarkEveryNanos;
    }
    try {
      for (ReplayEvent event : events) {
        long now = ticker.nanoTime();
        long due = pacer.schedule(event.eventTimeMillis(), now);
        while (now < due) {
          tick(now);
          ticker.sleep(Math.min(due, Math.min(nextStatsNanos, nextWatermarkNanos)) - now);
          now = ticker.nanoTime();
        }
        tick(now);
        lagNanos = now - due;
        maxLagNanos = Math.max(maxLagNanos, lagNanos);
        sink.send(event.key(), event.value());
        sent++;
        if (event.hasTime()) {
          position = Math.max(position, event.eventTimeMillis());
          if (firstTime == ReplayEvent.NO_TIME) {
            firstTime = event.eventTimeMillis();
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted after " + sent + " events");
    }
    if (watermarkEveryNanos > 0) {
      sendWatermarks();
    }
    sink.flush();
    return new Summary(
        sent,
        firstTime,
        position,
        watermarkRounds,
        sink.partitionCount(),
        ticker.nanoTime() - start,
        maxLagNanos);
  }

  /** Sends watermarks and prints statistics if they are due. */
  private void tick(long now) throws IOException {
    if (now >= nextWatermarkNanos) {
      sendWatermarks();
      nextWatermarkNanos = nextAfter(nextWatermarkNanos, watermarkEveryNanos, now);
    }
    if (now >= nextStatsNanos) {
      printStats(now);
      nextStatsNanos = nextAfter(nextStatsNanos, statsEveryNanos, now);
    }
  }

  /**
   * The next time of a periodic task after {@code now}; rounds missed while busy are skipped, not
   * repeated.
   */
  private static long nextAfter(long last, long every, long now) {
    long next = last + every;
    return next > now ? next : now + every;
  }

  private void sendWatermarks() throws IOException {
    if (position == ReplayEvent.NO_TIME) {
      return;
    }
    byte[] watermark = watermarkEvent(position);
    for (int partition = 0; partition < sink.partitionCount(); partition++) {
      sink.sendToPartition(partition, watermark);
    }
    watermarkRounds++;
  }

  /** The watermark event of the original replay tool for an event-time position. */
  static byte[] watermarkEvent(long positionMillis) {
    return ("{\"watermark\":\""
            + Instant.ofEpochMilli(positionMillis)
            + "\",\"type\":\"watermark\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private void printStats(long now) {
    long interval = now - statsNanos;
    double rate = interval == 0 ? 0 : (sent - statsSent) * 1e9 / interval;
    progress.printf(
        Locale.ROOT,
        "%s: %,d events sent, %,.0f events/s, event time %s, %s%n",
        label,
        sent,
        rate,
        position == ReplayEvent.NO_TIME ? "-" : Instant.ofEpochMilli(position),
        pacer.unpaced()
            ? "no schedule (--speedup 0)"
            : String.format(Locale.ROOT, "lag %.1f s", lagNanos / 1e9));
    statsSent = sent;
    statsNanos = now;
  }
}
