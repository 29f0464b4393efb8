#!/usr/bin/env bash
# A local Kinesis Data Streams API server (kinesalite 3.3.3 from npm, streams in memory) bound to 127.0.0.1, for
# local runs and the integration tests. The npm package is installed once into the servers cache.
#
#   scripts/kinesis.sh start [--dir DIR] [--port PORT]     start the server; returns once it answers ListStreams
#   scripts/kinesis.sh stop [--dir DIR]                    stop it (its streams are gone)
#   scripts/kinesis.sh status [--dir DIR]                  exit 0 and print the address if running, else exit 3
#   scripts/kinesis.sh create-stream NAME SHARDS [--dir DIR] [--port PORT]
#                                                          create a stream unless it exists; returns once ACTIVE
#
# DIR defaults to ./.local/kinesis, PORT to 4567. Needs node and npm (Debian: apt-get install nodejs npm).
# Clients built on the AWS SDK for Java v2 must turn CBOR off to talk to kinesalite: -Daws.cborEnabled=false.
# Environment: TAXIETL_SERVERS_CACHE (default ~/.cache/taxietl-servers), KINESIS_START_SECONDS (default 30).

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KINESALITE_VERSION=3.3.3
KINESALITE_DIR="$SERVERS_CACHE/kinesalite-$KINESALITE_VERSION"
SERVER_FILES="$SCRIPTS_DIR/servers/kinesalite"

parse_server_command kinesis create-stream "$@"

# The pid of the server that runs from DIR; fails if none does.
running_pid() { daemon_pid "$PIDFILE" "$SERVER_FILES/server.js"; }

server_port() { saved_port 4567; }

install_kinesalite() {
  command -v node >/dev/null || die "node not found (Debian: apt-get install nodejs npm)"
  if [[ -f "$KINESALITE_DIR/.complete" ]]; then return 0; fi
  command -v npm >/dev/null || die "npm not found (Debian: apt-get install npm)"
  log "installing kinesalite $KINESALITE_VERSION from npm into $KINESALITE_DIR"
  mkdir -p "$KINESALITE_DIR"
  # No install scripts: they only build leveldown, an optional on-disk store; streams stay in memory.
  npm install --prefix "$KINESALITE_DIR" --no-audit --no-fund --ignore-scripts --loglevel=error \
    "kinesalite@$KINESALITE_VERSION" >&2 || die "npm could not install kinesalite@$KINESALITE_VERSION"
  touch "$KINESALITE_DIR/.complete"
}

# api ACTION JSON: calls the Kinesis API of the server and prints the answer.
api() {
  NODE_PATH="$KINESALITE_DIR/node_modules" node "$SERVER_FILES/api.js" "$(server_port)" "$@"
}

start() {
  local port pid
  port="${PORT:-4567}"
  if pid="$(running_pid)"; then
    local running_port; running_port="$(cat "$DIR/port" 2>/dev/null || echo '?')"
    if [[ -n "$PORT" && "$PORT" != "$running_port" ]]; then
      die "kinesalite is already running from $DIR on 127.0.0.1:$running_port (pid $pid), not on port $PORT; stop it first"
    fi
    echo "kinesalite is already running on 127.0.0.1:$running_port (pid $pid, dir $DIR)"
    return 0
  fi
  rm -f "$PIDFILE"
  if port_open "$port"; then
    die "port $port on 127.0.0.1 is already in use by another program; choose another with --port"
  fi
  install_kinesalite
  echo "$port" > "$DIR/port"
  local started=$SECONDS seconds="${KINESIS_START_SECONDS:-30}"
  log "starting kinesalite $KINESALITE_VERSION on 127.0.0.1:$port (dir $DIR)"
  NODE_PATH="$KINESALITE_DIR/node_modules" start_daemon "$PIDFILE" "$LOGFILE" node "$SERVER_FILES/server.js" "$port"
  pid="$(cat "$PIDFILE")"
  if ! wait_for_port "$port" "$seconds" "$pid" \
      || ! wait_until $((started + seconds - SECONDS)) "$pid" lists_streams; then
    echo "--- last lines of $LOGFILE ---" >&2
    tail -n 40 "$LOGFILE" >&2 || true
    stop_daemon "$PIDFILE" 10
    die "kinesalite did not start on 127.0.0.1:$port within $seconds s"
  fi
  echo "kinesalite $KINESALITE_VERSION is running on 127.0.0.1:$port (pid $pid, dir $DIR, started in $((SECONDS - started)) s)"
}

stop() { stop_server kinesalite 20; }

status() { server_status kinesalite; }

create_stream() {
  (( ${#POSITIONAL[@]} == 2 )) || usage_error "create-stream takes NAME SHARDS"
  local name="${POSITIONAL[0]}" shards="${POSITIONAL[1]}" answer
  [[ "$name" =~ ^[a-zA-Z0-9_.-]{1,128}$ ]] || usage_error "NAME must be 1 to 128 of a-z A-Z 0-9 _ . -, got '$name'"
  [[ "$shards" =~ ^[0-9]+$ && "$shards" -ge 1 && "$shards" -le 100 ]] \
    || usage_error "SHARDS must be a number from 1 to 100, got '$shards'"
  install_kinesalite
  if ! answer="$(api CreateStream "{\"StreamName\":\"$name\",\"ShardCount\":$shards}" 2>&1)"; then
    grep -q ResourceInUseException <<< "$answer" || die "could not create stream '$name': $answer"
  fi
  wait_until 30 "" stream_active "$name" || die "stream '$name' did not become ACTIVE within 30 s"
  echo "stream $name is ACTIVE on 127.0.0.1:$(server_port)"
}

# lists_streams: whether kinesalite answers ListStreams.
lists_streams() { api ListStreams '{}' > /dev/null 2>&1; }

# stream_active NAME: whether the stream is ACTIVE.
stream_active() {
  api DescribeStreamSummary "{\"StreamName\":\"$1\"}" 2>/dev/null | grep -q '"StreamStatus":"ACTIVE"'
}

if [[ "$COMMAND" != create-stream ]] && (( ${#POSITIONAL[@]} > 0 )); then
  usage_error "$COMMAND takes no argument '${POSITIONAL[0]}'"
fi
case "$COMMAND" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  create-stream) create_stream ;;
esac
