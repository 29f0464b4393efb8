# shellcheck shell=bash
# Shared helpers for the scripts that run local servers. Source it; do not run it.
#
# Servers are fetched from Maven Central (or npm) into a cache folder, started in the background bound
# to 127.0.0.1, and tracked by a pid file in their data folder so that `stop` finds them again.

set -euo pipefail

# The globals below are read by the scripts that source this file.
SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck disable=SC2034
REPO_DIR="$(dirname "$SCRIPTS_DIR")"
# shellcheck disable=SC2034
SERVERS_CACHE="${TAXIETL_SERVERS_CACHE:-$HOME/.cache/taxietl-servers}"

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
die() { echo "error: $*" >&2; exit 1; }

# fetch_maven_deps POM OUTPUT_DIR [MAVEN_ARGS...]: copies the dependencies that POM declares into OUTPUT_DIR, once.
fetch_maven_deps() {
  local pom="$1" out="$2"; shift 2
  if [[ -f "$out/.complete" ]]; then return 0; fi
  log "fetching $(basename "$(dirname "$pom")") jars from Maven Central into $out"
  mkdir -p "$out"
  mvn -q -B -ntp -f "$pom" dependency:copy-dependencies -DoutputDirectory="$out" -DincludeScope=runtime "$@" >&2
  touch "$out/.complete"
}

# wait_until SECONDS PIDS COMMAND...: runs COMMAND every 0.2 s until it succeeds (returns 0); returns 1 once
# SECONDS have passed or any of the space-separated PIDS (none if empty) has exited. Every wait of the scripts
# (a server answering, a stream turning active, a process ending) goes through here.
wait_until() {
  local deadline=$((SECONDS + $1)) pids="$2" pid; shift 2
  while true; do
    if "$@"; then return 0; fi
    for pid in $pids; do
      kill -0 "$pid" 2>/dev/null || return 1
    done
    (( SECONDS < deadline )) || return 1
    sleep 0.2
  done
}

# port_open PORT: whether something accepts connections on 127.0.0.1:PORT.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# process_gone PID: whether process PID has ended.
process_gone() { ! kill -0 "$1" 2>/dev/null; }

# wait_for_port PORT SECONDS [PID]: waits until 127.0.0.1:PORT accepts connections; fails early if PID dies.
wait_for_port() { wait_until "$2" "${3:-}" port_open "$1"; }

# free_port: prints a TCP port that nothing listens on right now, below the kernel's ephemeral range (from which
# outgoing connections take their local ports: one of those on the chosen port makes the server's bind fail).
free_port() {
  local port low
  low="$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)"
  (( low > 21000 )) || low=32768
  while true; do
    port=$((20000 + RANDOM % (low - 20000)))
    if ! port_open "$port"; then echo "$port"; return 0; fi
  done
}

# start_daemon PIDFILE LOGFILE COMMAND...: starts COMMAND in the background in its own process group.
start_daemon() {
  local pidfile="$1" logfile="$2"; shift 2
  setsid "$@" >"$logfile" 2>&1 < /dev/null &
  echo $! > "$pidfile"
}

# stop_daemon PIDFILE [SECONDS]: stops the process group that PIDFILE names, politely then firmly.
stop_daemon() {
  local pidfile="$1" seconds="${2:-20}"
  [[ -f "$pidfile" ]] || return 0
  local pid; pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    if ! wait_until "$seconds" "" process_gone "$pid"; then
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$pidfile"
}

# The scripts below use these with the server script's own globals: PIDFILE (its pid file), DIR (its data
# folder, with the port in DIR/port) and a running_pid function that prints the pid or returns 1.

# help_text: the comment block at the top of the server script that was run.
help_text() { sed -n '2,/^$/p' "${BASH_SOURCE[-1]}" | sed 's/^# \{0,1\}//'; }

# usage_error MESSAGE: a wrong command line; exits 2.
usage_error() {
  echo "error: $*" >&2
  echo "Run 'scripts/$(basename "${BASH_SOURCE[-1]}") --help' for usage." >&2
  exit 2
}

# daemon_pid PIDFILE MARKER: prints the pid that PIDFILE names if that process runs and its command line
# contains MARKER (so a recycled pid is not mistaken for the server); returns 1 otherwise.
daemon_pid() {
  local pidfile="$1" marker="$2" pid
  [[ -f "$pidfile" ]] || return 1
  pid="$(cat "$pidfile")"
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$marker" || return 1
  echo "$pid"
}

# stop_server NAME SECONDS: stops the server of DIR (its whole process group), or says it was not running.
stop_server() {
  local name="$1" seconds="$2" pid
  if ! pid="$(running_pid)"; then
    rm -f "$PIDFILE"
    echo "$name is not running (dir $DIR)"
    return 0
  fi
  stop_daemon "$PIDFILE" "$seconds"
  echo "$name stopped (pid $pid, dir $DIR)"
}

# server_status NAME: says whether the server of DIR runs, and where; exits 3 when it does not.
server_status() {
  local name="$1" pid
  if pid="$(running_pid)"; then
    echo "$name is running on 127.0.0.1:$(cat "$DIR/port") (pid $pid, dir $DIR)"
  else
    echo "$name is not running (dir $DIR)"
    exit 3
  fi
}

