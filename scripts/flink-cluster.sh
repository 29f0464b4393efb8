#!/usr/bin/env bash
# A real Apache Flink 1.19 (or 1.20) session cluster on 127.0.0.1: one JobManager and one TaskManager as two JVMs,
# built from Flink's modules on Maven Central (Flink's distribution archive is not served there).
#
#   scripts/flink-cluster.sh start  [--dir DIR] [--port REST_PORT] [--slots N] [--checkpoint-interval-ms MS]
#                                   [--restart-strategy none|fixed-delay] [--restart-delay-ms MS]
#                                   [--heartbeat-interval-ms MS]
#   scripts/flink-cluster.sh status [--dir DIR]
#   scripts/flink-cluster.sh kill-taskmanager  [--dir DIR]   SIGKILL the TaskManager, as a machine that dies
#   scripts/flink-cluster.sh start-taskmanager [--dir DIR]   start a fresh TaskManager; returns once it registered
#   scripts/flink-cluster.sh stop   [--dir DIR]
#
# DIR (default ./flink-cluster) holds conf/config.yaml, log/, checkpoints/, savepoints/ and the pid files.
# The REST API and web UI answer on http://127.0.0.1:REST_PORT (default 8081); upload a job JAR there
# (POST /jars/upload, then POST /jars/<id>/run) or open it in a browser. `start` returns once the REST API
# reports one TaskManager with its N slots (default 2), and prints how long that took. With
# --checkpoint-interval-ms the cluster turns checkpointing on for every job, the way Amazon Managed Service
# for Apache Flink applies an application's checkpoint configuration (execution.checkpointing.interval).
# --restart-strategy says what a failed job does: none (the default: it fails at once, a local cluster is for
# seeing problems) or fixed-delay (it restarts from its last checkpoint without limit, --restart-delay-ms apart,
# default 10000: what the managed service does). --heartbeat-interval-ms sets how often the JobManager and the
# TaskManagers heartbeat (Flink's default 10000): a TaskManager that died is noticed after two failed heartbeats.
#
# Environment: FLINK_VERSION (default 1.19.3; a 1.20.x also resolves), JAVA (default: java on the PATH),
# FLINK_JM_HEAP (default 512m), FLINK_TM_TASK_HEAP (default 768m), FLINK_JAVA_OPTS (extra JVM options for both
# JVMs, e.g. -Daws.cborEnabled=false for kinesalite), TAXIETL_SERVERS_CACHE (where the jars are kept, default
# ~/.cache/taxietl-servers). Both JVMs inherit the environment, so jobs get AWS credentials from
# AWS_ACCESS_KEY_ID and friends, as the AWS SDK's default chain reads them.

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

FLINK_VERSION="${FLINK_VERSION:-1.19.3}"
START_SECONDS=180
JAVA="${JAVA:-java}"

usage() { sed -n '2,28p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }

command="${1:-}"; [[ -n "$command" ]] || usage; shift
dir="./flink-cluster"; port=8081; slots=2; checkpoint_ms=""
restart_strategy="none"; restart_delay_ms=10000; heartbeat_interval_ms=""
while (( $# )); do
  case "$1" in
    --dir) dir="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --slots) slots="$2"; shift 2 ;;
    --checkpoint-interval-ms) checkpoint_ms="$2"; shift 2 ;;
    --restart-strategy) restart_strategy="$2"; shift 2 ;;
    --restart-delay-ms) restart_delay_ms="$2"; shift 2 ;;
    --heartbeat-interval-ms) heartbeat_interval_ms="$2"; shift 2 ;;
    *) usage ;;
  esac
done
[[ "$restart_strategy" == none || "$restart_strategy" == fixed-delay ]] \
  || die "--restart-strategy must be none or fixed-delay, was '$restart_strategy'"
[[ "$restart_delay_ms" =~ ^[0-9]+$ ]] || die "--restart-delay-ms must be a number, was '$restart_delay_ms'"
[[ -z "$heartbeat_interval_ms" || "$heartbeat_interval_ms" =~ ^[1-9][0-9]*$ ]] \
  || die "--heartbeat-interval-ms must be a positive number, was '$heartbeat_interval_ms'"
[[ "$port" =~ ^[0-9]+$ ]] || die "--port must be a number, was '$port'"
[[ "$slots" =~ ^[1-9][0-9]*$ ]] || die "--slots must be a positive number, was '$slots'"
[[ -z "$checkpoint_ms" || "$checkpoint_ms" =~ ^[1-9][0-9]*$ ]] \
  || die "--checkpoint-interval-ms must be a positive number, was '$checkpoint_ms'"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
conf="$dir/conf"; logs="$dir/log"
jm_pid="$dir/jobmanager.pid"; tm_pid="$dir/taskmanager.pid"

# Flink's own launch scripts pass these on Java 17 (env.java.opts.all in the distribution's config.yaml).
JAVA17_OPENS=(
  --add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
)

