package io.taxietl.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Kafka -> Parquet, our pipeline against the hand-written Flink job: loads the events once into a
 * 4-partition topic, then runs the jobs in turn (A B A B ...), each in its own JVM reading the
 * topic from the earliest offset until every event is a committed Parquet row or a committed dead
 * letter, and prints a markdown table.
 *
 * <p>Measured per run: seconds from the job's first event read (the line {@link FirstEventProbe}
 * has the job print) to the moment the last committed file was seen, and events/s and MB/s (payload
 * bytes) over that time; the start-up (JVM start to first event read) apart, and events/s over the
 * whole time from starting the JVM too; latency per row from the later of (the row's Kafka append
 * time, the job's start) to the time its file was first seen committed (polled every second); CPU
 * seconds (user + system) and peak RSS ({@code VmHWM}) of the job's JVM. A run is correct when the
 * committed rows and dead letters equal exactly what our parser makes of the input.
 *
 * <p>Arguments: {@code --bootstrap-servers HOST:PORT [--events 2000000] [--runs 3] [--heap 2g]
 * [--jobs ours,baseline] [--window-seconds 10] [--checkpoint-millis 10000]
 * [--ours-checkpoint-millis 5000] [--parallelism 2] [--work DIR] [--results FILE]
 * [--run-timeout-seconds 1800] [--jfr-dir DIR] [--ours-args "--a=b ..."] [--jvm-args "-XX:... ..."]
 * [--reference-classpath CP --reference-label TEXT]}. JVM arguments apply to every job. With a
 * reference classpath, {@code --jobs} may name {@code reference}: our pipeline from that other
 * build (a "before"), run in turn with the others.
 */
public final class KafkaToParquetBenchmark {
  private static final int PARTITIONS = 4;
  private static final long POLL_MILLIS = 1_000;

  /**
   * Our pipeline's checkpoint interval unless {@code --ours-checkpoint-millis} says otherwise: the
   * local run's own default (LocalRunDefaults), as a user runs it.
   */
  static final String OURS_CHECKPOINT_MILLIS = "5000";

  private final PrintStream out;

  KafkaToParquetBenchmark(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    List<RunResult> results = new KafkaToParquetBenchmark(System.out).run(Arguments.parse(args));
    System.exit(results.stream().allMatch(RunResult::correct) ? 0 : 1);
  }

  List<RunResult> run(Map<String, String> a) throws IOException, InterruptedException {
    String bootstrap = required(a, "bootstrap-servers");
    long events = Long.parseLong(a.getOrDefault("events", "2000000"));
    int runs = Integer.parseInt(a.getOrDefault("runs", "3"));
    String heap = a.getOrDefault("heap", "2g");
    List<JobKind> jobs =
        Arrays.stream(a.getOrDefault("jobs", "ours,baseline").split(","))
            .map(j -> JobKind.valueOf(j.trim().toUpperCase(Locale.ROOT)))
            .toList();
    Path work = Path.of(a.getOrDefault("work", "target/benchmark"));
    long timeoutMillis = Long.parseLong(a.getOrDefault("run-timeout-seconds", "1800")) * 1000;
    String oursArgs = a.getOrDefault("ours-args", "").trim();
    String jvmArgs = a.getOrDefault("jvm-args", "").trim();
    List<String> jvmFlags = jvmArgs.isEmpty() ? List.of() : List.of(jvmArgs.split("\\s+"));
    JobKind.Settings settings =
        new JobKind.Settings(
            bootstrap,
            Integer.parseInt(a.getOrDefault("parallelism", "2")),
            Long.parseLong(a.getOrDefault("checkpoint-millis", "10000")),
            Long.parseLong(a.getOrDefault("ours-checkpoint-millis", OURS_CHECKPOINT_MILLIS)),
            Integer.parseInt(a.getOrDefault("window-seconds", "10")),
            oursArgs.isEmpty() ? List.of() : List.of(oursArgs.split("\\s+")),
            a.get("reference-classpath"));
    String referenceLabel = a.getOrDefault("reference-label", "another build");
    Path jfrDir = a.containsKey("jfr-dir") ? Path.of(a.get("jfr-dir")).toAbsolutePath() : null;
    Files.createDirectories(work);

    BenchmarkEvents generator = BenchmarkEvents.fromBundledSample();
    BenchmarkEvents.Expected expected = generator.expected(events);
    out.printf(
        Locale.ROOT,
        "input: %,d events (%,.1f MB of JSON) from the %,d-trip sample with fresh trip ids: %,d valid trips,"
            + " %,d bad events%n",
        expected.events(),
        expected.payloadBytes() / 1e6,
        generator.sampleSize(),
        expected.rows(),
        expected.deadLetters());

    String topic = "bench-events-" + System.currentTimeMillis();
    KafkaLoader.createTopic(bootstrap, topic, PARTITIONS);
    long loadStart = System.nanoTime();
    long lastAppend = KafkaLoader.load(bootstrap, topic, generator, events);
    double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
    out.printf(
        Locale.ROOT,
        "loaded into topic %s (%d partitions) in %.1f s (%,.0f events/s)%n",
        topic,
        PARTITIONS,
        loadSeconds,
        events / loadSeconds);

    List<RunResult> results = new ArrayList<>();
    for (int run = 1; run <= runs; run++) {
      for (JobKind job : jobs) {
        RunResult result =
            runOnce(
                job,
                run,
                settings,
                topic,
                expected,
                lastAppend,
                heap,
                jvmFlags,
                work,
                timeoutMillis,
                jfrDir);
        results.add(result);
        out.println(RunResult.tableHeader().lines().findFirst().orElseThrow());
        out.println(result.tableRow());
      }
    }
    String report = report(results, expected, settings, heap, jvmArgs, loadSeconds, referenceLabel);
    out.println();
    out.println(report);
    if (a.containsKey("results")) {
      Files.writeString(Path.of(a.get("results")), report, StandardCharsets.UTF_8);
    }
    return results;
  }

  private RunResult runOnce(
      JobKind job,
      int run,
      JobKind.Settings settings,
      String topic,
      BenchmarkEvents.Expected expected,
      long lastAppend,
      String heap,
      List<String> extraJvmFlags,
      Path work,
      long timeoutMillis,
      Path jfrDir)
      throws IOException, InterruptedException {
    Path dir =
        work.resolve("run-" + run + "-" + job.name().toLowerCase(Locale.ROOT)).toAbsolutePath();
    deleteRecursively(dir);
    Path trips = dir.resolve("out/trips");
    Path deadLetters = dir.resolve("out/dead-letters");
    Files.createDirectories(trips);
    Files.createDirectories(deadLetters);
    String group =
        "bench-"
            + job.name().toLowerCase(Locale.ROOT)
            + "-"
            + run
            + "-"
            + System.currentTimeMillis();
    List<String> jvmFlags = new ArrayList<>(extraJvmFlags);
    if (jfrDir != null) {
      Files.createDirectories(jfrDir);
      jvmFlags.add(
          "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
              + jfrDir.resolve(job.name().toLowerCase(Locale.ROOT) + "-run" + run + ".jfr"));
    }
    String load = String.format(Locale.ROOT, "%.2f", loadAverage());
    out.printf("run %d: %s (log %s)%n", run, job.label(), dir.resolve("job.log"));
    CommittedOutput output = new CommittedOutput(trips, deadLetters);
    long target = expected.rows() + expected.deadLetters();
    ChildJob.Usage usage;
    String problem = null;
    double machineBusyAtStart = ChildJob.machineBusySeconds();
    try (ChildJob child =
        ChildJob.start(
            job.mainClass(),
            job.classpath(settings),
            job.arguments(settings, topic, group, trips, deadLetters, dir.resolve("checkpoints")),
            heap,
            jvmFlags,
            dir.resolve("job.log"))) {
      long deadline = child.startMillis() + timeoutMillis;
      usage = child.usage(new ChildJob.Usage(0, 0, 0, 0));
      while (true) {
        output.poll();
        if (output.rows() + output.deadLetters() >= target) {
          usage = child.usage(usage);
          break;
        }
        if (!child.isAlive()) {
          problem = "the job ended early";
          out.println(
              "the job ended before committing everything; last lines of its log:\n"
                  + child.logTail(30));
          break;
        }
        if (System.currentTimeMillis() > deadline) {
          problem = "timed out";
          usage = child.usage(usage);
          out.println("timed out; last lines of the job's log:\n" + child.logTail(30));
          break;
        }
        usage = child.usage(usage);
        Thread.sleep(POLL_MILLIS); // the polling period of the output watcher, not synchronisation
      }
      double otherCpu = ChildJob.machineBusySeconds() - machineBusyAtStart - usage.cpuSeconds();
      long launch = child.startMillis();
      if (problem == null
          && (output.rows() != expected.rows() || output.deadLetters() != expected.deadLetters())) {
        problem =
            String.format(
                Locale.ROOT,
                "expected %,d rows and %,d dead letters",
                expected.rows(),
                expected.deadLetters());
      }
      OptionalLong firstRead = FirstEventProbe.find(dir.resolve("job.log"));
      if (problem == null && firstRead.isEmpty()) {
        problem = "the job's log has no first-event line";
      }
      double startup =
          firstRead.isPresent() ? (firstRead.getAsLong() - launch) / 1000.0 : Double.NaN;
      double total = problem == null ? (output.lastSeenMillis() - launch) / 1000.0 : Double.NaN;
      double seconds =
          problem == null ? (output.lastSeenMillis() - firstRead.getAsLong()) / 1000.0 : Double.NaN;
      long latencyStart = Math.max(lastAppend, launch);
      return new RunResult(
          job,
          run,
          problem == null,
          problem,
          output.rows(),
          output.deadLetters(),
          output.tripFiles(),
          output.tripBytes(),
          startup,
          seconds,
          total,
          expected.events() / seconds,
          expected.payloadBytes() / 1e6 / seconds,
          percentile(output.tripFileList(), latencyStart, 0.50),
          percentile(output.tripFileList(), latencyStart, 0.99),
          usage.cpuSeconds(),
          usage.jitSeconds(),
          usage.gcSeconds(),
          usage.peakRssBytes(),
          load,
          Math.max(0, otherCpu));
    }
  }

  /** The row-weighted percentile of (file first seen - start), in seconds. */
  static double percentile(
      List<CommittedOutput.SeenFile> files, long startMillis, double quantile) {
    List<CommittedOutput.SeenFile> sorted =
        files.stream()
            .sorted(Comparator.comparingLong(CommittedOutput.SeenFile::firstSeenMillis))
            .toList();
    long total = sorted.stream().mapToLong(CommittedOutput.SeenFile::rows).sum();
    if (total == 0) {
      return Double.NaN;
    }
    long rank = (long) Math.ceil(quantile * total);
    long cumulative = 0;
    for (CommittedOutput.SeenFile file : sorted) {
      cumulative += file.rows();
      if (cumulative >= rank) {
        return Math.max(0, file.firstSeenMillis() - startMillis) / 1000.0;
      }
    }
    throw new IllegalStateException("unreachable");
  }

  private String report(
      List<RunResult> results,
      BenchmarkEvents.Expected expected,
      JobKind.Settings settings,
      String heap,
      String jvmArgs,
      double loadSeconds,
      String referenceLabel) {
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "Kafka -> Parquet: %,d events (%,.1f MB), %d partitions, parallelism %d; the baseline rolls and"
                + " commits its files at checkpoints every %d ms; ours commits %d s windows, with checkpoints"
                + " every %d ms%s; heap %s%s per job JVM; %d cores; load took %.1f s%s%n%n",
            expected.events(),
            expected.payloadBytes() / 1e6,
            PARTITIONS,
            settings.parallelism(),
            settings.checkpointMillis(),
            settings.windowSeconds(),
            settings.oursCheckpointMillis(),
            settings.oursExtraArgs().isEmpty()
                ? ""
                : " and " + String.join(" ", settings.oursExtraArgs()),
            heap,
            jvmArgs.isEmpty() ? "" : " and " + jvmArgs,
            Runtime.getRuntime().availableProcessors(),
            loadSeconds,
            results.stream().anyMatch(r -> r.job() == JobKind.REFERENCE)
                ? "; reference build: " + referenceLabel
                : ""));
    s.append(RunResult.tableHeader()).append('\n');
    results.forEach(r -> s.append(r.tableRow()).append('\n'));
    s.append('\n')
        .append(
            "| job | median events/s | median start-up s | median events/s with start-up | median MB/s"
                + " | median p50 s | median p99 s | median CPU s | median JIT / GC CPU s"
                + " | median events per CPU s | max peak RSS MB | median files | median mean file KB"
                + " | median load | median other CPU s |\n");
    s.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (JobKind job : JobKind.values()) {
      List<RunResult> mine = results.stream().filter(r -> r.job() == job).toList();
      if (mine.isEmpty()) {
        continue;
      }
      s.append(
          String.format(
              Locale.ROOT,
              "| %s | %,.0f | %.1f | %,.0f | %.1f | %.1f | %.1f | %.0f | %.0f / %.0f | %,.0f | %,d"
                  + " | %,.0f | %,.0f | %.2f | %.0f |%n",
              job.label(),
              median(mine, RunResult::eventsPerSecond),
              median(mine, RunResult::startupSeconds),
              median(mine, RunResult::eventsPerSecondWithStartup),
              median(mine, RunResult::megabytesPerSecond),
              median(mine, RunResult::latencyP50Seconds),
              median(mine, RunResult::latencyP99Seconds),
              median(mine, RunResult::cpuSeconds),
              median(mine, RunResult::jitCpuSeconds),
              median(mine, RunResult::gcCpuSeconds),
              median(mine, RunResult::eventsPerCpuSecond),
              mine.stream().mapToLong(RunResult::peakRssBytes).max().orElse(0) / (1024 * 1024),
              median(mine, RunResult::files),
              median(mine, RunResult::meanFileKilobytes),
              median(mine, r -> Double.parseDouble(r.load())),
              median(mine, RunResult::otherCpuSeconds)));
    }
    s.append(ratio(results, JobKind.OURS, JobKind.BASELINE, "ours / baseline"));
    s.append(ratio(results, JobKind.OURS, JobKind.REFERENCE, "ours / reference build"));
    List<RunResult> ours = results.stream().filter(r -> r.job() == JobKind.OURS).toList();
    List<RunResult> baseline = results.stream().filter(r -> r.job() == JobKind.BASELINE).toList();
    if (!ours.isEmpty()) {
      double rate = median(ours, RunResult::eventsPerSecond);
      double p99 = median(ours, RunResult::latencyP99Seconds);
      double maxRssMb =
          ours.stream().mapToLong(RunResult::peakRssBytes).max().orElse(0) / (1024.0 * 1024);
      s.append("\nours against the targets (medians):\n\n| target | measured | |\n|---|---|---|\n");
      s.append(
          target(
              ">= 50,000 events/s end to end (first event read to last file committed)",
              String.format(Locale.ROOT, "%,.0f", rate),
              rate >= 50_000));
      if (!baseline.isEmpty()) {
        double x = rate / median(baseline, RunResult::eventsPerSecond);
        s.append(
            target(
                ">= 1.0 x the hand-written Flink job",
                String.format(Locale.ROOT, "%.2f x", x),
                x >= 1.0));
      }
      s.append(
          target(
              "job heap <= 2 GB",
              "-Xmx" + heap + String.format(Locale.ROOT, " (peak RSS %,.0f MB)", maxRssMb),
              heapBytes(heap) <= 2L * 1024 * 1024 * 1024));
      s.append(
          String.format(
              Locale.ROOT,
              "| p99 latency <= window + checkpoint interval + 10 s (%.0f s) on a steady stream | catch-up"
                  + " p99 %.1f s | not measured here: the whole topic is loaded before the job starts, so"
                  + " this latency is the time to work through the backlog |%n",
              settings.windowSeconds() + settings.oursCheckpointMillis() / 1000.0 + 10,
              p99));
    }
    return s.toString();
  }

  private static String ratio(List<RunResult> results, JobKind a, JobKind b, String label) {
    List<RunResult> as = results.stream().filter(r -> r.job() == a).toList();
    List<RunResult> bs = results.stream().filter(r -> r.job() == b).toList();
    if (as.isEmpty() || bs.isEmpty()) {
      return "";
    }
    return String.format(
        Locale.ROOT,
        "%n%s: throughput %.2f x, CPU seconds %.2f x, events per CPU second %.2f x, latency p50 %.2f x,"
            + " peak RSS %.2f x%n",
        label,
        median(as, RunResult::eventsPerSecond) / median(bs, RunResult::eventsPerSecond),
        median(as, RunResult::cpuSeconds) / median(bs, RunResult::cpuSeconds),
        median(as, RunResult::eventsPerCpuSecond) / median(bs, RunResult::eventsPerCpuSecond),
        median(as, RunResult::latencyP50Seconds) / median(bs, RunResult::latencyP50Seconds),
        (double) as.stream().mapToLong(RunResult::peakRssBytes).max().orElse(0)
            / bs.stream().mapToLong(RunResult::peakRssBytes).max().orElse(1));
  }

  private static String target(String what, String measured, boolean met) {
    return "| " + what + " | " + measured + " | " + (met ? "met" : "**not met**") + " |\n";
  }

  /** {@code -Xmx}-style sizes: 2g, 1536m, 2097152k. */
  static long heapBytes(String size) {
    char unit = Character.toLowerCase(size.charAt(size.length() - 1));
    long factor = unit == 'g' ? 1L << 30 : unit == 'm' ? 1L << 20 : unit == 'k' ? 1L << 10 : 1;
    String digits = Character.isDigit(unit) ? size : size.substring(0, size.length() - 1);
    return Long.parseLong(digits) * factor;
  }

  private static double median(
      List<RunResult> results, java.util.function.ToDoubleFunction<RunResult> value) {
    double[] v = results.stream().mapToDouble(value).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException e) {
      return Double.NaN;
    }
  }

  private static String required(Map<String, String> a, String name) {
    String value = a.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return value;
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
