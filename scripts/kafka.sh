#!/usr/bin/env bash
# A single-node Apache Kafka 4.1.1 broker in KRaft mode (broker and controller in one JVM), bound to 127.0.0.1,
# for local runs and the integration tests. The jars come from Maven Central (scripts/servers/kafka/pom.xml)
# into the servers cache; data, configuration and the broker log stay in --dir.
#
#   scripts/kafka.sh start [--dir DIR] [--port PORT]    start the broker; returns once it answers metadata
#   scripts/kafka.sh stop [--dir DIR]                   stop it and everything it started
#   scripts/kafka.sh status [--dir DIR]                 exit 0 and print the address if running, else exit 3
#   scripts/kafka.sh create-topic NAME PARTITIONS [--dir DIR] [--port PORT]
#                                                       create a topic (replication factor 1) unless it exists
#
# DIR defaults to ./.local/kafka, PORT (the client listener) to 9092; the controller listener gets a free port.
# Environment: TAXIETL_SERVERS_CACHE (jar cache, default ~/.cache/taxietl-servers), KAFKA_HEAP_OPTS (default
# -Xms128m -Xmx512m), KAFKA_START_SECONDS (start deadline, default 60).

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KAFKA_VERSION=4.1.1
KAFKA_JARS="$SERVERS_CACHE/kafka-$KAFKA_VERSION"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

# Arguments: the command, then options in any order; create-topic takes NAME and PARTITIONS first.
parse_server_command kafka create-topic "$@"

# The pid of the broker that runs from DIR; fails if none does. A pid file whose process is gone, or is some other
# program now, does not count.
running_pid() { daemon_pid "$PIDFILE" "kafka.Kafka $DIR/server.properties"; }

# The client port: --port, else the port of the broker in DIR, else 9092.
client_port() { saved_port 9092; }

# kafka_tool MAIN_CLASS ARGS...: runs one of Kafka's command line tools on the cached jars, logging only errors.
kafka_tool() {
  local main="$1"; shift
  timeout 120 "$JAVA" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Dlog4j2.configurationFile="$DIR/tools-log4j2.properties" \
    -cp "$KAFKA_JARS/*" "$main" "$@"
}

write_log4j_configs() {
  # The broker logs warnings and errors only, plus the one line that says it has started.
  cat > "$DIR/log4j2.properties" <<'EOF'
status = warn
shutdownHook = disable
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = warn
rootLogger.appenderRef.stdout.ref = STDOUT
logger.started.name = kafka.server.KafkaRaftServer
logger.started.level = info
EOF
  cat > "$DIR/tools-log4j2.properties" <<'EOF'
status = error
appender.console.type = Console
appender.console.name = STDERR
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %p %m (%c)%n
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = STDERR
EOF
  # The readiness check asks again rather than wait long on one request.
  cat > "$DIR/tools-client.properties" <<'EOF'
request.timeout.ms=5000
default.api.timeout.ms=10000
EOF
}

write_server_properties() {
  local port="$1" controller_port="$2"
  cat > "$DIR/server.properties" <<EOF
# Written by scripts/kafka.sh start: a single node that is both broker and KRaft controller, on 127.0.0.1 only.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$DIR/data

# One node: every internal topic has one replica, and one in-sync replica is enough, so that consumer groups,
# transactional (exactly-once) producers and share groups work.
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1

# Tests and local runs: consumer groups form at once, and topics are created on purpose, never by a typo.
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
num.partitions=1
EOF
}

# A KRaft cluster id: 16 random bytes, URL-safe base64 without padding (what StorageTool random-uuid prints).
# Like Kafka's own Uuid.randomUuid, never one that starts with '-': the storage tool would take it for an option
# ("argument --cluster-id/-t: expected one argument"), which failed 1 start in 64.
new_cluster_id() {
  local id="-"
  while [[ "$id" == -* ]]; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
  done
  printf '%s' "$id"
}

