#!/usr/bin/env bash
# A local S3 API server (Adobe S3Mock 5.2.0, the exec jar from Maven Central; objects stored in --dir) bound to
# 127.0.0.1, for local runs and the integration tests. Plain HTTP on PORT; S3Mock's HTTPS connector gets a free
# port, also on 127.0.0.1.
#
#   scripts/s3.sh start [--dir DIR] [--port PORT]          start the server; returns once it answers ListBuckets
#   scripts/s3.sh stop [--dir DIR]                         stop it (the objects stay in DIR/store until deleted)
#   scripts/s3.sh status [--dir DIR]                       exit 0 and print the address if running, else exit 3
#   scripts/s3.sh create-bucket NAME [--dir DIR] [--port PORT]
#                                                          create a bucket unless it exists
#
# DIR defaults to ./.local/s3, PORT to 9090. Clients use endpoint http://127.0.0.1:PORT with path-style access
# and any region and credentials (S3Mock checks no signature).
# Environment: TAXIETL_SERVERS_CACHE (default ~/.cache/taxietl-servers), S3_HEAP_OPTS (default -Xmx512m),
# S3_START_SECONDS (default 90).

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

S3MOCK_VERSION=5.2.0
S3MOCK_DIR="$SERVERS_CACHE/s3mock-$S3MOCK_VERSION"
S3MOCK_JAR="$S3MOCK_DIR/s3mock-$S3MOCK_VERSION-exec.jar"
# The loopback initializer, compiled against the jar's own Spring and Tomcat classes.
LOOPBACK_DIR="$S3MOCK_DIR/loopback"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JAVAC="${JAVA_HOME:+$JAVA_HOME/bin/}javac"

parse_server_command s3 create-bucket "$@"

running_pid() { daemon_pid "$PIDFILE" "-Dtaxietl.s3.dir=$DIR "; }

server_port() { saved_port 9090; }

install_s3mock() {
  if [[ ! -f "$S3MOCK_DIR/.complete" ]]; then
    log "fetching S3Mock $S3MOCK_VERSION from Maven Central into $S3MOCK_DIR"
    mkdir -p "$S3MOCK_DIR"
    mvn -q -B -ntp dependency:copy -Dartifact="com.adobe.testing:s3mock:$S3MOCK_VERSION:jar:exec" \
      -DoutputDirectory="$S3MOCK_DIR" >&2 || die "could not fetch com.adobe.testing:s3mock:$S3MOCK_VERSION:jar:exec"
    touch "$S3MOCK_DIR/.complete"
  fi
  if [[ ! -f "$LOOPBACK_DIR/.complete" ]]; then
    command -v "$JAVAC" >/dev/null || die "javac not found (a JDK 17+ is needed)"
    local libs="$S3MOCK_DIR/libs"
    rm -rf "$LOOPBACK_DIR" "$libs"
    mkdir -p "$LOOPBACK_DIR/META-INF" "$libs"
    (cd "$libs" && unzip -q -o "$S3MOCK_JAR" 'BOOT-INF/lib/spring-*.jar' 'BOOT-INF/lib/tomcat-embed-core-*.jar')
    "$JAVAC" -nowarn -d "$LOOPBACK_DIR" -cp "$libs/BOOT-INF/lib/*" \
      "$SCRIPTS_DIR/servers/s3mock/LoopbackHttpConnector.java" || die "could not compile the loopback initializer"
    cp "$SCRIPTS_DIR/servers/s3mock/META-INF/spring.factories" "$LOOPBACK_DIR/META-INF/"
    rm -rf "$libs"
    touch "$LOOPBACK_DIR/.complete"
  fi
}

