#!/usr/bin/env bash
# The Kinesis path against its own limit: a plain AWS SDK GetRecords reader (io.taxietl.benchmarks.
# KinesisGetRecordsReader: one thread per shard, nothing else) and the pipeline, each reading the same
# kinesalite stream (4 shards) from its oldest record, in turn, RUNS times each. Starts kinesalite on 127.0.0.1,
# loads the events once with the replay tool, and stops the server again.
#
#   scripts/bench-kinesis.sh [--copies N] [--runs R] [--shards S] [--heap SIZE] [--pipeline-args "--a=b ..."]
#
# Input: N copies (default 5, 98,725 events) of the bundled sample, each copy with its own trip ids. The pipeline
# writes Parquet (and dead letters) to a temporary folder, as the Kinesis -> S3 job does; it is stopped once it
# has read every event. Rates: the reader's from its first GetRecords to its last; the pipeline's from its
# first event read to the first of its counts of events read (printed every 0.5 s) that has all of them. Each row also has the
# CPU seconds kinesalite and the client (reader or pipeline) used in that run, which says which side is the
# bottleneck, and the 1-minute load average.

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

copies=5
runs=3
shards=4
heap=2g
pipeline_args=()
while (( $# > 0 )); do
  case "$1" in
    --copies) copies="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --shards) shards="$2"; shift 2 ;;
    --heap) heap="$2"; shift 2 ;;
    --pipeline-args) read -ra pipeline_args <<< "$2"; shift 2 ;;
    *) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
done
(( copies >= 1 && copies <= 50 )) || die "--copies must be between 1 and 50"

cp="$(benchmark_classpath "$REPO_DIR")"
read -ra opens <<< "$(benchmark_jvm_opens "$REPO_DIR")"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
aws=(-Daws.accessKeyId=local -Daws.secretAccessKey=local -Daws.region=us-east-1 -Daws.cborEnabled=false)

work="$(mktemp -d /tmp/taxietl-bench-kinesis-XXXXXX)"
cleanup() {
  if [[ -n "${client:-}" ]] && kill -0 "$client" 2>/dev/null; then kill "$client" 2>/dev/null || true; fi
  bash "$SCRIPTS_DIR/kinesis.sh" stop --dir "$work/server" || true
  rm -rf "$work"
}
trap cleanup EXIT

sample_copies "$copies" "$work/events.jsonl"
events=$(grep -c . "$work/events.jsonl")

port="$(free_port)"
bash "$SCRIPTS_DIR/kinesis.sh" start --dir "$work/server" --port "$port" >&2
server_pid="$(cat "$work/server/kinesis.pid")"
endpoint="http://127.0.0.1:$port"
stream=bench-trips
log "loading $events events ($copies copies of the bundled sample) into $stream ($shards shards)"
"$JAVA" "${aws[@]}" -cp "$cp" io.taxietl.replay.Replay kinesis --stream "$stream" --endpoint "$endpoint" \
  --region us-east-1 --create-stream --shards "$shards" --speedup 0 "$work/events.jsonl" >&2

# The pipeline's read rate: from its first event read to the first of its counts (every 0.5 s) with all of them.
pipeline_rate() {
  awk -v all="$events" '/^benchmark: first event read at epoch ms / { first = $NF + 0 }
       /^benchmark: [0-9]+ events read / { if ($5 + 0 >= all && last == "") last = $2 + 0 }
       END { if (first > 0 && last > first) printf "%d", all / ((last - first) / 1000); else print 0 }' "$1"
}
# read_all CONSOLE: whether the pipeline's counts of events read show every event.
read_all() {
  awk -v all="$events" '/^benchmark: [0-9]+ events read / { if ($5 + 0 >= all) found = 1 } END { exit !found }' "$1"
}

echo "machine: $(nproc) cores, $(uname -sr); kinesalite on 127.0.0.1:$port; $events events in $shards shards;" \
  "pipeline heap $heap, parallelism 2${pipeline_args[*]:+, pipeline options ${pipeline_args[*]}}"
echo
echo "| run | reader records/s | pipeline records/s | pipeline / reader | kinesalite CPU s (reader, pipeline)" \
  "| client CPU s (reader, pipeline) | load (1 min) |"
echo "|---|---|---|---|---|---|---|"
reader_rates=()
pipeline_rates=()
for ((run = 1; run <= runs; run++)); do
  load="$(cut -d' ' -f1 /proc/loadavg)"
  s0="$(tree_cpu_seconds "$server_pid")"
  "$JAVA" "${aws[@]}" -Xmx1g -cp "$cp" io.taxietl.benchmarks.KinesisGetRecordsReader --endpoint "$endpoint" \
    --stream "$stream" --expect "$events" > "$work/reader-$run.txt" 2>&1 || die "the reader failed: $(tail -5 "$work/reader-$run.txt")"
  s1="$(tree_cpu_seconds "$server_pid")"
  reader_rate="$(sed -n 's/.*: \([0-9,]*\) records\/s.*/\1/p' "$work/reader-$run.txt" | tr -d ,)"
  reader_cpu="$(sed -n 's/.*client CPU \([0-9.]*\) s.*/\1/p' "$work/reader-$run.txt")"

  s2="$(tree_cpu_seconds "$server_pid")"
  "$JAVA" "${aws[@]}" "-Xms$heap" "-Xmx$heap" -XX:+UseParallelGC "${opens[@]}" -Dtaxietl.bench.trace=true -cp "$cp" \
    io.taxietl.benchmarks.ProbedPipelineMain --source=KINESIS --inputKinesisStream="$stream" \
    --inputStreamRegion=us-east-1 --kinesisEndpoint="$endpoint" --inputStreamInitialPosition=TRIM_HORIZON \
    --outputPath="$work/out-$run/trips" --deadLetterPath="$work/out-$run/dead-letters" "${pipeline_args[@]}" \
    > "$work/pipeline-$run.txt" 2>&1 &
  client=$!
  pipeline_cpu=0
  deadline=$((SECONDS + 900))
  until read_all "$work/pipeline-$run.txt"; do
    kill -0 "$client" 2>/dev/null || die "the pipeline ended early: $(tail -20 "$work/pipeline-$run.txt")"
    (( SECONDS < deadline )) || die "the pipeline did not read all $events events in 900 s"
    pipeline_cpu="$(tree_cpu_seconds "$client")"
    sleep 1 # sampling the client's CPU while it runs, not synchronisation
  done
  s3="$(tree_cpu_seconds "$server_pid")"
  kill "$client"; wait "$client" 2>/dev/null || true
  pipeline_rate="$(pipeline_rate "$work/pipeline-$run.txt")"

  reader_rates+=("$reader_rate")
  pipeline_rates+=("$pipeline_rate")
  ratio="$(awk -v p="$pipeline_rate" -v r="$reader_rate" 'BEGIN { printf "%.2f", (r > 0 ? p / r : 0) }')"
  echo "| $run | $reader_rate | $pipeline_rate | $ratio | $((s1 - s0)), $((s3 - s2)) | $reader_cpu, $pipeline_cpu | $load |"
done

reader_median="$(median "${reader_rates[@]}")"
pipeline_median="$(median "${pipeline_rates[@]}")"
echo
echo "medians: plain GetRecords reader $reader_median records/s, pipeline $pipeline_median records/s:" \
  "$(awk -v p="$pipeline_median" -v r="$reader_median" 'BEGIN { printf "%.2f", p / r }') x (target >= 0.7 x)"
