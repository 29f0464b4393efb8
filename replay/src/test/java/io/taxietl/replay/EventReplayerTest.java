package io.taxietl.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Pacing, watermarks and statistics of a replay, on a virtual clock: nothing here really waits. */
class EventReplayerTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long T0 = Instant.parse("2019-03-01T00:00:00Z").toEpochMilli();

  private final VirtualTicker clock = new VirtualTicker();
  private final long start = clock.nanoTime();
  private final ByteArrayOutputStream progressBytes = new ByteArrayOutputStream();
  private final PrintStream progress = new PrintStream(progressBytes, true, StandardCharsets.UTF_8);

  /** One record as the sink received it, with the virtual time it was sent at. */
  record Sent(long atNanos, Integer partition, String key, String value) {}

  /**
   * A topic in memory; each send can take some virtual time, like a producer whose buffer is full.
   */
  final class MemorySink implements EventSink {
    final List<Sent> records = new ArrayList<>();
    final int partitions;
    long sendNanos;
    int failingSend = -1;
    boolean flushed;

    MemorySink(int partitions) {
      this.partitions = partitions;
    }

    @Override
    public int partitionCount() {
      return partitions;
    }

    @Override
    public void send(byte[] key, byte[] value) throws KafkaReplayException {
      if (records.size() == failingSend) {
        throw new KafkaReplayException("sending failed: broker gone");
      }
      records.add(
          new Sent(clock.nanoTime() - start, null, key == null ? null : utf8(key), utf8(value)));
      clock.advance(sendNanos);
    }

    @Override
    public void sendToPartition(int partition, byte[] value) {
      records.add(new Sent(clock.nanoTime() - start, partition, null, utf8(value)));
    }

    @Override
    public void flush() {
      flushed = true;
    }

    @Override
    public void close() {}

    List<Sent> events() {
      return records.stream().filter(r -> r.partition() == null).toList();
    }

    List<Sent> watermarks() {
      return records.stream().filter(r -> r.partition() != null).toList();
    }
  }

  private static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** An event at T0 + seconds with trip id = its index. */
  private static List<ReplayEvent> eventsAtSeconds(long... seconds) {
    List<ReplayEvent> events = new ArrayList<>();
    for (int i = 0; i < seconds.length; i++) {
      events.add(
          new ReplayEvent(
              T0 + seconds[i] * 1000,
              Integer.toString(i).getBytes(StandardCharsets.UTF_8),
              ("{\"trip_id\":" + i + "}").getBytes(StandardCharsets.UTF_8)));
    }
    return events;
  }

  private EventReplayer replayer(
      MemorySink sink, double speedup, long watermarkEvery, long statsEvery) {
    return new EventReplayer(
        sink,
        new ReplayPacer(speedup, ReplayPacer.NO_MAX_WAIT),
        clock,
        watermarkEvery,
        statsEvery,
        progress);
  }

  private static String watermark(long eventSeconds) {
    return "{\"watermark\":\""
        + Instant.ofEpochMilli(T0 + eventSeconds * 1000)
        + "\",\"type\":\"watermark\"}";
  }

  @Test
  void speedupDividesTheGapsBetweenPickupTimes() throws IOException {
    MemorySink sink = new MemorySink(1);

    EventReplayer.Summary summary =
        replayer(sink, 10, 0, 3600 * SECOND).replay(eventsAtSeconds(0, 10, 30, 30, 90));

    assertThat(sink.events())
        .extracting(Sent::atNanos)
        .containsExactly(0L, SECOND, 3 * SECOND, 3 * SECOND, 9 * SECOND);
    assertThat(sink.events()).extracting(Sent::key).containsExactly("0", "1", "2", "3", "4");
    assertThat(clock.totalSleptNanos()).isEqualTo(9 * SECOND);
    assertThat(summary.elapsedNanos()).isEqualTo(9 * SECOND);
    assertThat(summary.maxLagNanos()).isZero();
    assertThat(summary.events()).isEqualTo(5);
    assertThat(summary.firstEventTime()).isEqualTo(T0);
    assertThat(summary.lastEventTime()).isEqualTo(T0 + 90_000);
    assertThat(sink.flushed).isTrue();
  }

  @Test
  void speedupZeroNeverWaits() throws IOException {
    MemorySink sink = new MemorySink(1);

    EventReplayer.Summary summary =
        replayer(sink, 0, 0, 3600 * SECOND).replay(eventsAtSeconds(0, 600, 86_400));

    assertThat(clock.sleeps()).isEmpty();
    assertThat(sink.events()).extracting(Sent::atNanos).containsOnly(0L);
    assertThat(summary.elapsedNanos()).isZero();
    assertThat(summary.events()).isEqualTo(3);
  }

  @Test
  void sendLagBehindTheScheduleIsReported() throws IOException {
    MemorySink sink = new MemorySink(1);
    sink.sendNanos = 2 * SECOND;

    EventReplayer.Summary summary =
        replayer(sink, 1, 0, 5 * SECOND).replay(eventsAtSeconds(0, 1, 2, 3, 4, 5));

    // Each send takes 2 s but events are due every second: event i goes out at 2i s, i s late.
    assertThat(sink.events())
        .extracting(Sent::atNanos)
        .containsExactly(0L, 2 * SECOND, 4 * SECOND, 6 * SECOND, 8 * SECOND, 10 * SECOND);
    assertThat(clock.sleeps()).isEmpty();
    assertThat(summary.maxLagNanos()).isEqualTo(5 * SECOND);
    assertThat(progressBytes.toString(StandardCharsets.UTF_8))
        .contains(
            "replay kafka: 3 events sent, 1 events/s, event time 2019-03-01T00:00:02Z, lag 2.0 s")
        .contains(
            "replay kafka: 5 events sent, 1 events/s, event time 2019-03-01T00:00:04Z, lag 4.0 s");
  }

  @Test
  void statisticsLinesComeEverySoOftenWithCountRateEventTimeAndLag() throws IOException {
    MemorySink sink = new MemorySink(1);
    long[] everySecond = IntStream.range(0, 21).mapToLong(i -> i).toArray();

    replayer(sink, 1, 0, 5 * SECOND).replay(eventsAtSeconds(everySecond));

    assertThat(progressBytes.toString(StandardCharsets.UTF_8).lines().toList())
        .containsExactly(
            "replay kafka: 5 events sent, 1 events/s, event time 2019-03-01T00:00:04Z, lag 0.0 s",
            "replay kafka: 10 events sent, 1 events/s, event time 2019-03-01T00:00:09Z, lag 0.0 s",
            "replay kafka: 15 events sent, 1 events/s, event time 2019-03-01T00:00:14Z, lag 0.0 s",
            "replay kafka: 20 events sent, 1 events/s, event time 2019-03-01T00:00:19Z, lag 0.0 s");
  }

  @Test
  void watermarksGoToEveryPartitionEverySoOftenWithTheEventTimePositionAndOnceAtTheEnd()
      throws IOException {
    MemorySink sink = new MemorySink(3);
    long[] everySecond = IntStream.range(0, 25).mapToLong(i -> i).toArray();

    EventReplayer.Summary summary =
        replayer(sink, 1, 10 * SECOND, 3600 * SECOND).replay(eventsAtSeconds(everySecond));

    // Rounds at 10 s and 20 s of wall time, before the events due then; the last at the end.
    assertThat(sink.watermarks())
        .containsExactly(
            new Sent(10 * SECOND, 0, null, watermark(9)),
            new Sent(10 * SECOND, 1, null, watermark(9)),
            new Sent(10 * SECOND, 2, null, watermark(9)),
            new Sent(20 * SECOND, 0, null, watermark(19)),
            new Sent(20 * SECOND, 1, null, watermark(19)),
            new Sent(20 * SECOND, 2, null, watermark(19)),
            new Sent(24 * SECOND, 0, null, watermark(24)),
            new Sent(24 * SECOND, 1, null, watermark(24)),
            new Sent(24 * SECOND, 2, null, watermark(24)));
    assertThat(summary.watermarkRounds()).isEqualTo(3);
    assertThat(summary.partitions()).isEqualTo(3);
    assertThat(sink.events()).hasSize(25);
  }

  @Test
  void longGapStillGetsWatermarksOnTime() throws IOException {
    MemorySink sink = new MemorySink(1);

    replayer(sink, 1, 10 * SECOND, 3600 * SECOND).replay(eventsAtSeconds(0, 35));

    assertThat(sink.watermarks())
        .extracting(Sent::atNanos, Sent::value)
        .containsExactly(
            tuple(10 * SECOND, watermark(0)),
            tuple(20 * SECOND, watermark(0)),
            tuple(30 * SECOND, watermark(0)),
            tuple(35 * SECOND, watermark(35)));
    assertThat(clock.sleeps()).containsExactly(10 * SECOND, 10 * SECOND, 10 * SECOND, 5 * SECOND);
  }

  @Test
  void noWatermarkBeforeAnEventWithATimeWasSent() throws IOException {
    MemorySink sink = new MemorySink(2);
    List<ReplayEvent> untimed =
        List.of(
            new ReplayEvent(
                ReplayEvent.NO_TIME, null, "not json".getBytes(StandardCharsets.UTF_8)));

    EventReplayer.Summary summary = replayer(sink, 0, SECOND, 3600 * SECOND).replay(untimed);

    assertThat(sink.watermarks()).isEmpty();
    assertThat(summary.watermarkRounds()).isZero();
    assertThat(sink.events())
        .extracting(Sent::key, Sent::value)
        .containsExactly(tuple(null, "not json"));
    assertThat(summary.firstEventTime()).isEqualTo(ReplayEvent.NO_TIME);
  }

  @Test
  void watermarkEventHasTheContractShape() {
    assertThat(
            utf8(
                EventReplayer.watermarkEvent(
                    Instant.parse("2019-03-01T00:13:12.500Z").toEpochMilli())))
        .isEqualTo("{\"watermark\":\"2019-03-01T00:13:12.500Z\",\"type\":\"watermark\"}");
  }

  @Test
  void failedSendStopsTheReplay() {
    MemorySink failing = new MemorySink(1);
    failing.failingSend = 2;

    assertThatThrownBy(() -> replayer(failing, 0, 0, SECOND).replay(eventsAtSeconds(0, 1, 2, 3)))
        .isInstanceOf(KafkaReplayException.class)
        .hasMessageContaining("broker gone");
    assertThat(failing.events()).hasSize(2);
    assertThat(failing.flushed).isFalse();
  }
}
