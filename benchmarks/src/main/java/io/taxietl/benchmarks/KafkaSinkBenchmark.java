package io.taxietl.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The Kafka trip sink, exactly once ({@code --kafkaExactlyOnce=true}) against at least once (the
 * default), in turn, on the same input: our pipeline reads the loaded topic from the earliest
 * offset and writes every valid trip to a new output topic (and the dead letters to files), and a
 * {@code read_committed} consumer counts what has become visible in the output topic.
 *
 * <p>Measured per run: seconds from starting the job's JVM until every trip is visible; the sink
 * rate, trips between the first and the last visible one per second of that span (what the sink
 * sustains, start-up excluded); CPU seconds and peak RSS of the job's JVM; the 1-minute load
 * average at the start.
 *
 * <p>Arguments: {@code --bootstrap-servers HOST:PORT [--events 200000] [--runs 3] [--heap 2g]
 * [--checkpoint-millis 10000] [--work DIR] [--results FILE] [--ours-args "--a=b ..."] [--eos-args
 * "--kafkaExactlyOnceShards=4 ..."]}.
 */
public final class KafkaSinkBenchmark {
  private static final int PARTITIONS = 4;
  private static final Duration POLL = Duration.ofMillis(500);

  private KafkaSinkBenchmark() {}

  /** One run of one mode. */
  record SinkRun(
      String mode,
      int run,
      long trips,
      double seconds,
      double sinkRate,
      double cpuSeconds,
      long peakRssBytes,
      String load) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = Arguments.parse(args);
    PrintStream out = System.out;
    String bootstrap = a.get("bootstrap-servers");
    long events = Long.parseLong(a.getOrDefault("events", "200000"));
    int runs = Integer.parseInt(a.getOrDefault("runs", "3"));
    String heap = a.getOrDefault("heap", "2g");
    long checkpointMillis = Long.parseLong(a.getOrDefault("checkpoint-millis", "10000"));
    Path work = Path.of(a.getOrDefault("work", "target/kafka-sink-benchmark")).toAbsolutePath();
    List<String> oursArgs = split(a.getOrDefault("ours-args", ""));
    List<String> eosArgs = split(a.getOrDefault("eos-args", ""));
    Files.createDirectories(work);

    BenchmarkEvents generator = BenchmarkEvents.fromBundledSample();
    BenchmarkEvents.Expected expected = generator.expected(events);
    String input = "bench-sink-in-" + System.currentTimeMillis();
    KafkaLoader.createTopic(bootstrap, input, PARTITIONS);
    KafkaLoader.load(bootstrap, input, generator, events);
    out.printf(
        Locale.ROOT,
        "loaded %,d events (%,d valid trips) into %s%n",
        events,
        expected.rows(),
        input);

