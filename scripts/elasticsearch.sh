#!/usr/bin/env bash
# Runs a single-node Elasticsearch 7.17 or OpenSearch 2.19 on 127.0.0.1, from the integration-test zips
# that Maven Central serves (no Docker, no package needed).
#
#   scripts/elasticsearch.sh start  [--dir DIR] [--port PORT] [--flavor elasticsearch|opensearch] [--secure]
#   scripts/elasticsearch.sh stop   [--dir DIR]
#   scripts/elasticsearch.sh status [--dir DIR]
#
# DIR (default output/elasticsearch) keeps the configuration, data and logs, so stop + start on the same
# DIR keeps the documents (and reuses the flavor and port). start returns once GET / answers and the
# cluster is yellow, or exits 1 with the log's tail.
# Elasticsearch and OpenSearch refuse to run as root: when this script runs as root it runs the server
# as the system user taxietl-search (created if missing) and hands DIR to it.
#
# --secure (Elasticsearch only: OpenSearch's integ-test zip has no security plugin) serves https with a
# self-signed certificate for 127.0.0.1 and requires basic auth. It writes, readable by the caller only:
#   DIR/truststore.p12   the certificate, for clients (password: changeit)
#   DIR/http-ca.pem      the same certificate as PEM
#   DIR/credentials      user=taxietl and password=<random>, a superuser of the file realm
# The password is never printed. TAXIETL_ELASTICSEARCH_PASSWORD (16 or more letters and digits), if set, is the
# password of the first secure start in DIR instead of a random one (.ci/run sets it, to search the whole suite's
# output for it afterwards).

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ES_VERSION=7.17.29
OPENSEARCH_VERSION=2.19.6
SERVICE_USER=taxietl-search
START_SECONDS=120
HEAP=512m

usage() {
  sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

command="${1:-}"
[[ -n "$command" ]] || usage
shift
dir="$REPO_DIR/output/elasticsearch"
port=""
flavor=""
secure=""
while (( $# > 0 )); do
  case "$1" in
    --secure) secure=true; shift ;;
    --dir) dir="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --flavor) flavor="$2"; shift 2 ;;
    *) usage ;;
  esac
done
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
pidfile="$dir/server.pid"

saved() {
  if [[ -f "$dir/server.env" ]]; then sed -n "s/^$1=//p" "$dir/server.env"; fi
}

# A restart on the same DIR uses the flavor, port and security it was started with, unless told otherwise.
port="${port:-$(saved port)}"
secure="${secure:-$(saved secure)}"
port="${port:-9200}"
flavor="${flavor:-$(saved flavor)}"
flavor="${flavor:-elasticsearch}"
[[ "$port" =~ ^[0-9]+$ ]] || die "--port must be a number, was '$port'"
[[ "$flavor" == elasticsearch || "$flavor" == opensearch ]] \
  || die "--flavor must be elasticsearch or opensearch, was '$flavor'"
[[ -z "$secure" || "$flavor" == elasticsearch ]] \
  || die "--secure needs --flavor elasticsearch: the OpenSearch integ-test zip has no security plugin"
scheme=http
[[ -n "$secure" ]] && scheme=https

# The distribution must be readable by the service user, and root's home is not: as root, unpack
# below /var/cache unless the cache folder was chosen explicitly.
if [[ $EUID -eq 0 && -z "${TAXIETL_SERVERS_CACHE:-}" ]]; then
  SERVERS_CACHE=/var/cache/taxietl-servers
fi

# install FLAVOR: prints the folder of the unpacked distribution, fetching and unpacking it once.
install() {
  local group artifact version
  case "$1" in
    elasticsearch) group=org.elasticsearch.distribution.integ-test-zip; artifact=elasticsearch; version=$ES_VERSION ;;
    opensearch) group=org.opensearch.distribution.integ-test-zip; artifact=opensearch; version=$OPENSEARCH_VERSION ;;
    *) die "--flavor must be elasticsearch or opensearch, was '$1'" ;;
  esac
  local home="$SERVERS_CACHE/$artifact-$version"
  if [[ ! -f "$home/.complete" ]]; then
    log "fetching $group:$artifact:$version:zip from Maven Central"
    local download; download="$(mktemp -d)"
    mvn -q -B -ntp -Dstyle.color=never dependency:copy -Dartifact="$group:$artifact:$version:zip" -DoutputDirectory="$download" >&2
    mkdir -p "$SERVERS_CACHE"
    rm -rf "$home" "$home.tmp"
    mkdir -p "$home.tmp"
    unzip -q "$download/$artifact-$version.zip" -d "$home.tmp"
    mv "$home.tmp/$artifact-$version" "$home"
    rm -rf "$home.tmp" "$download"
    chmod -R a+rX "$home"
    touch "$home/.complete"
  fi
  echo "$home"
}

