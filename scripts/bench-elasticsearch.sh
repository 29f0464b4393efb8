#!/usr/bin/env bash
# The Elasticsearch path against its own limit: a plain bulk loader (the same documents, bulk size, client and
# node, no Beam: io.taxietl.benchmarks.ElasticsearchBulkLoader) and the pipeline indexing the same input into
# the same local Elasticsearch (or OpenSearch), in turn, RUNS times each, with the indices deleted before each
# run. Starts the server on 127.0.0.1 and stops it again.
#
#   scripts/bench-elasticsearch.sh [--copies N] [--runs R] [--flavor elasticsearch|opensearch] [--heap SIZE]
#                                  [--bulk-actions N] [--parallelism P] [--with-parquet]
#                                  [--pipeline-jvm-args "-XX:... ..."]   (e.g. a JFR recording of the pipeline)
#
# Input: N copies (default 5, 98,725 events) of the bundled sample, each copy with its own trip ids. The loader
# sends from P threads (the pipeline's parallelism, default 2). The pipeline writes only to Elasticsearch (and its
# dead letters to files) unless --with-parquet. Rates: the loader's from its first request to its last answer;
# the pipeline's from its first event read (the line io.taxietl.benchmarks.ProbedPipelineMain prints) to the end
# of the job, its start-up (JVM, Flink) reported apart.
# Each row also has the CPU seconds of the server and of the client (loader or pipeline) in that run, the
# 1-minute load average, and the ratio; the summary has the medians.

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

copies=5
runs=3
flavor=elasticsearch
heap=2g
bulk_actions=1000
parallelism=2
with_parquet=false
pipeline_jvm_args=()
while (( $# > 0 )); do
  case "$1" in
    --copies) copies="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --flavor) flavor="$2"; shift 2 ;;
    --heap) heap="$2"; shift 2 ;;
    --bulk-actions) bulk_actions="$2"; shift 2 ;;
    --parallelism) parallelism="$2"; shift 2 ;;
    --with-parquet) with_parquet=true; shift ;;
    --pipeline-jvm-args) read -ra pipeline_jvm_args <<< "$2"; shift 2 ;;
    *) sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
done
(( copies >= 1 && copies <= 50 )) || die "--copies must be between 1 and 50"

cp="$(benchmark_classpath "$REPO_DIR")"
read -ra opens <<< "$(benchmark_jvm_opens "$REPO_DIR")"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

work="$(mktemp -d /tmp/taxietl-bench-es-XXXXXX)"
chmod 755 "$work"
cleanup() {
  bash "$SCRIPTS_DIR/elasticsearch.sh" stop --dir "$work/server" || true
  rm -rf "$work"
}
trap cleanup EXIT

sample_copies "$copies" "$work/events.jsonl"
events=$(grep -c . "$work/events.jsonl")
log "input: $events events ($copies copies of the bundled sample)"

port="$(free_port)"
url="$(bash "$SCRIPTS_DIR/elasticsearch.sh" start --dir "$work/server" --port "$port" --flavor "$flavor")"
server_pid="$(cat "$work/server/server.pid")"

clear_indices() {
  curl -fsS -XDELETE "$url/bench-*" >/dev/null 2>&1 || true
}
indexed_documents() {
  curl -fsS -XPOST "$url/bench-*/_refresh" >/dev/null
  curl -fsS "$url/bench-*/_count" | sed 's/.*"count":\([0-9]*\).*/\1/'
}
# The time in epoch ms at which the pipeline read its first event, from the line ProbedPipelineMain prints.
first_event_millis() {
  sed -n 's/^benchmark: first event read at epoch ms \([0-9]*\).*/\1/p' "$1" | head -1
}

parquet_args=(--outputPath=)
if [[ "$with_parquet" == true ]]; then parquet_args=(--outputPath="$work/out/trips"); fi

echo "machine: $(nproc) cores, $(uname -sr); server: $flavor on 127.0.0.1:$port; $events events; bulks of" \
  "$bulk_actions; parallelism $parallelism; pipeline heap $heap$([[ "$with_parquet" == true ]] && echo ', with Parquet')"
echo
echo "| run | loader documents/s | pipeline documents/s | pipeline / loader | server CPU s (loader, pipeline)" \
  "| client CPU s (loader, pipeline) | documents | load (1 min) |"