# parse_server_command NAME EXTRA_COMMAND ARGS...: the command line every server script takes: a command (start,
# stop, status or EXTRA_COMMAND), then --dir DIR (default ./.local/NAME), --port PORT and positional arguments in
# any order. Sets COMMAND, POSITIONAL, PORT, DIR (made absolute once it exists; created for start), and PIDFILE
# and LOGFILE (NAME.pid and NAME.log in DIR).
parse_server_command() {
  local name="$1" extra="$2"; shift 2
  COMMAND="${1:-}"
  [[ -n "$COMMAND" ]] || { help_text >&2; exit 2; }
  shift
  POSITIONAL=()
  DIR="./.local/$name"
  PORT=""
  while (( $# > 0 )); do
    case "$1" in
      --dir) [[ $# -ge 2 ]] || usage_error "--dir needs a value"; DIR="$2"; shift 2 ;;
      --dir=*) DIR="${1#--dir=}"; shift ;;
      --port) [[ $# -ge 2 ]] || usage_error "--port needs a value"; PORT="$2"; shift 2 ;;
      --port=*) PORT="${1#--port=}"; shift ;;
      -h|--help) help_text; exit 0 ;;
      --*) usage_error "unknown option '$1'" ;;
      *) POSITIONAL+=("$1"); shift ;;
    esac
  done
  [[ -n "$DIR" ]] || usage_error "--dir must not be empty"
  if [[ -n "$PORT" ]] && ! [[ "$PORT" =~ ^[0-9]+$ && "$PORT" -ge 1 && "$PORT" -le 65535 ]]; then
    usage_error "--port must be a TCP port number (1-65535), got '$PORT'"
  fi
  case "$COMMAND" in
    start|stop|status|"$extra") ;;
    -h|--help|help) help_text; exit 0 ;;
    *) usage_error "unknown command '$COMMAND' (start, stop, status, $extra)" ;;
  esac
  if [[ "$COMMAND" == start ]]; then mkdir -p "$DIR"; fi
  if [[ -d "$DIR" ]]; then DIR="$(cd "$DIR" && pwd)"; fi
  PIDFILE="$DIR/$name.pid"
  # shellcheck disable=SC2034
  LOGFILE="$DIR/$name.log"
}

# saved_port DEFAULT: the --port given, else the port the server in DIR was started on, else DEFAULT.
saved_port() {
  if [[ -n "$PORT" ]]; then echo "$PORT"
  elif [[ -f "$DIR/port" ]]; then cat "$DIR/port"
  else echo "$1"
  fi
}

# benchmark_classpath [TREE]: builds the benchmarks module of TREE (default: this repository) and the modules it
# needs (no tests; online, so that a fresh machine fetches the dependency plugin) and prints its runtime classpath:
# the benchmark harnesses and the pipeline itself.
benchmark_classpath() {
  local tree="${1:-$REPO_DIR}"
  log "building the benchmarks module and its dependencies in $tree (no tests)"
  (cd "$tree" && mvn -B -q -ntp -pl benchmarks -am compile dependency:build-classpath \
      -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime >&2)
  echo "$tree/benchmarks/target/classes:$(cat "$tree/benchmarks/target/classpath.txt")"
}

# benchmark_jvm_opens [TREE]: the --add-opens flags a Flink job needs on Java 17 (the root pom's flink.jvm.opens),
# from the benchmarks module that benchmark_classpath built.
benchmark_jvm_opens() {
  sed -n 's/^jvm.opens=//p' "${1:-$REPO_DIR}/benchmarks/target/classes/benchmark-jvm.properties"
}

# tree_pids PID: PID and all its descendants, one per line.
tree_pids() {
  ps -e -o pid=,ppid= | awk -v root="$1" '
    { pid[NR] = $1; parent[NR] = $2 }
    END {
      mine[root] = 1
      do { grew = 0; for (i in pid) if (!(pid[i] in mine) && (parent[i] in mine)) { mine[pid[i]] = 1; grew = 1 } } while (grew)
      for (p in mine) print p
    }'
}

# tree_cpu_seconds PID: CPU seconds (user + system, whole seconds) that PID and all its descendants have used.
tree_cpu_seconds() {
  local pids
  pids="$(tree_pids "$1" | paste -sd, -)"
  { ps -o cputimes= -p "$pids" 2>/dev/null || true; } | awk '{ total += $1 } END { print total + 0 }'
}

# sample_copies N FILE: writes N copies of the bundled sample of trips to FILE, each copy with its own trip ids.
sample_copies() {
  local sample="$REPO_DIR/pipeline/src/main/resources/sample/taxi-trips-sample.jsonl.gz" k
  for ((k = 0; k < $1; k++)); do
    if (( k == 0 )); then zcat "$sample"; else zcat "$sample" | sed "s/\"trip_id\":/\"trip_id\":$k/"; fi
  done > "$2"
}

# median NUMBER...: the median of the numbers.
median() {
  printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