java_home() {
  if [[ -n "${JAVA_HOME:-}" ]]; then echo "$JAVA_HOME"; return; fi
  dirname "$(dirname "$(readlink -f "$(command -v java)")")"
}

ensure_service_user() {
  if ! id "$SERVICE_USER" >/dev/null 2>&1; then
    log "creating system user $SERVICE_USER (the server refuses to run as root)"
    useradd --system --no-create-home --shell /usr/sbin/nologin "$SERVICE_USER"
  fi
}

is_running() {
  [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

# curl_es PATH [CURL ARGS...]: a request to the server, with the CA and credentials of --secure.
curl_es() {
  local path="$1"; shift
  local -a auth=()
  if [[ -n "$secure" ]]; then auth=(--cacert "$dir/http-ca.pem" -K "$dir/curl.conf"); fi
  curl -fsS "${auth[@]}" "$@" "$scheme://127.0.0.1:$port$path"
}

answers() {
  curl_es / --max-time 2 >/dev/null 2>&1
}

# secure_setup CONF HOME JAVA: certificate, trust store and a file-realm user, once per DIR.
secure_setup() {
  local conf="$1" home="$2" java="$3"
  if [[ ! -f "$dir/http.key" ]]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=localhost" \
      -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
      -keyout "$dir/http.key" -out "$dir/http-ca.pem" 2>/dev/null
    rm -f "$dir/truststore.p12"
    keytool -importcert -noprompt -alias taxietl-local -file "$dir/http-ca.pem" \
      -keystore "$dir/truststore.p12" -storetype PKCS12 -storepass changeit >/dev/null 2>&1
    local password
    password="${TAXIETL_ELASTICSEARCH_PASSWORD:-}"
    if [[ -z "$password" ]]; then
      password="$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24)"
    elif [[ ! "$password" =~ ^[A-Za-z0-9]{16,}$ ]]; then
      die "TAXIETL_ELASTICSEARCH_PASSWORD must be 16 or more letters and digits"
    fi
    (umask 077; printf 'user=taxietl\npassword=%s\n' "$password" > "$dir/credentials"
     printf 'user = "taxietl:%s"\n' "$password" > "$dir/curl.conf")
  fi
  cp "$dir/http.key" "$dir/http-ca.pem" "$conf/"
  local password
  password="$(sed -n 's/^password=//p' "$dir/credentials")"
  : > "$conf/users"
  : > "$conf/users_roles"
  cp "$home/config/roles.yml" "$home/config/role_mapping.yml" "$conf/"
  # elasticsearch-users reads the password from its -p argument only; it runs for a second.
  ES_JAVA_HOME="$java" ES_PATH_CONF="$conf" "$home/bin/elasticsearch-users" useradd taxietl \
    -p "$password" -r superuser >/dev/null 2>&1 || die "could not create the user taxietl"
}

write_config() {
  local conf="$1" home="$2"
  mkdir -p "$conf" "$dir/data" "$dir/logs" "$dir/tmp"
  cp "$home/config/log4j2.properties" "$conf/"
  # Heap and GC: the distribution's jvm.options plus a small fixed heap.
  # Log, error and heap-dump files go below DIR (the distribution's options name paths relative to
  # the working directory).
  { grep -v -E '^-Xm[sx]' "$home/config/jvm.options" \
      | sed -e "s|file=logs/|file=$dir/logs/|" -e "s|ErrorFile=logs/|ErrorFile=$dir/logs/|" \
            -e "s|HeapDumpPath=data|HeapDumpPath=$dir/logs|"
    echo "-Xms$HEAP"; echo "-Xmx$HEAP"; } > "$conf/jvm.options"
  mkdir -p "$conf/jvm.options.d"
  local settings
  settings="cluster.name: taxietl-local
node.name: local
network.host: 127.0.0.1
http.port: $port
discovery.type: single-node
path.data: $dir/data
path.logs: $dir/logs
cluster.routing.allocation.disk.threshold_enabled: false"
  if [[ "$flavor" == elasticsearch && -n "$secure" ]]; then
    settings+="
xpack.security.enabled: true
xpack.security.http.ssl.enabled: true
xpack.security.http.ssl.certificate: http-ca.pem
xpack.security.http.ssl.key: http.key
xpack.security.authc.api_key.enabled: true"
    echo "$settings" > "$conf/elasticsearch.yml"
  elif [[ "$flavor" == elasticsearch ]]; then
    settings+="
xpack.security.enabled: false"
    echo "$settings" > "$conf/elasticsearch.yml"
  else
    # Report version 7.10.2 on GET /, as Elasticsearch clients that check the version expect.
    settings+="
compatibility.override_main_response_version: true"
    echo "$settings" > "$conf/opensearch.yml"
  fi
  # The flavor and port this folder was started with, so a restart uses the same ones.
  printf 'flavor=%s\nport=%s\nsecure=%s\n' "$flavor" "$port" "$secure" > "$dir/server.env"
}

start() {
  if is_running; then
    log "already running (pid $(cat "$pidfile")) on port $(saved port)"
    return 0
  fi
  if answers "$port"; then die "something already answers on 127.0.0.1:$port"; fi
  local home conf java
  home="$(install "$flavor")"
  conf="$dir/config"
  java="$(java_home)"
  write_config "$conf" "$home"
  if [[ -n "$secure" ]]; then secure_setup "$conf" "$home" "$java"; fi
  local -a run=()
  if [[ $EUID -eq 0 ]]; then
    ensure_service_user
    chown -R "$SERVICE_USER" "$dir"
    # What the caller reads (credentials, trust store) stays the caller's.
    if [[ -n "$secure" ]]; then chown root "$dir/credentials" "$dir/curl.conf" "$dir/truststore.p12"; fi
    # The service user must be able to reach DIR through its parents.
    run=(runuser -u "$SERVICE_USER" --)
  fi
  local launcher
  cd "$dir" || die "cannot enter $dir"
  if [[ "$flavor" == elasticsearch ]]; then
    launcher="$home/bin/elasticsearch"
    start_daemon "$pidfile" "$dir/logs/console.log" "${run[@]}" env \
      ES_JAVA_HOME="$java" ES_PATH_CONF="$conf" ES_TMPDIR="$dir/tmp" ES_JAVA_OPTS="" "$launcher"
  else
    launcher="$home/bin/opensearch"
    start_daemon "$pidfile" "$dir/logs/console.log" "${run[@]}" env \
      OPENSEARCH_JAVA_HOME="$java" OPENSEARCH_PATH_CONF="$conf" OPENSEARCH_TMPDIR="$dir/tmp" \
      OPENSEARCH_JAVA_OPTS="" "$launcher"
  fi
  log "starting $flavor on 127.0.0.1:$port (data in $dir)"
  if wait_until "$START_SECONDS" "$(cat "$pidfile")" answers; then
    # GET / answers before the shards of existing indexes are recovered: wait for those too.
    curl_es "/_cluster/health?wait_for_status=yellow&timeout=60s" --max-time 65 \
      >/dev/null || die "$flavor answers on port $port but its cluster did not turn yellow"
    log "$flavor answers on $scheme://127.0.0.1:$port"
    echo "$scheme://127.0.0.1:$port"
    return 0
  fi
  if is_running; then
    echo "error: $flavor did not answer on 127.0.0.1:$port within ${START_SECONDS}s; last lines of its log:" >&2
  else
    echo "error: $flavor exited before answering on 127.0.0.1:$port; last lines of its log:" >&2
  fi
  tail -n 40 "$dir/logs/console.log" >&2 || true
  stop_daemon "$pidfile" 20
  exit 1
}

stop() {
  if is_running; then
    log "stopping the server in $dir"
  fi
  stop_daemon "$pidfile" 60
}

status() {
  if is_running; then
    echo "running: $flavor pid $(cat "$pidfile") on $scheme://127.0.0.1:$port"
    curl_es / --max-time 2 || true
  else
    echo "stopped"
    return 3
  fi
}

case "$command" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) usage ;;
esac
