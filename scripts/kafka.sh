#!/usr/bin/env bash
# A single-node Apache Kafka 4.1.1 broker in KRaft mode (broker and controller in one JVM), bound to 127.0.0.1,
# for local runs and the integration tests. The jars come from Maven Central (scripts/servers/kafka/pom.xml)
# into the servers cache; data, configuration and the broker log stay in --dir.
#
#   scripts/kafka.sh start [--dir DIR] [--port PORT] [--secure]
#                                                       start the broker; returns once it answers metadata
#   scripts/kafka.sh stop [--dir DIR]                   stop it and everything it started
#   scripts/kafka.sh status [--dir DIR]                 exit 0 and print the address if running, else exit 3
#   scripts/kafka.sh create-topic NAME PARTITIONS [--dir DIR] [--port PORT]
#                                                       create a topic (replication factor 1) unless it exists
#
# DIR defaults to ./.local/kafka, PORT (the client listener) to 9092; the controller listener gets a free port.
#
# --secure: the client listener on PORT is SASL_SSL with SCRAM-SHA-512 only. The first secure start in DIR makes a
# self-signed certificate for 127.0.0.1 (keytool) and a user taxietl with a random password (added when the storage
# is formatted, by Kafka's own storage tool), and writes, readable by the caller only:
#   DIR/truststore.p12     the certificate, for clients (PKCS12, password changeit)
#   DIR/credentials        user=taxietl and password=<random>
#   DIR/client.properties  every client setting for the listener, sasl.jaas.config included (a file for
#                          `--command-config` or Kafka's FileConfigProvider: ${file:DIR/client.properties:sasl.jaas.config})
# The broker itself (and create-topic) uses a PLAINTEXT listener on 127.0.0.1 and a free port, in DIR/internal-port.
# A later start in DIR is secure again without the flag. The password is never printed.
# Environment: TAXIETL_SERVERS_CACHE (jar cache, default ~/.cache/taxietl-servers), KAFKA_HEAP_OPTS (default
# -Xms128m -Xmx512m), KAFKA_START_SECONDS (start deadline, default 60); for the first secure start in DIR,
# TAXIETL_KAFKA_SCRAM_PASSWORD and TAXIETL_KAFKA_KEYSTORE_PASSWORD (16 or more letters and digits) instead of
# random passwords (.ci/run sets them, to search the whole suite's output for them afterwards).

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KAFKA_VERSION=4.1.1
KAFKA_JARS="$SERVERS_CACHE/kafka-$KAFKA_VERSION"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

# Arguments: the command, then options in any order; create-topic takes NAME and PARTITIONS first.
SECURE=""
ARGS=()
for arg in "$@"; do
  if [[ "$arg" == --secure ]]; then SECURE=true; else ARGS+=("$arg"); fi
done
parse_server_command kafka create-topic "${ARGS[@]}"
[[ -z "$SECURE" || "$COMMAND" == start ]] || usage_error "--secure is an option of start only"

# The pid of the broker that runs from DIR; fails if none does. A pid file whose process is gone, or is some other
# program now, does not count.
running_pid() { daemon_pid "$PIDFILE" "kafka.Kafka $DIR/server.properties"; }

# The client port: --port, else the port of the broker in DIR, else 9092. For a secure broker, the PLAINTEXT port
# the broker and this script's tools use.
client_port() {
  if [[ -f "$DIR/internal-port" ]]; then cat "$DIR/internal-port"; else saved_port 9092; fi
}

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
  local port="$1" controller_port="$2" internal_port="${3:-}"
  (umask 077; : > "$DIR/server.properties")
  if [[ -z "$internal_port" ]]; then
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
EOF
  else
    cat > "$DIR/server.properties" <<EOF
# Written by scripts/kafka.sh start --secure: a single node that is both broker and KRaft controller, on 127.0.0.1
# only. Clients: SASL_SSL with SCRAM-SHA-512 on $port. The broker itself: PLAINTEXT on $internal_port.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=SASL_SSL://127.0.0.1:$port,INTERNAL://127.0.0.1:$internal_port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=SASL_SSL://127.0.0.1:$port,INTERNAL://127.0.0.1:$internal_port
listener.security.protocol.map=SASL_SSL:SASL_SSL,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=INTERNAL
log.dirs=$DIR/data
sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
ssl.keystore.location=$DIR/broker.p12
ssl.keystore.type=PKCS12
ssl.keystore.password=$(cat "$DIR/keystore-password")
ssl.key.password=$(cat "$DIR/keystore-password")
EOF
  fi
  cat >> "$DIR/server.properties" <<EOF

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

