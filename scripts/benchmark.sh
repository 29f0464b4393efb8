#!/usr/bin/env bash
# Kafka -> Parquet benchmark: our Beam pipeline against a hand-written Flink 1.19 DataStream job doing the same
# work, on embedded Flink (parallelism 2), each in its own JVM, alternating A B A B.
# Starts a local Kafka broker (scripts/kafka.sh) on a free port, loads N events into a 4-partition topic, runs
# the jobs, prints a markdown table (events/s, MB/s, latency p50/p99, CPU s, peak RSS, ours/baseline) and
# writes it to --results. Stops the broker and deletes its data when done.
#
#   scripts/benchmark.sh [--events N] [--runs R] [--heap SIZE] [--jobs ours,baseline] [--window-seconds S]
#                        [--checkpoint-millis MS] [--ours-checkpoint-millis MS] [--results FILE] [--jfr-dir DIR]
#                        [--ours-args "--option=value ..."] [--jvm-args "-XX:..."] [--reference CHECKOUT]
#   --reference CHECKOUT also runs our pipeline as built from another checkout of this project (e.g. a git
#   worktree of an older commit: the "before" of a change), in turn with the others (jobs ours,reference,baseline
#   unless --jobs says otherwise).
#   scripts/benchmark.sh kafka-sink [--events N] [--runs R] [--heap SIZE] [--checkpoint-millis MS]
#                        [--results FILE] [--ours-args "..."] [--eos-args "--kafkaExactlyOnceShards=4 ..."]
#                                                the Kafka trip sink: exactly once against at least once, in turn
#   scripts/benchmark.sh steady [--rate N] [--seconds S] [--warmup-seconds W] [--runs R] [--jobs ours,baseline]
#                        [--heap SIZE] [--window-seconds S] [--checkpoint-millis MS] [--ours-checkpoint-millis MS]
#                        [--results FILE] [--ours-args "..."]
#                                                latency on a steady stream (default 20,000 events/s, measured
#                                                for 90 s after the first event read and a 20 s warm-up):
#                                                each row from its append time to its file committed, p50/p99/max
#   scripts/benchmark.sh jmh [JMH ARGS...]       the JMH microbenchmarks (parsing, Parquet encoding, paths)
#
# Defaults: 2,000,000 events, 3 runs of each job, 2g heap per job JVM. The same 10 s commit cadence: the baseline
# rolls and commits its files at every checkpoint (--checkpoint-millis 10000); ours writes 10 s windows
# (--window-seconds 10) and publishes each at the first checkpoint after it closes, with checkpoints every 5 s
# (--ours-checkpoint-millis 5000, the local run's default).
# Environment: TAXIETL_BENCH_DIR (work folder, default a new folder below /tmp, deleted afterwards).

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# snapshot_classpath CLASSPATH DIR: copies the class folders of CLASSPATH below DIR and prints the classpath with
# the copies, so that rebuilding the tree while the benchmark runs cannot change the code it measures.
snapshot_classpath() {
  local parts out=() i=0 p
  IFS=: read -ra parts <<< "$1"
  for p in "${parts[@]}"; do
    if [[ -d "$p" ]]; then
      mkdir -p "$2/$i" && cp -r "$p/." "$2/$i/" && out+=("$2/$i"); i=$((i + 1))
    else
      out+=("$p")
    fi
  done
  (IFS=:; echo "${out[*]}")
}

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

if [[ "${1:-}" == jmh ]]; then
  shift
  cp="$(benchmark_classpath "$REPO_DIR")"
  exec "$JAVA" -Xmx1g -cp "$cp" org.openjdk.jmh.Main "$@"
fi

main=io.taxietl.benchmarks.KafkaToParquetBenchmark
if [[ "${1:-}" == kafka-sink ]]; then
  main=io.taxietl.benchmarks.KafkaSinkBenchmark
  shift
elif [[ "${1:-}" == steady ]]; then
  main=io.taxietl.benchmarks.SteadyLatencyBenchmark
  shift
fi
args=()
reference=""
while (( $# > 0 )); do
  case "$1" in
    -h|--help) sed -n '2,/^$/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --reference) [[ $# -ge 2 ]] || die "$1 needs a value"; reference="$(realpath "$2")"; shift 2 ;;
    --events|--runs|--heap|--jobs|--window-seconds|--results|--jfr-dir|--ours-args|--jvm-args|--run-timeout-seconds|--checkpoint-millis|--eos-args|--ours-checkpoint-millis|--rate|--seconds|--warmup-seconds)
      [[ $# -ge 2 ]] || die "$1 needs a value"
      value="$2"
      if [[ "$1" == --results || "$1" == --jfr-dir ]]; then value="$(realpath -m "$2")"; fi
      args+=("$1" "$value"); shift 2 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done

work="${TAXIETL_BENCH_DIR:-$(mktemp -d /tmp/taxietl-benchmark-XXXXXX)}"
mkdir -p "$work"
cp="$(snapshot_classpath "$(benchmark_classpath "$REPO_DIR")" "$work/classes")"
if [[ -n "$reference" ]]; then
  [[ -f "$reference/pom.xml" ]] || die "--reference must be a checkout of this project (no pom.xml in $reference)"
  reference_cp="$(snapshot_classpath "$(benchmark_classpath "$reference")" "$work/reference-classes")"
  label="$(git -C "$reference" log -1 --format='%h %s' | cut -c1-72)"
  args+=(--reference-classpath "$reference_cp" --reference-label "$label")
  if [[ " ${args[*]} " != *" --jobs "* ]]; then args+=(--jobs "ours,reference,baseline"); fi
fi
cleanup() {
  bash "$SCRIPTS_DIR/kafka.sh" stop --dir "$work/kafka" >&2 || true
  if [[ -z "${TAXIETL_BENCH_DIR:-}" ]]; then rm -rf "$work"; fi
}
trap cleanup EXIT

port="$(free_port)"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms512m -Xmx1g}" bash "$SCRIPTS_DIR/kafka.sh" start --dir "$work/kafka" --port "$port" >&2
echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB RAM, $(uname -sr), $("$JAVA" -version 2>&1 | head -n 1)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$JAVA" -Xmx1g -cp "$cp" "$main" \
  --bootstrap-servers "127.0.0.1:$port" --work "$work/runs" "${args[@]}"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
