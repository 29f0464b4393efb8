package io.taxietl.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Kafka -> Parquet on a steady stream: each run gets a fresh 4-partition topic, starts the job on
 * it, and produces the events at a fixed rate meanwhile ({@link SteadyStream}) until the warm-up
 * and then the measured seconds have passed after the job's first event read, however long the job
 * took to start. Each row's latency runs from its event's append time at the broker to the moment
 * its file is first seen committed (the output is polled every second, so up to a second of it is
 * the poll). Rows appended before the job's first event read plus the warm-up (JIT, the first
 * windows) are left out of the percentiles; the run ends when every event is a committed row or
 * dead letter.
 *
 * <p>Arguments: {@code --bootstrap-servers HOST:PORT [--rate 20000] [--seconds 90]
 * [--warmup-seconds 20] [--runs 1] [--jobs ours,baseline] [--heap 2g] [--window-seconds 10]
 * [--checkpoint-millis 10000] [--ours-checkpoint-millis 5000] [--parallelism 2] [--work DIR]
 * [--results FILE] [--ours-args "--a=b ..."]}.
 */
public final class SteadyLatencyBenchmark {
  private static final int PARTITIONS = 4;
  private static final long POLL_MILLIS = 1_000;
  private static final long TIMEOUT_AFTER_STREAM_MILLIS = 300_000;

  /** How long a job may take to read its first event; the stream stops after this anyway. */
  private static final int START_ALLOWANCE_SECONDS = 120;

  private final PrintStream out;

  SteadyLatencyBenchmark(PrintStream out) {
    this.out = out;
  }

  /** One run: the job, its latencies (seconds, rows after the warm-up) and its resources. */
  record Result(
      JobKind job,
      int run,
      boolean correct,
      String problem,
      long events,
      long rows,
      long measuredRows,
      double p50,
      double p99,
      double max,
      double cpuSeconds,
      long peakRssBytes,
      String load) {}

  public static void main(String[] args) throws Exception {
    List<Result> results = new SteadyLatencyBenchmark(System.out).run(Arguments.parse(args));
    System.exit(results.stream().allMatch(Result::correct) ? 0 : 1);
  }

  List<Result> run(Map<String, String> a) throws IOException, InterruptedException {
    String bootstrap = a.get("bootstrap-servers");
    if (bootstrap == null || bootstrap.isBlank()) {
      throw new IllegalArgumentException("--bootstrap-servers is required");
    }
    double rate = Double.parseDouble(a.getOrDefault("rate", "20000"));
    int seconds = Integer.parseInt(a.getOrDefault("seconds", "90"));
    int warmup = Integer.parseInt(a.getOrDefault("warmup-seconds", "20"));
    int runs = Integer.parseInt(a.getOrDefault("runs", "1"));
    String heap = a.getOrDefault("heap", "2g");
    String oursArgs = a.getOrDefault("ours-args", "").trim();
    List<JobKind> jobs =
        Arrays.stream(a.getOrDefault("jobs", "ours,baseline").split(","))
            .map(j -> JobKind.valueOf(j.trim().toUpperCase(Locale.ROOT)))
            .toList();
    JobKind.Settings settings =
        new JobKind.Settings(
            bootstrap,
            Integer.parseInt(a.getOrDefault("parallelism", "2")),
            Long.parseLong(a.getOrDefault("checkpoint-millis", "10000")),
            Long.parseLong(
                a.getOrDefault(
                    "ours-checkpoint-millis", KafkaToParquetBenchmark.OURS_CHECKPOINT_MILLIS)),
            Integer.parseInt(a.getOrDefault("window-seconds", "10")),
            oursArgs.isEmpty() ? List.of() : List.of(oursArgs.split("\\s+")),
            null);
    Path work = Path.of(a.getOrDefault("work", "target/steady-benchmark"));
    if (rate <= 0) {
      throw new IllegalArgumentException("--rate must be positive, was " + rate);
    }
    long capacity = Math.round(rate * (START_ALLOWANCE_SECONDS + warmup + seconds));
    if (capacity > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "--rate "
              + rate
              + " and --seconds "
              + seconds
              + " make more events than one run can hold");
    }
    BenchmarkEvents events = BenchmarkEvents.fromBundledSample();
    out.printf(
        Locale.ROOT,
        "steady stream: %,d events/s (one in %d bad) until %d s after the job's first event read"
            + " per run; latencies of the rows appended from %d s after that read%n",
        (long) rate,
        BenchmarkEvents.BAD_EVERY,
        warmup + seconds,
        warmup);