start() {
  local port https_port pid
  port="${PORT:-9090}"
  if pid="$(running_pid)"; then
    local running_port; running_port="$(cat "$DIR/port" 2>/dev/null || echo '?')"
    if [[ -n "$PORT" && "$PORT" != "$running_port" ]]; then
      die "S3Mock is already running from $DIR on 127.0.0.1:$running_port (pid $pid), not on port $PORT; stop it first"
    fi
    echo "S3Mock is already running on 127.0.0.1:$running_port (pid $pid, dir $DIR)"
    return 0
  fi
  rm -f "$PIDFILE"
  if port_open "$port"; then
    die "port $port on 127.0.0.1 is already in use by another program; choose another with --port"
  fi
  command -v "$JAVA" >/dev/null || die "java not found (set JAVA_HOME or put java 17+ on PATH)"
  command -v curl >/dev/null || die "curl not found (Debian: apt-get install curl)"
  install_s3mock
  https_port="$(free_port)"
  while [[ "$https_port" == "$port" ]]; do https_port="$(free_port)"; done
  echo "$port" > "$DIR/port"
  mkdir -p "$DIR/store"
  local started=$SECONDS seconds="${S3_START_SECONDS:-90}"
  log "starting S3Mock $S3MOCK_VERSION on 127.0.0.1:$port (https 127.0.0.1:$https_port, dir $DIR)"
  local heap_opts
  read -r -a heap_opts <<< "${S3_HEAP_OPTS:--Xmx512m}"
  start_daemon "$PIDFILE" "$LOGFILE" "$JAVA" "${heap_opts[@]}" -XX:+UseSerialGC \
    -Dtaxietl.s3.dir="$DIR" -Dloader.path="$LOOPBACK_DIR" \
    -cp "$S3MOCK_JAR" org.springframework.boot.loader.launch.PropertiesLauncher \
    --server.address=127.0.0.1 --server.port="$https_port" \
    --com.adobe.testing.s3mock.httpPort="$port" \
    --com.adobe.testing.s3mock.store.root="$DIR/store" \
    --com.adobe.testing.s3mock.store.retainFilesOnExit=true \
    --spring.main.banner-mode=off --logging.level.root=WARN
  pid="$(cat "$PIDFILE")"
  if ! wait_for_port "$port" "$seconds" "$pid" \
      || ! wait_until $((started + seconds - SECONDS)) "$pid" \
        curl -sf -o /dev/null --max-time 5 "http://127.0.0.1:$port/"; then
    echo "--- last lines of $LOGFILE ---" >&2
    tail -n 40 "$LOGFILE" >&2 || true
    stop_daemon "$PIDFILE" 10
    die "S3Mock did not start on 127.0.0.1:$port within $seconds s"
  fi
  echo "S3Mock $S3MOCK_VERSION is running on 127.0.0.1:$port (pid $pid, dir $DIR, started in $((SECONDS - started)) s)"
}

stop() { stop_server S3Mock 30; }

status() { server_status S3Mock; }

create_bucket() {
  (( ${#POSITIONAL[@]} == 1 )) || usage_error "create-bucket takes NAME"
  local name="${POSITIONAL[0]}" port code
  [[ "$name" =~ ^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$ ]] \
    || usage_error "NAME must be a bucket name: 3 to 63 of a-z 0-9 . -, got '$name'"
  port="$(server_port)"
  code="$(curl -s -o "$DIR/create-bucket.log" -w '%{http_code}' --max-time 10 -X PUT "http://127.0.0.1:$port/$name" || true)"
  case "$code" in
    200) echo "bucket $name created on 127.0.0.1:$port" ;;
    409) echo "bucket $name exists on 127.0.0.1:$port" ;;
    *) die "could not create bucket '$name' on 127.0.0.1:$port (HTTP $code): $(cat "$DIR/create-bucket.log" 2>/dev/null)" ;;
  esac
}

if [[ "$COMMAND" != create-bucket ]] && (( ${#POSITIONAL[@]} > 0 )); then
  usage_error "$COMMAND takes no argument '${POSITIONAL[0]}'"
fi
case "$COMMAND" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  create-bucket) create_bucket ;;
esac
