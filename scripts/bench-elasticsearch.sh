#!/usr/bin/env bash
# The Elasticsearch path against its own limit: a plain bulk loader (the same documents, bulk size, client and
# node, no Beam: io.taxietl.benchmarks.ElasticsearchBulkLoader) and the pipeline indexing the same input into
# the same local Elasticsearch (or OpenSearch), in turn, RUNS times each, with the indices deleted before each
# run. Starts the server on 127.0.0.1 and stops it again.
#
#   scripts/bench-elasticsearch.sh [--copies N] [--runs R] [--flavor elasticsearch|opensearch] [--heap SIZE]
#                                  [--bulk-actions N] [--parallelism P] [--with-parquet]
#                                  [--pipeline-jvm-args "-XX:... ..."]   (e.g. a JFR recording of the pipeline)
#                                  [--split-cores]
#
# Input: N copies (default 5, 98,725 events) of the bundled sample, each copy with its own trip ids. Both index the
# same documents (checked on the five lowest trip ids after each): each valid trip with its zone names. The loader
# sends from P threads (the pipeline's parallelism, default 2). The pipeline writes only to Elasticsearch (and its
# dead letters to files) unless --with-parquet. Rates: the loader's from its first request to its last answer;
# the pipeline's from its first event read to its last document acknowledged (two lines
# io.taxietl.benchmarks.ProbedPipelineMain prints), its start-up (JVM, Flink) before and its shutdown after
# reported apart.
# --split-cores pins the server to the first core and the client (loader or pipeline) to the second (taskset), as
# if each had a machine of its own: on a shared machine the pipeline's own work per event takes the server's CPU.
# One loader pass before the first run warms the server up (not counted).
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
split_cores=false
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
    --split-cores) split_cores=true; shift ;;
    *) sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
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
client_cpus=()
if [[ "$split_cores" == true ]]; then
  (( $(nproc) >= 2 )) || die "--split-cores needs two cores, this machine has $(nproc)"
  command -v taskset >/dev/null || die "--split-cores needs taskset (Debian package util-linux)"
  for pid in $(tree_pids "$server_pid"); do taskset -a -cp 0 "$pid" >/dev/null; done
  client_cpus=(taskset -c 1)
fi

clear_indices() {
  curl -fsS -XDELETE "$url/bench-*" >/dev/null 2>&1 || true
}
indexed_documents() {
  curl -fsS -XPOST "$url/bench-*/_refresh" >/dev/null
  curl -fsS "$url/bench-*/_count" | sed 's/.*"count":\([0-9]*\).*/\1/'
}
# The five documents with the lowest trip ids (index, id and body, keys sorted): the loader and the pipeline must
# index the very same documents.
sample_documents() {
  curl -fsS "$url/bench-*/_search?size=5&sort=trip_id:asc" | jq -cS '[.hits.hits[] | {_index, _id, _source}]'
}
# The time in epoch ms at which the pipeline read its first event, from the line ProbedPipelineMain prints.
first_event_millis() {
  sed -n 's/^benchmark: first event read at epoch ms \([0-9]*\).*/\1/p' "$1" | head -1
}
# The time in epoch ms at which Elasticsearch acknowledged the pipeline's last document.
last_indexed_millis() {
  sed -n 's/^benchmark: last document indexed at epoch ms \([0-9]*\).*/\1/p' "$1" | tail -1
}

parquet_args=(--outputPath=)
if [[ "$with_parquet" == true ]]; then parquet_args=(--outputPath="$work/out/trips"); fi

# run_loader OUTPUT: one pass of the plain bulk loader over the input, its line in OUTPUT.
run_loader() {
  "${client_cpus[@]}" "$JAVA" -Xmx1g -cp "$cp" io.taxietl.benchmarks.ElasticsearchBulkLoader --url "$url" \
    --input "$work/events.jsonl" --index-template 'bench-{type}' --bulk-actions "$bulk_actions" \
    --threads "$parallelism" > "$1" 2>&1 || die "the bulk loader failed: $(tail -5 "$1")"
}
# A fresh server indexes at a fraction of its rate until its own JIT has warmed up: one loader pass, not counted,
# so that every measured run meets a warm server.
log "warming the server up with one pass of the loader (not counted)"
run_loader "$work/loader-warm-up.txt"
echo "machine: $(nproc) cores, $(uname -sr); server: $flavor on 127.0.0.1:$port; $events events; bulks of" \
  "$bulk_actions; parallelism $parallelism; pipeline heap $heap$([[ "$with_parquet" == true ]] && echo ', with Parquet')$([[ "$split_cores" == true ]] && echo '; server on core 0, client on core 1')"
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
  run_loader "$work/loader-$run.txt"
  s1="$(tree_cpu_seconds "$server_pid")"
  loader_cpu="$(sed -n 's/.*client CPU \([0-9.]*\) s.*/\1/p' "$work/loader-$run.txt")"
  loader_rate="$(sed -n 's/.*: \([0-9,]*\) documents\/s.*/\1/p' "$work/loader-$run.txt" | tr -d ,)"
  loader_docs="$(indexed_documents)"
  loader_sample="$(sample_documents)"

  clear_indices
  s2="$(tree_cpu_seconds "$server_pid")"
  "${client_cpus[@]}" "$JAVA" "-Xms$heap" "-Xmx$heap" -XX:+UseParallelGC "${opens[@]}" "${pipeline_jvm_args[@]}" \
    -cp "$cp" \
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
  last="$(last_indexed_millis "$work/pipeline-$run.txt")"
  [[ -n "$last" ]] || die "the pipeline printed no last-indexed line: $(tail -20 "$work/pipeline-$run.txt")"
  pipeline_docs="$(indexed_documents)"
  [[ "$loader_docs" == "$pipeline_docs" ]] || die "the loader indexed $loader_docs documents, the pipeline $pipeline_docs"
  [[ "$(sample_documents)" == "$loader_sample" ]] \
    || die "the loader and the pipeline indexed different documents: $loader_sample against $(sample_documents)"
  # First event read to the last document acknowledged; the start-up before the first event and the job's
  # shutdown after the last answer apart.
  pipeline_rate="$(awk -v n="$pipeline_docs" -v a="$first" -v b="$last" 'BEGIN { printf "%d", n * 1000 / (b - a) }')"
  pipeline_rate_note="$(awk -v a="$started" -v f="$first" -v l="$last" -v b="$ended" \
    'BEGIN { printf " (%.1f s; start-up %.1f s before, shutdown %.1f s after)", (l - f) / 1000, (f - a) / 1000, (b - l) / 1000 }')"

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