rest_url() { echo "http://127.0.0.1:$(cat "$dir/rest.port")"; }

is_running() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

write_config() {
  mkdir -p "$conf" "$logs" "$dir/checkpoints" "$dir/savepoints" "$dir/tmp" "$dir/uploads" "$dir/blobs"
  # Everything binds to 127.0.0.1; every port but REST's is picked free, so clusters do not collide.
  cat > "$conf/config.yaml" <<EOF
jobmanager.rpc.address: 127.0.0.1
jobmanager.rpc.port: $(free_port)
jobmanager.bind-host: 127.0.0.1
taskmanager.host: 127.0.0.1
taskmanager.bind-host: 127.0.0.1
taskmanager.rpc.port: $(free_port)
taskmanager.data.port: $(free_port)
blob.server.port: $(free_port)
rest.address: 127.0.0.1
rest.bind-address: 127.0.0.1
rest.port: $port
taskmanager.numberOfTaskSlots: $slots
parallelism.default: $slots
jobmanager.memory.heap.size: ${FLINK_JM_HEAP:-512m}
jobmanager.memory.jvm-metaspace.size: 384m
taskmanager.memory.task.heap.size: ${FLINK_TM_TASK_HEAP:-768m}
taskmanager.memory.managed.size: 64m
taskmanager.memory.jvm-metaspace.size: 384m
state.checkpoints.dir: file://$dir/checkpoints
state.savepoints.dir: file://$dir/savepoints
io.tmp.dirs: $dir/tmp
web.upload.dir: $dir/uploads
web.tmpdir: $dir/tmp
blob.storage.directory: $dir/blobs
EOF
  if [[ "$restart_strategy" == none ]]; then
    cat >> "$conf/config.yaml" <<'EOF'
# A failing job fails at once instead of restarting in a loop: a local cluster is for seeing problems.
restart-strategy.type: none
EOF
  else
    cat >> "$conf/config.yaml" <<EOF
# A failed job restarts from its last checkpoint, without limit, as the managed service restarts it.
restart-strategy.type: fixed-delay
restart-strategy.fixed-delay.attempts: 2147483647
restart-strategy.fixed-delay.delay: ${restart_delay_ms}ms
EOF
  fi
  if [[ -n "$heartbeat_interval_ms" ]]; then
    # The timeout stays Flink's 50 s, so a long pause of a busy JVM is no lost TaskManager; a dead one is
    # found by its failed heartbeats (heartbeat.rpc-failure-threshold, 2).
    echo "heartbeat.interval: $heartbeat_interval_ms" >> "$conf/config.yaml"
  fi
  if [[ -n "$checkpoint_ms" ]]; then
    echo "execution.checkpointing.interval: ${checkpoint_ms}ms" >> "$conf/config.yaml"
  fi
  cat > "$conf/log4j.properties" <<'EOF'
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = MainAppender
logger.hadoop.name = org.apache.hadoop
logger.hadoop.level = WARN
logger.parquet.name = org.apache.parquet
logger.parquet.level = WARN
appender.main.name = MainAppender
appender.main.type = File
appender.main.fileName = ${sys:log.file}
appender.main.append = false
appender.main.layout.type = PatternLayout
appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
EOF
  echo "$port" > "$dir/rest.port"
}

# resource_params JM|TM: the JVM memory flags and dynamic properties that Flink's own scripts compute.
resource_params() {
  local what="$1" output
  output="$("$JAVA" -cp "$CLASSPATH" org.apache.flink.runtime.util.bash.BashJavaUtils "GET_${what}_RESOURCE_PARAMS" \
    --configDir "$conf" 2>&1)" || die "BashJavaUtils failed for $what: $output"
  grep '^BASH_JAVA_UTILS_EXEC_RESULT:' <<<"$output" | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://' | tail -n 2
}

start_process() {
  local name="$1" pidfile="$2" main="$3" params="$4" jvm dynamic
  jvm="$(head -n1 <<<"$params")"; dynamic="$(tail -n1 <<<"$params")"
  # shellcheck disable=SC2086  # the computed flags and FLINK_JAVA_OPTS are space-separated words by design
  FLINK_CONF_DIR="$conf" start_daemon "$pidfile" "$logs/$name.out" \
    "$JAVA" $jvm "${JAVA17_OPENS[@]}" -XX:+UseParallelGC ${FLINK_JAVA_OPTS:-} \
    -Dlog.file="$logs/$name.log" -Dlog4j.configurationFile="file:$conf/log4j.properties" \
    -cp "$CLASSPATH" "$main" --configDir "$conf" $dynamic
}