    List<SinkRun> results = new ArrayList<>();
    for (int run = 1; run <= runs; run++) {
      for (String mode : List.of("at least once", "exactly once")) {
        boolean eos = mode.equals("exactly once");
        String output =
            "bench-sink-out-" + (eos ? "eos" : "alo") + "-" + run + "-" + System.nanoTime();
        KafkaLoader.createTopic(bootstrap, output, PARTITIONS);
        Path dir = work.resolve("run-" + run + (eos ? "-eos" : "-alo"));
        KafkaToParquetBenchmark.deleteRecursively(dir);
        List<String> job = new ArrayList<>();
        job.addAll(
            List.of(
                "--source=KAFKA",
                "--inputKafkaBootstrapServers=" + bootstrap,
                "--inputKafkaTopic=" + input,
                "--kafkaConsumerGroup=" + output,
                "--kafkaStartingPosition=EARLIEST",
                "--outputPath=",
                "--deadLetterPath=" + dir.resolve("dead-letters"),
                "--outputKafkaBootstrapServers=" + bootstrap,
                "--outputKafkaTopic=" + output,
                "--parallelism=2",
                "--checkpointingInterval=" + checkpointMillis,
                "--stateBackend=filesystem",
                "--stateBackendStoragePath=" + dir.resolve("checkpoints").toUri()));
        job.addAll(oursArgs);
        if (eos) {
          job.add("--kafkaExactlyOnce=true");
          job.add("--kafkaExactlyOnceSinkGroup=" + output);
          job.addAll(eosArgs);
        }
        String load = String.format(Locale.ROOT, "%.2f", loadAverage());
        out.printf("run %d, %s (log %s)%n", run, mode, dir.resolve("job.log"));
        SinkRun result =
            runOnce(mode, run, bootstrap, output, expected.rows(), heap, job, dir, load);
        results.add(result);
        out.println(row(result));
      }
    }
    String report =
        report(results, events, expected.rows(), heap, checkpointMillis, oursArgs, eosArgs);
    out.println();
    out.println(report);
    if (a.containsKey("results")) {
      Files.writeString(Path.of(a.get("results")), report, StandardCharsets.UTF_8);
    }
  }

  private static SinkRun runOnce(
      String mode,
      int run,
      String bootstrap,
      String topic,
      long trips,
      String heap,
      List<String> args,
      Path dir,
      String load)
      throws IOException {
    try (ChildJob child =
            ChildJob.start(
                JobKind.OURS.mainClass(),
                System.getProperty("java.class.path"),
                args,
                heap,
                List.of(),
                dir.resolve("job.log"));
        KafkaConsumer<byte[], byte[]> consumer = committedReader(bootstrap)) {
      long deadline = child.startMillis() + Duration.ofMinutes(30).toMillis();
      List<TopicPartition> partitions = null;
      long seen = 0;
      long first = 0;
      long last = 0;
      ChildJob.Usage usage = child.usage(new ChildJob.Usage(0, 0, 0, 0));
      while (seen < trips) {
        if (partitions == null) {
          List<PartitionInfo> info = consumer.partitionsFor(topic);
          partitions =
              info.stream()
                  .map(p -> new TopicPartition(p.topic(), p.partition()))
                  .collect(Collectors.toList());
          consumer.assign(partitions);
          consumer.seekToBeginning(partitions);
        }
        int polled = consumer.poll(POLL).count();
        long now = System.currentTimeMillis();
        if (polled > 0) {
          first = first == 0 ? now : first;
          last = now;
          seen += polled;
        }
        usage = child.usage(usage);
        if (!child.isAlive()) {
          throw new IllegalStateException(
              mode + " run " + run + ": the job ended early:\n" + child.logTail(30));
        }
        if (now > deadline) {
          throw new IllegalStateException(
              mode + " run " + run + ": " + seen + " of " + trips + " trips in 30 minutes");
        }
      }
      double seconds = (last - child.startMillis()) / 1000.0;
      double sinkRate = last > first ? seen / ((last - first) / 1000.0) : Double.NaN;
      return new SinkRun(
          mode, run, seen, seconds, sinkRate, usage.cpuSeconds(), usage.peakRssBytes(), load);
    }
  }

  private static KafkaConsumer<byte[], byte[]> committedReader(String bootstrap) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static String row(SinkRun r) {
    return String.format(
        Locale.ROOT,
        "| %s | %d | %,d | %.1f | %,.0f | %,.0f | %.0f | %,d | %s |",
        r.mode(),
        r.run(),
        r.trips(),
        r.seconds(),
        r.trips() / r.seconds(),
        r.sinkRate(),
        r.cpuSeconds(),
        r.peakRssBytes() / (1024 * 1024),
        r.load());
  }

  private static String report(
      List<SinkRun> results,
      long events,
      long trips,
      String heap,
      long checkpointMillis,
      List<String> oursArgs,
      List<String> eosArgs) {
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "Kafka -> Kafka: %,d events (%,d valid trips to the output topic), %d partitions in and out,"
                + " parallelism 2, checkpoints every %d ms, heap %s%s%s%n%n",
            events,
            trips,
            PARTITIONS,
            checkpointMillis,
            heap,
            oursArgs.isEmpty() ? "" : "; " + String.join(" ", oursArgs),
            eosArgs.isEmpty() ? "" : "; exactly once with " + String.join(" ", eosArgs)));
    s.append(
        "| sink | run | trips visible | seconds | trips/s end to end | sink trips/s (first to last)"
            + " | CPU s | peak RSS MB | load (1 min) |\n|---|---|---|---|---|---|---|---|---|\n");
    results.forEach(r -> s.append(row(r)).append('\n'));
    double alo = median(results, "at least once", SinkRun::sinkRate);
    double eos = median(results, "exactly once", SinkRun::sinkRate);
    s.append(
        String.format(
            Locale.ROOT,
            "%nmedian sink rate: at least once %,.0f trips/s, exactly once %,.0f trips/s: %.2f x"
                + " (targets: exactly once >= 10,000 trips/s and >= 0.5 x)%n",
            alo,
            eos,
            eos / alo));
    return s.toString();
  }

  private static double median(
      List<SinkRun> results, String mode, java.util.function.ToDoubleFunction<SinkRun> value) {
    double[] v =
        results.stream().filter(r -> r.mode().equals(mode)).mapToDouble(value).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static List<String> split(String args) {
    return args.isBlank() ? List.of() : Arrays.asList(args.trim().split("\\s+"));
  }

  private static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException e) {
      return Double.NaN;
    }
  }
}