echo "|---|---|---|---|---|---|---|---|"
loader_rates=()
pipeline_rates=()
for ((run = 1; run <= runs; run++)); do
  load="$(cut -d' ' -f1 /proc/loadavg)"
  clear_indices
  s0="$(tree_cpu_seconds "$server_pid")"
  "$JAVA" -Xmx1g -cp "$cp" io.taxietl.benchmarks.ElasticsearchBulkLoader --url "$url" --input "$work/events.jsonl" \
    --index-template 'bench-{type}' --bulk-actions "$bulk_actions" --threads "$parallelism" \
    > "$work/loader-$run.txt" 2>&1 &
  client=$!
  wait "$client" || die "the bulk loader failed: $(tail -5 "$work/loader-$run.txt")"
  s1="$(tree_cpu_seconds "$server_pid")"
  loader_cpu="$(sed -n 's/.*client CPU \([0-9.]*\) s.*/\1/p' "$work/loader-$run.txt")"
  loader_rate="$(sed -n 's/.*: \([0-9,]*\) documents\/s.*/\1/p' "$work/loader-$run.txt" | tr -d ,)"
  loader_docs="$(indexed_documents)"

  clear_indices
  s2="$(tree_cpu_seconds "$server_pid")"
  "$JAVA" "-Xms$heap" "-Xmx$heap" -XX:+UseParallelGC "${opens[@]}" "${pipeline_jvm_args[@]}" -cp "$cp" \
    io.taxietl.benchmarks.ProbedPipelineMain \
    --inputPath="$work/events.jsonl" "${parquet_args[@]}" --deadLetterPath="$work/out/dead-letters-$run" \
    --outputElasticsearchEndpoint="$url" --elasticsearchIndex='bench-{type}' \
    --elasticsearchBulkFlushMaxActions="$bulk_actions" --parallelism="$parallelism" \
    > "$work/pipeline-$run.txt" 2>&1 &
  client=$!
  pipeline_cpu=0
  started="$(date +%s%3N)"
  while kill -0 "$client" 2>/dev/null; do
    pipeline_cpu="$(tree_cpu_seconds "$client")"
    sleep 1 # sampling the client's CPU while it runs, not synchronisation
  done
  wait "$client" || die "the pipeline failed: $(tail -20 "$work/pipeline-$run.txt")"
  ended="$(date +%s%3N)"
  s3="$(tree_cpu_seconds "$server_pid")"
  first="$(first_event_millis "$work/pipeline-$run.txt")"
  [[ -n "$first" ]] || die "the pipeline printed no first-event line: $(tail -20 "$work/pipeline-$run.txt")"
  pipeline_docs="$(indexed_documents)"
  [[ "$loader_docs" == "$pipeline_docs" ]] || die "the loader indexed $loader_docs documents, the pipeline $pipeline_docs"
  # First event read to the end of the job (its last bulk answered, then Flink's shutdown: a little slower than
  # the last answer); the start-up before the first event apart.
  pipeline_rate="$(awk -v n="$pipeline_docs" -v a="$first" -v b="$ended" 'BEGIN { printf "%d", n * 1000 / (b - a) }')"
  pipeline_rate_note="$(awk -v a="$started" -v f="$first" -v b="$ended" \
    'BEGIN { printf " (%.1f s; start-up %.1f s before it)", (b - f) / 1000, (f - a) / 1000 }')"

  loader_rates+=("$loader_rate")
  pipeline_rates+=("$pipeline_rate")
  ratio="$(awk -v p="$pipeline_rate" -v l="$loader_rate" 'BEGIN { printf "%.2f", (l > 0 ? p / l : 0) }')"
  echo "| $run | $loader_rate | $pipeline_rate${pipeline_rate_note:-} | $ratio | $((s1 - s0)), $((s3 - s2)) | $loader_cpu, $pipeline_cpu" \
    "| $pipeline_docs | $load |"
done

loader_median="$(median "${loader_rates[@]}")"
pipeline_median="$(median "${pipeline_rates[@]}")"
echo
echo "medians: plain bulk loader $loader_median documents/s, pipeline $pipeline_median documents/s:" \
  "$(awk -v p="$pipeline_median" -v l="$loader_median" 'BEGIN { printf "%.2f", p / l }') x (target >= 0.7 x)"
