#!/usr/bin/env bash
# The Elasticsearch path against its own limit: a plain bulk loader (the same documents, bulk size, client and
# node, no Beam: io.taxietl.benchmarks.ElasticsearchBulkLoader) and the pipeline indexing the same input into
# the same local Elasticsearch (or OpenSearch), in turn, RUNS times each, with the indices deleted before each
# run. Starts the server on 127.0.0.1 and stops it again.
#
#   scripts/bench-elasticsearch.sh [--copies N] [--runs R] [--flavor elasticsearch|opensearch] [--heap SIZE]
#                                  [--bulk-actions N] [--parallelism P] [--with-parquet]
#
# Input: N copies (default 5, 98,725 events) of the bundled sample, each copy with its own trip ids. The loader
# sends from P threads (the pipeline's parallelism, default 2). The pipeline writes only to Elasticsearch (and its
# dead letters to files) unless --with-parquet. Rates: the loader's from its first request to its last answer;
# the pipeline's from its 5-second progress lines (first line with documents to the first with the final count).
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
while (( $# > 0 )); do
  case "$1" in
    --copies) copies="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --flavor) flavor="$2"; shift 2 ;;
    --heap) heap="$2"; shift 2 ;;
    --bulk-actions) bulk_actions="$2"; shift 2 ;;
    --parallelism) parallelism="$2"; shift 2 ;;
    --with-parquet) with_parquet=true; shift ;;
    *) sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
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
# The pipeline's indexing rate from its progress lines: first line with documents to the first with the final count.
pipeline_rate() {
  awk '/documents indexed/ {
         gsub(/[,s:]/, "", $2); gsub(/,/, "", $3); t = $2 + 0; n = $3 + 0
         if (n > 0 && first == "") { first = t; firstN = n }
         if (n > lastN) { last = t; lastN = n }
       }
       END { if (last > first) printf "%d", (lastN - firstN) / (last - first); else print 0 }' "$1"
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
  "$JAVA" "-Xms$heap" "-Xmx$heap" -XX:+UseParallelGC "${opens[@]}" -cp "$cp" io.taxietl.pipeline.StreamingEtlMain \
    --inputPath="$work/events.jsonl" "${parquet_args[@]}" --deadLetterPath="$work/out/dead-letters-$run" \
    --outputElasticsearchEndpoint="$url" --elasticsearchIndex='bench-{type}' \
    --elasticsearchBulkFlushMaxActions="$bulk_actions" --parallelism="$parallelism" \
    > "$work/pipeline-$run.txt" 2>&1 &
  client=$!
  pipeline_cpu=0
  started="$(date +%s.%N)"
  pipeline_rate_note=""
  while kill -0 "$client" 2>/dev/null; do
    pipeline_cpu="$(tree_cpu_seconds "$client")"
    sleep 1 # sampling the client's CPU while it runs, not synchronisation
  done
  wait "$client" || die "the pipeline failed: $(tail -20 "$work/pipeline-$run.txt")"
  pipeline_seconds="$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')"
  s3="$(tree_cpu_seconds "$server_pid")"
  pipeline_rate="$(pipeline_rate "$work/pipeline-$run.txt")"
  if (( pipeline_rate == 0 )); then
    # Fewer than two progress lines with documents: the rate over the whole run, JVM start-up included (a floor).
    pipeline_rate="$(awk -v n="$events" -v s="$pipeline_seconds" 'BEGIN { printf "%d", n / s }')"
    pipeline_rate_note=" (whole run, start-up included: $pipeline_seconds s)"
  fi
  pipeline_docs="$(indexed_documents)"
  [[ "$loader_docs" == "$pipeline_docs" ]] || die "the loader indexed $loader_docs documents, the pipeline $pipeline_docs"

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