# secure_setup: the certificate, trust store, SCRAM password and client settings of a secure broker, once per DIR.
secure_setup() {
  local keytool="${JAVA_HOME:+$JAVA_HOME/bin/}keytool"
  command -v "$keytool" >/dev/null || die "keytool not found (set JAVA_HOME or put a JDK on PATH)"
  if [[ ! -f "$DIR/broker.p12" ]]; then
    log "making a self-signed certificate for 127.0.0.1 and a SCRAM user in $DIR"
    rm -f "$DIR/truststore.p12"
    local keystore_password scram_password
    keystore_password="$(given_or_random_secret TAXIETL_KAFKA_KEYSTORE_PASSWORD)"
    scram_password="$(given_or_random_secret TAXIETL_KAFKA_SCRAM_PASSWORD)"
    (umask 077; printf '%s\n' "$keystore_password" > "$DIR/keystore-password"
     printf 'user=taxietl\npassword=%s\n' "$scram_password" > "$DIR/credentials")
    (umask 077; KEYSTORE_PASSWORD="$(cat "$DIR/keystore-password")" "$keytool" -genkeypair -alias broker \
      -keyalg RSA -keysize 2048 -validity 3650 -dname CN=localhost -ext SAN=ip:127.0.0.1,dns:localhost \
      -keystore "$DIR/broker.p12" -storetype PKCS12 -storepass:env KEYSTORE_PASSWORD >/dev/null 2>&1) \
      || die "keytool could not make the broker's certificate"
    KEYSTORE_PASSWORD="$(cat "$DIR/keystore-password")" "$keytool" -exportcert -rfc -alias broker \
      -keystore "$DIR/broker.p12" -storetype PKCS12 -storepass:env KEYSTORE_PASSWORD -file "$DIR/ca.pem" \
      >/dev/null 2>&1 || die "keytool could not export the broker's certificate"
    "$keytool" -importcert -noprompt -alias taxietl-kafka -file "$DIR/ca.pem" -keystore "$DIR/truststore.p12" \
      -storetype PKCS12 -storepass changeit >/dev/null 2>&1 || die "keytool could not write the trust store"
  fi
  local password
  password="$(sed -n 's/^password=//p' "$DIR/credentials")"
  (umask 077; cat > "$DIR/client.properties" <<EOF
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
ssl.truststore.location=$DIR/truststore.p12
ssl.truststore.type=PKCS12
ssl.truststore.password=changeit
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="taxietl" password="$password";
EOF
  )
}

# given_or_random_secret VARIABLE: the value of VARIABLE if it is set (16 or more letters and digits: the secret
# goes into a SCRAM argument and a JAAS line unquoted), else 24 random letters and digits.
given_or_random_secret() {
  local given="${!1:-}"
  if [[ -z "$given" ]]; then
    head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24
  elif [[ "$given" =~ ^[A-Za-z0-9]{16,}$ ]]; then
    printf '%s' "$given"
  else
    die "$1 must be 16 or more letters and digits"
  fi
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
  if [[ -f "$DIR/secure" ]]; then SECURE=true; fi
  local internal_port="" scram=()
  if [[ -n "$SECURE" ]]; then
    [[ -f "$DIR/data/meta.properties" && ! -f "$DIR/secure" ]] \
      && die "$DIR holds a broker started without --secure; use another --dir"
    secure_setup
    touch "$DIR/secure"
    internal_port="$(cat "$DIR/internal-port" 2>/dev/null || true)"
    if [[ -z "$internal_port" || "$internal_port" == "$port" || "$internal_port" == "$controller_port" ]] \
        || port_open "$internal_port"; then
      internal_port="$(free_port)"
      while [[ "$internal_port" == "$port" || "$internal_port" == "$controller_port" ]]; do
        internal_port="$(free_port)"
      done
    fi
    echo "$internal_port" > "$DIR/internal-port"
    # The storage tool stores the SCRAM credential in the cluster's first metadata; the password is on its
    # command line for the second it runs (it takes it no other way).
    scram=(--add-scram "SCRAM-SHA-512=[name=taxietl,password=$(sed -n 's/^password=//p' "$DIR/credentials")]")
  fi
  write_server_properties "$port" "$controller_port" "$internal_port"
  echo "$port" > "$DIR/port"
  echo "$controller_port" > "$DIR/controller-port"

  if [[ ! -f "$DIR/data/meta.properties" ]]; then
    log "formatting the KRaft storage in $DIR/data"
    kafka_tool kafka.tools.StorageTool format --config "$DIR/server.properties" \
      --cluster-id "$(new_cluster_id)" --ignore-formatted "${scram[@]}" > "$DIR/format.log" 2>&1 \
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
  local kind=""
  [[ -n "$SECURE" ]] && kind=" (SASL_SSL, SCRAM-SHA-512; client settings in $DIR/client.properties)"
  echo "Kafka $KAFKA_VERSION is running on 127.0.0.1:$port$kind (pid $pid, dir $DIR, started in $((SECONDS - started)) s)"
}

# names_cluster PORT: whether the broker names its cluster through the Admin API; a secure broker on its SASL_SSL
# listener, as the SCRAM user (so the certificate, the listener and the user all work).
names_cluster() {
  local config="$DIR/tools-client.properties"
  if [[ -n "$SECURE" ]]; then
    config="$DIR/tools-secure-client.properties"
    (umask 077; cat "$DIR/tools-client.properties" "$DIR/client.properties" > "$config")
  fi
  kafka_tool org.apache.kafka.tools.ClusterTool cluster-id --bootstrap-server "127.0.0.1:$1" \
      --config "$config" > "$DIR/ready.log" 2>&1 \
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