start() {
  local port controller_port pid
  port="${PORT:-9092}"
  if pid="$(running_pid)"; then
    local running_port; running_port="$(cat "$DIR/port" 2>/dev/null || echo '?')"
    if [[ -n "$PORT" && "$PORT" != "$running_port" ]]; then
      die "Kafka is already running from $DIR on 127.0.0.1:$running_port (pid $pid), not on port $PORT; stop it first"
    fi
    echo "Kafka is already running on 127.0.0.1:$running_port (pid $pid, dir $DIR)"
    return 0
  fi
  rm -f "$PIDFILE"
  if port_open "$port"; then
    die "port $port on 127.0.0.1 is already in use by another program; choose another with --port"
  fi
  fetch_maven_deps "$SCRIPTS_DIR/servers/kafka/pom.xml" "$KAFKA_JARS"
  command -v "$JAVA" >/dev/null || die "java not found (set JAVA_HOME or put java 17+ on PATH)"

  # Keep the controller port of an earlier start in this DIR if it is still free.
  controller_port="$(cat "$DIR/controller-port" 2>/dev/null || true)"
  if [[ -z "$controller_port" || "$controller_port" == "$port" ]] \
      || port_open "$controller_port"; then
    controller_port="$(free_port)"
    while [[ "$controller_port" == "$port" ]]; do controller_port="$(free_port)"; done
  fi
  write_log4j_configs
  write_server_properties "$port" "$controller_port"
  echo "$port" > "$DIR/port"
  echo "$controller_port" > "$DIR/controller-port"

  if [[ ! -f "$DIR/data/meta.properties" ]]; then
    log "formatting the KRaft storage in $DIR/data"
    kafka_tool kafka.tools.StorageTool format --config "$DIR/server.properties" \
      --cluster-id "$(new_cluster_id)" --ignore-formatted > "$DIR/format.log" 2>&1 \
      || { cat "$DIR/format.log" >&2; die "formatting $DIR/data failed"; }
  fi

  local started=$SECONDS
  log "starting Kafka $KAFKA_VERSION on 127.0.0.1:$port (controller 127.0.0.1:$controller_port, dir $DIR)"
  local heap_opts
  read -r -a heap_opts <<< "${KAFKA_HEAP_OPTS:--Xms128m -Xmx512m}"
  start_daemon "$PIDFILE" "$LOGFILE" "$JAVA" "${heap_opts[@]}" \
    -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$DIR/log4j2.properties" \
    -cp "$KAFKA_JARS/*" kafka.Kafka "$DIR/server.properties"
  pid="$(cat "$PIDFILE")"

  local seconds="${KAFKA_START_SECONDS:-60}"
  if ! wait_for_port "$port" "$seconds" "$pid" \
      || ! wait_until $((started + seconds - SECONDS)) "$pid" names_cluster "$port"; then
    echo "--- last lines of $LOGFILE ---" >&2
    tail -n 40 "$LOGFILE" >&2 || true
    stop_daemon "$PIDFILE" 10
    die "Kafka did not start on 127.0.0.1:$port within $seconds s"
  fi
  echo "Kafka $KAFKA_VERSION is running on 127.0.0.1:$port (pid $pid, dir $DIR, started in $((SECONDS - started)) s)"
}

# names_cluster PORT: whether the broker names its cluster through the Admin API.
names_cluster() {
  kafka_tool org.apache.kafka.tools.ClusterTool cluster-id --bootstrap-server "127.0.0.1:$1" \
      --config "$DIR/tools-client.properties" > "$DIR/ready.log" 2>&1 \
    && grep -q '^Cluster ID: ' "$DIR/ready.log"
}

stop() { stop_server Kafka 30; }

status() { server_status Kafka; }

create_topic() {
  (( ${#POSITIONAL[@]} == 2 )) || usage_error "create-topic takes NAME PARTITIONS"
  local name="${POSITIONAL[0]}" partitions="${POSITIONAL[1]}" port
  [[ "$partitions" =~ ^[0-9]+$ && "$partitions" -ge 1 ]] \
    || usage_error "PARTITIONS must be a positive number, got '$partitions'"
  port="$(client_port)"
  fetch_maven_deps "$SCRIPTS_DIR/servers/kafka/pom.xml" "$KAFKA_JARS"
  if [[ ! -f "$DIR/tools-log4j2.properties" ]]; then mkdir -p "$DIR"; DIR="$(cd "$DIR" && pwd)"; write_log4j_configs; fi
  kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$port" --create --if-not-exists \
    --topic "$name" --partitions "$partitions" --replication-factor 1 \
    || die "could not create topic '$name' on 127.0.0.1:$port"
  kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$port" --describe --topic "$name" \
    | head -n 1
}

if [[ "$COMMAND" != create-topic ]] && (( ${#POSITIONAL[@]} > 0 )); then
  usage_error "$COMMAND takes no argument '${POSITIONAL[0]}'"
fi
case "$COMMAND" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  create-topic) create_topic ;;
esac
