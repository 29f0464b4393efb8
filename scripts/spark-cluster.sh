#!/usr/bin/env bash
# A real Apache Spark 3.5 standalone cluster on 127.0.0.1: one master and one worker as two JVMs, built from
# Spark's modules on Maven Central (scripts/servers/spark/pom.xml; Spark's distribution archive is not served
# there). The worker starts an executor JVM for each application, on the same jars.
#
#   scripts/spark-cluster.sh start [--dir DIR] [--port PORT]   start master and worker; returns once the worker
#                                                                has registered, and prints the master URL
#   scripts/spark-cluster.sh stop [--dir DIR]                  stop both and every executor they started
#   scripts/spark-cluster.sh status [--dir DIR]                exit 0 and print the master URL if running, else 3
#   scripts/spark-cluster.sh master-url [--dir DIR]            print the master URL (spark://127.0.0.1:PORT)
#
# DIR defaults to ./.local/spark-cluster (SPARK_HOME with the jars, conf/, logs, work/), PORT (the master's) to
# 7077; the web UIs and the worker get free ports. Submit with the Spark JAR in client mode:
#   java -Dspark.driver.host=127.0.0.1 -jar spark-launcher/target/taxi-etl-spark.jar --sparkMaster=spark://127.0.0.1:7077 ...
# Environment: TAXIETL_SERVERS_CACHE (jar cache, default ~/.cache/taxietl-servers), SPARK_WORKER_CORES (default 2),
# SPARK_WORKER_MEMORY (memory for executors, default 2g), SPARK_DAEMON_HEAP (master and worker, default 512m).

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SPARK_VERSION=3.5.9
START_SECONDS=120
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

parse_server_command spark-cluster master-url "$@"
WORKER_PIDFILE="$DIR/worker.pid"

# Spark's own launcher adds these on Java 17 (JavaModuleOptions); executors get them from the application.
JAVA17_OPENS=(
  -XX:+IgnoreUnrecognizedVMOptions
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false
)

running_pid() { daemon_pid "$PIDFILE" "org.apache.spark.deploy.master.Master"; }
worker_pid() { daemon_pid "$WORKER_PIDFILE" "org.apache.spark.deploy.worker.Worker"; }
master_url() { echo "spark://127.0.0.1:$(saved_port 7077)"; }

# alive_workers: how many workers the master reports ALIVE (its web UI's JSON), or nothing.
alive_workers() {
  curl -fsS --max-time 2 "http://127.0.0.1:$(cat "$DIR/master-ui.port")/json/" 2>/dev/null \
    | jq -r '[.workers[] | select(.state == "ALIVE")] | length' 2>/dev/null
}

write_config() {
  mkdir -p "$DIR/conf" "$DIR/logs" "$DIR/work"
  # Every Spark JVM here (master, worker, executors) logs warnings to its own file or stream.
  cat > "$DIR/conf/log4j2.properties" <<'PROPERTIES'
rootLogger.level = warn
rootLogger.appenderRef.stdout.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss.SSS} %p %c{1}: %m%n
logger.master.name = org.apache.spark.deploy.master.Master
logger.master.level = info
logger.worker.name = org.apache.spark.deploy.worker.Worker
logger.worker.level = info
PROPERTIES
}

fail_start() {
  log "the Spark cluster did not come up: $1"
  for f in "$DIR"/logs/*.log; do
    [[ -f "$f" ]] || continue
    echo "----- tail of $f" >&2; tail -n 40 "$f" >&2
  done
  stop_daemon "$WORKER_PIDFILE"; stop_daemon "$PIDFILE"
  exit 1
}

start() {
  local port; port="${PORT:-7077}"
  if running_pid >/dev/null || worker_pid >/dev/null; then die "a Spark cluster is already running from $DIR"; fi
  if ! command -v curl >/dev/null || ! command -v jq >/dev/null; then die "start needs curl and jq"; fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then die "port $port is already in use"; fi
  local jars="$SERVERS_CACHE/spark-$SPARK_VERSION/jars"
  fetch_maven_deps "$SCRIPTS_DIR/servers/spark/pom.xml" "$jars"
  local begin; begin=$(date +%s%N)
  write_config
  # SPARK_HOME as the worker needs it to build an executor's command line: jars/ and the Scala version.
  ln -sfn "$jars" "$DIR/jars"
  echo "$port" > "$DIR/port"
  free_port > "$DIR/master-ui.port"
  local common=(env SPARK_HOME="$DIR" SPARK_CONF_DIR="$DIR/conf" SPARK_SCALA_VERSION=2.12 SPARK_LOCAL_IP=127.0.0.1
    "$JAVA" "-Xmx${SPARK_DAEMON_HEAP:-512m}" "${JAVA17_OPENS[@]}" -cp "$DIR/conf:$jars/*")
  start_daemon "$PIDFILE" "$DIR/logs/master.log" "${common[@]}" org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port "$port" --webui-port "$(cat "$DIR/master-ui.port")"
  wait_for_port "$port" "$START_SECONDS" "$(cat "$PIDFILE")" || fail_start "the master did not listen on $port"
  start_daemon "$WORKER_PIDFILE" "$DIR/logs/worker.log" "${common[@]}" org.apache.spark.deploy.worker.Worker \
    --host 127.0.0.1 --port "$(free_port)" --webui-port "$(free_port)" --work-dir "$DIR/work" \
    --cores "${SPARK_WORKER_CORES:-2}" --memory "${SPARK_WORKER_MEMORY:-2g}" "$(master_url)"
  local deadline=$((SECONDS + START_SECONDS))
  until [[ "$(alive_workers)" == 1 ]]; do
    running_pid >/dev/null || fail_start "the master exited"
    worker_pid >/dev/null || fail_start "the worker exited"
    (( SECONDS < deadline )) || fail_start "no worker registered within ${START_SECONDS}s"
    sleep 0.3
  done
  local elapsed_ms=$(( ($(date +%s%N) - begin) / 1000000 ))
  log "Spark $SPARK_VERSION standalone cluster up in $((elapsed_ms / 1000)).$(printf '%03d' $((elapsed_ms % 1000)))s:" \
    "master $(master_url), web UI http://127.0.0.1:$(cat "$DIR/master-ui.port"), 1 worker, logs in $DIR/logs"
  master_url
}

case "$COMMAND" in
  start) start ;;
  stop)
    stop_daemon "$WORKER_PIDFILE" 30
    stop_server "Spark master" 30
    ;;
  status)
    if running_pid >/dev/null && worker_pid >/dev/null; then echo "running: $(master_url)"; else echo "stopped"; exit 3; fi
    ;;
  master-url) master_url ;;
esac