    List<Result> results = new ArrayList<>();
    for (int run = 1; run <= runs; run++) {
      for (JobKind job : jobs) {
        Result result =
            runOnce(
                job,
                run,
                settings,
                events,
                (int) capacity,
                rate,
                warmup,
                seconds,
                heap,
                work.resolve("run-" + run + "-" + job.name().toLowerCase(Locale.ROOT)));
        results.add(result);
        out.println(row(result));
      }
    }
    String report = report(results, settings, rate, seconds, warmup, heap);
    out.println();
    out.println(report);
    if (a.containsKey("results")) {
      Files.writeString(Path.of(a.get("results")), report, StandardCharsets.UTF_8);
    }
    return results;
  }

  private Result runOnce(
      JobKind job,
      int run,
      JobKind.Settings settings,
      BenchmarkEvents events,
      int capacity,
      double rate,
      int warmupSeconds,
      int seconds,
      String heap,
      Path dir)
      throws IOException, InterruptedException {
    KafkaToParquetBenchmark.deleteRecursively(dir);
    Path trips = dir.resolve("out/trips");
    Path deadLetters = dir.resolve("out/dead-letters");
    Files.createDirectories(trips);
    Files.createDirectories(deadLetters);
    String topic =
        "steady-"
            + job.name().toLowerCase(Locale.ROOT)
            + "-"
            + run
            + "-"
            + System.currentTimeMillis();
    KafkaLoader.createTopic(settings.bootstrapServers(), topic, PARTITIONS);
    String load = String.format(Locale.ROOT, "%.2f", KafkaToParquetBenchmark.loadAverage());
    out.printf("run %d: %s (log %s)%n", run, job.label(), dir.resolve("job.log"));

    // When each row's file was first seen committed, by its event's index (trip ids count up from
    // FIRST_TRIP_ID); latencies are taken at the end, when every append time is acknowledged.
    long[] committedMillis = new long[capacity];
    BenchmarkEvents.Expected expected = null;
    OptionalLong firstRead = OptionalLong.empty();
    String problem = null;
    ChildJob.Usage usage;
    try (ChildJob child =
            ChildJob.start(
                job.mainClass(),
                job.classpath(settings),
                job.arguments(
                    settings,
                    topic,
                    "steady-" + topic,
                    trips,
                    deadLetters,
                    dir.resolve("checkpoints")),
                heap,
                List.of(),
                dir.resolve("job.log"));
        SteadyStream stream =
            SteadyStream.start(settings.bootstrapServers(), topic, events, capacity, rate)) {
      CommittedOutput output =
          new CommittedOutput(
              trips,
              deadLetters,
              (file, seenMillis) ->
                  CommittedOutput.tripIds(
                      file,
                      id -> {
                        committedMillis[(int) (id - BenchmarkEvents.FIRST_TRIP_ID)] = seenMillis;
                      }));
      long streamMillis = (long) (capacity / rate * 1000);
      long deadline = child.startMillis() + streamMillis + TIMEOUT_AFTER_STREAM_MILLIS;
      usage = child.usage(new ChildJob.Usage(0, 0, 0, 0));
      while (true) {
        stream.check();
        output.poll();
        usage = child.usage(usage);
        if (firstRead.isEmpty()) {
          firstRead = FirstEventProbe.find(dir.resolve("job.log"));
          firstRead.ifPresent(read -> stream.stopAt(read + (warmupSeconds + seconds) * 1000L));
        }
        if (expected == null && stream.done()) {
          expected = events.expected(stream.sent());
        }
        if (expected != null
            && output.rows() + output.deadLetters() >= expected.rows() + expected.deadLetters()) {
          break;
        }
        if (!child.isAlive()) {
          problem = "the job ended early";
          out.println("the job ended early; last lines of its log:\n" + child.logTail(30));
          break;
        }
        if (System.currentTimeMillis() > deadline) {
          problem = "timed out";
          out.println("timed out; last lines of the job's log:\n" + child.logTail(30));
          break;
        }
        Thread.sleep(POLL_MILLIS); // the polling period of the output watcher, not synchronisation
      }
      if (expected == null) {
        expected = events.expected(stream.sent());
      }
      if (problem == null
          && (output.rows() != expected.rows() || output.deadLetters() != expected.deadLetters())) {
        problem =
            String.format(
                Locale.ROOT,
                "expected %,d rows and %,d dead letters, found %,d and %,d",
                expected.rows(),
                expected.deadLetters(),
                output.rows(),
                output.deadLetters());
      }
      if (firstRead.isEmpty()) {
        firstRead = FirstEventProbe.find(dir.resolve("job.log"));
      }
      if (problem == null && firstRead.isEmpty()) {
        problem = "the job's log has no first-event line";
      }
      long measuredFrom = firstRead.orElse(Long.MAX_VALUE) + warmupSeconds * 1000L;
      List<Long> measured = new ArrayList<>();
      for (int i = 0; i < committedMillis.length; i++) {
        if (committedMillis[i] > 0 && stream.appendMillis(i) >= measuredFrom) {
          measured.add(committedMillis[i] - stream.appendMillis(i));
        }
      }
      measured.sort(null);
      return new Result(
          job,
          run,
          problem == null,
          problem,
          expected.events(),
          output.rows(),
          measured.size(),
          quantile(measured, 0.50),
          quantile(measured, 0.99),
          measured.isEmpty() ? Double.NaN : measured.get(measured.size() - 1) / 1000.0,
          usage.cpuSeconds(),
          usage.peakRssBytes(),
          load);
    }
  }

  static double quantile(List<Long> sortedMillis, double q) {
    if (sortedMillis.isEmpty()) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(q * sortedMillis.size());
    return sortedMillis.get(Math.max(0, rank - 1)) / 1000.0;
  }

  private static String header() {
    return "| job | run | correct | events | Parquet rows | rows measured | latency p50 s | latency p99 s"
        + " | latency max s | CPU s | peak RSS MB | load (1 min) |\n"
        + "|---|---|---|---|---|---|---|---|---|---|---|---|";
  }

  private static String row(Result r) {
    return String.format(
        Locale.ROOT,
        "| %s | %d | %s | %,d | %,d | %,d | %.1f | %.1f | %.1f | %.0f | %,d | %s |",
        r.job().label(),
        r.run(),
        r.correct() ? "yes" : "NO: " + r.problem(),
        r.events(),
        r.rows(),
        r.measuredRows(),
        r.p50(),
        r.p99(),
        r.max(),
        r.cpuSeconds(),
        r.peakRssBytes() / (1024 * 1024),
        r.load());
  }

  private static String report(
      List<Result> results,
      JobKind.Settings settings,
      double rate,
      int seconds,
      int warmup,
      String heap) {
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "Kafka -> Parquet on a steady stream of %,d events/s until %d s after the job's first event"
                + " read, %d partitions, parallelism %d;"
                + " the baseline commits at checkpoints every %d ms; ours commits %d s windows with"
                + " checkpoints every %d ms%s; heap %s per job JVM; latencies of rows appended from %d s"
                + " after the first event read%n%n",
            (long) rate,
            warmup + seconds,
            PARTITIONS,
            settings.parallelism(),
            settings.checkpointMillis(),
            settings.windowSeconds(),
            settings.oursCheckpointMillis(),
            settings.oursExtraArgs().isEmpty()
                ? ""
                : " and " + String.join(" ", settings.oursExtraArgs()),
            heap,
            warmup));
    s.append(header()).append('\n');
    results.forEach(r -> s.append(row(r)).append('\n'));
    double bound = settings.windowSeconds() + settings.oursCheckpointMillis() / 1000.0 + 10;
    results.stream()
        .filter(r -> r.job() == JobKind.OURS)
        .mapToDouble(Result::p99)
        .max()
        .ifPresent(
            worst ->
                s.append(
                    String.format(
                        Locale.ROOT,
                        "%nours: p99 latency <= window + checkpoint interval + 10 s (%.0f s): worst run"
                            + " %.1f s, %s%n",
                        bound,
                        worst,
                        worst <= bound ? "met" : "**not met**")));
    return s.toString();
  }
}