fail_start() {
  log "the Flink cluster did not come up: $1"
  for f in "$logs"/*.out "$logs"/*.log; do
    [[ -f "$f" ]] || continue
    echo "----- tail of $f" >&2; tail -n 40 "$f" >&2
  done
  stop_daemon "$tm_pid"; stop_daemon "$jm_pid"
  exit 1
}

# use_flink_jars: fetches Flink's jars once and puts them on CLASSPATH.
use_flink_jars() {
  lib="$SERVERS_CACHE/flink-$FLINK_VERSION/lib"
  fetch_maven_deps "$SCRIPTS_DIR/servers/flink/pom.xml" "$lib" -Dflink.version="$FLINK_VERSION"
  CLASSPATH="$(find "$lib" -name '*.jar' | sort | paste -sd: -)"
}

# taskmanager_ids: the ids of the TaskManagers the JobManager knows, one a line.
taskmanager_ids() {
  curl -fsS --max-time 2 "$(rest_url)/taskmanagers" 2>/dev/null | jq -r '.taskmanagers[].id' 2>/dev/null
}

# has_new_taskmanager IDS: whether a TaskManager whose id is not among IDS (one a line) has registered.
has_new_taskmanager() {
  local known="$1" id
  while read -r id; do
    if [[ -n "$id" ]] && ! grep -qxF -- "$id" <<<"$known"; then return 0; fi
  done < <(taskmanager_ids)
  return 1
}

# has_all_slots: whether the one TaskManager has registered with all its slots.
has_all_slots() { [[ "$(registered_slots)" == "$slots" ]]; }

# registered_slots: the slot count of the one registered TaskManager, or nothing.
registered_slots() {
  curl -fsS --max-time 2 "$(rest_url)/taskmanagers" 2>/dev/null \
    | jq -r 'if (.taskmanagers | length) == 1 then .taskmanagers[0].slotsNumber else empty end' 2>/dev/null
}

case "$command" in
  start)
    if is_running "$jm_pid" || is_running "$tm_pid"; then die "a Flink cluster is already running from $dir"; fi
    if ! command -v curl >/dev/null || ! command -v jq >/dev/null; then die "start needs curl and jq"; fi
    if port_open "$port"; then die "port $port is already in use"; fi
    use_flink_jars
    begin=$(date +%s%N)
    write_config
    jm_params="$(resource_params JM)"; tm_params="$(resource_params TM)"
    start_process jobmanager "$jm_pid" org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint "$jm_params"
    start_process taskmanager "$tm_pid" org.apache.flink.runtime.taskexecutor.TaskManagerRunner "$tm_params"
    if ! wait_until "$START_SECONDS" "$(cat "$jm_pid") $(cat "$tm_pid")" has_all_slots; then
      is_running "$jm_pid" || fail_start "the JobManager exited"
      is_running "$tm_pid" || fail_start "the TaskManager exited"
      fail_start "no TaskManager with $slots slots registered within ${START_SECONDS}s"
    fi
    elapsed_ms=$(( ($(date +%s%N) - begin) / 1000000 ))
    echo "$elapsed_ms" > "$dir/start-millis"
    log "Flink $FLINK_VERSION session cluster up in $((elapsed_ms / 1000)).$(printf '%03d' $((elapsed_ms % 1000)))s:" \
      "REST and web UI $(rest_url), 1 TaskManager with $slots slots, logs in $logs"
    rest_url
    ;;
  status)
    if is_running "$jm_pid" && is_running "$tm_pid"; then
      echo "running: $(rest_url) ($(registered_slots) slots registered)"
    elif is_running "$jm_pid" || is_running "$tm_pid"; then
      echo "partly running: JobManager $(is_running "$jm_pid" && echo up || echo down)," \
        "TaskManager $(is_running "$tm_pid" && echo up || echo down)"; exit 1
    else
      echo "stopped"; exit 3
    fi
    ;;
  kill-taskmanager)
    is_running "$tm_pid" || die "no TaskManager runs from $dir"
    pid="$(cat "$tm_pid")"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid"
    wait_until 30 "" process_gone "$pid" || die "TaskManager $pid did not die"
    rm -f "$tm_pid"
    log "TaskManager $pid killed (SIGKILL)"
    ;;
  start-taskmanager)
    is_running "$jm_pid" || die "no JobManager runs from $dir"
    if is_running "$tm_pid"; then die "a TaskManager already runs from $dir"; fi
    use_flink_jars
    known="$(taskmanager_ids)"
    start_process "taskmanager-$(date +%s)" "$tm_pid" org.apache.flink.runtime.taskexecutor.TaskManagerRunner \
      "$(resource_params TM)"
    wait_until "$START_SECONDS" "$(cat "$tm_pid")" has_new_taskmanager "$known" \
      || die "the new TaskManager did not register within ${START_SECONDS}s; see $logs"
    log "a fresh TaskManager (pid $(cat "$tm_pid")) registered"
    ;;
  stop)
    stop_daemon "$tm_pid" 30
    stop_daemon "$jm_pid" 30
    log "Flink cluster in $dir stopped"
    ;;
  *) usage ;;
esac
