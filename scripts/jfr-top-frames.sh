#!/usr/bin/env bash
# Summarises a JFR recording's CPU samples (jdk.ExecutionSample): the methods most often on top of the
# stack ("self"), and the project's and frameworks' methods most often anywhere on it ("total").
#
#   scripts/jfr-top-frames.sh RECORDING.jfr [TOP]     TOP defaults to 25
set -euo pipefail
rec="${1:?usage: scripts/jfr-top-frames.sh RECORDING.jfr [TOP]}"
top="${2:-25}"
JFR="${JAVA_HOME:+$JAVA_HOME/bin/}jfr"
tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
"$JFR" print --events jdk.ExecutionSample --stack-depth 96 "$rec" | awk '
  /stackTrace = \[/ { inStack = 1; depth = 0; split("", seen); samples++; next }
  inStack && /^[[:space:]]*\]/ { inStack = 0; next }
  inStack {
    line = $0; sub(/^[[:space:]]+/, "", line); sub(/[[:space:]]+line:.*/, "", line)
    if (line == "..." || line == "") next
    if (depth == 0) self[line]++
    if (!(line in seen)) { seen[line] = 1; total[line]++ }
    depth++
  }
  END {
    print "N", samples
    for (m in self) print "S", self[m], m
    for (m in total) print "T", total[m], m
  }' > "$tmp"
samples="$(awk '$1 == "N" {print $2}' "$tmp")"
echo "$samples CPU samples"
echo
echo "self (top of stack):"
awk '$1 == "S"' "$tmp" | sort -k2,2nr | awk -v top="$top" 'NR <= top' \
  | awk -v n="$samples" '{ c = $2; $1 = ""; $2 = ""; sub(/^  /, ""); printf "%6.1f%%  %s\n", 100 * c / n, $0 }'
echo
echo "total (anywhere on the stack; project, Beam, Flink, Parquet, Avro, Hadoop, Kafka frames):"
awk '$1 == "T" && $3 ~ /^(io\.taxietl|org\.apache\.(beam|flink|parquet|avro|hadoop|kafka))/' "$tmp" \
  | sort -k2,2nr | awk -v top="$top" 'NR <= top' \
  | awk -v n="$samples" '{ c = $2; $1 = ""; $2 = ""; sub(/^  /, ""); printf "%6.1f%%  %s\n", 100 * c / n, $0 }'
