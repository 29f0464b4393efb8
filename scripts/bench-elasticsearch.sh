#!/usr/bin/env bash
# Measures how fast the job indexes trips into a local Elasticsearch (or OpenSearch) on this machine:
# runs the shaded jar on embedded Flink over COPIES copies of the bundled sample (each copy with its own
# trip ids), with both sinks, against a server that this script starts on 127.0.0.1 and stops again.
#
#   scripts/bench-elasticsearch.sh [--copies N] [--flavor elasticsearch|opensearch] [--heap SIZE]
#                                  [--bulk-actions N]
#
# Prints the job's summary, the documents in the index, the indexing rate (documents per second while
# documents were being indexed, from the job's 5-second progress lines) and the load average, since the
# machine may be shared.

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

copies=5
flavor=elasticsearch
heap=2g
bulk_actions=1000
while (( $# > 0 )); do
  case "$1" in
    --copies) copies="$2"; shift 2 ;;
    --flavor) flavor="$2"; shift 2 ;;
    --heap) heap="$2"; shift 2 ;;
    --bulk-actions) bulk_actions="$2"; shift 2 ;;
    *) sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
done
(( copies >= 1 && copies <= 10 )) || die "--copies must be between 1 and 10"

jar="$REPO_DIR/pipeline/target/streaming-etl.jar"
if [[ ! -f "$jar" ]]; then
  log "building the shaded jar"
  (cd "$REPO_DIR" && mvn -q -B -ntp -pl pipeline -am package -DskipTests >&2)
fi

work="$(mktemp -d /tmp/taxietl-bench-XXXXXX)"
chmod 755 "$work"
cleanup() {
  bash "$SCRIPTS_DIR/elasticsearch.sh" stop --dir "$work/server" || true
  rm -rf "$work"
}
trap cleanup EXIT

sample="$REPO_DIR/pipeline/src/main/resources/sample/taxi-trips-sample.jsonl.gz"
for ((k = 0; k < copies; k++)); do
  if (( k == 0 )); then zcat "$sample"; else zcat "$sample" | sed "s/\"trip_id\":/\"trip_id\":$k/"; fi
done > "$work/events.jsonl"
events=$(grep -c . "$work/events.jsonl")
log "input: $events events ($copies copies of the bundled sample)"

port="$(free_port)"
url="$(bash "$SCRIPTS_DIR/elasticsearch.sh" start --dir "$work/server" --port "$port" --flavor "$flavor")"

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
java "-Xms$heap" "-Xmx$heap" -XX:+UseParallelGC -jar "$jar" \
  --inputPath="$work/events.jsonl" \
  --outputPath="$work/out/trips" --deadLetterPath="$work/out/dead-letters" \
  --outputElasticsearchEndpoint="$url" --elasticsearchIndex='bench-{type}' \
  --elasticsearchBulkFlushMaxActions="$bulk_actions" | tee "$work/console.txt"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

curl -fsS -XPOST "$url/_refresh" >/dev/null
echo "documents in bench-*: $(curl -fsS "$url/bench-*/_count" | sed 's/.*"count":\([0-9]*\).*/\1/')"
# Indexing rate: from the first progress line with documents to the first that shows the final count.
awk '/documents indexed/ {
       gsub(/[,s:]/, "", $2); gsub(/,/, "", $3); t = $2 + 0; n = $3 + 0
       if (n > 0 && first == "") { first = t; firstN = n }
       if (prevT != "" && t > prevT && (n - prevN) / (t - prevT) > peak) peak = (n - prevN) / (t - prevT)
       prevT = t; prevN = n
       if (n > lastN) { last = t; lastN = n }
     }
     END {
       if (last > first) printf "indexing rate: %d documents/s (%d documents between %d s and %d s of the run), best 5 s: %d documents/s\n", (lastN - firstN) / (last - first), lastN - firstN, first, last, peak
       else print "indexing rate: too few progress lines to tell; use more --copies"
     }' "$work/console.txt"
