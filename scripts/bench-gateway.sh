#!/usr/bin/env bash
# Gateway load test: the stub upstream alone, our gateway (aperture-gateway, started by the examples'
# Gateway command with --config) in front of it, and
# Portkey's AI gateway in front of it, under the same wrk load at each concurrency. Everything listens
# on 127.0.0.1 only and every load is bounded in time; whatever this script starts it stops on exit.
#
#   scripts/bench-gateway.sh                 # 10 s per load, concurrency 10 and 50
#   DURATION=5s CONCURRENCY="10" scripts/bench-gateway.sh
#   GATEWAY_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/gw.jfr,settings=profile" scripts/bench-gateway.sh
#                                      # JVM flags for our gateway only (here: a JFR profile of the run)
#   GATEWAY_VARIANT_OPTS=-XX:TieredStopAtLevel=1 scripts/bench-gateway.sh  # also measure a second
#                                      gateway with these flags, as a diagnostic row beside the one as shipped
#
# Needs: java 17, the benchmarks jar (built here if missing), wrk (apt), node + npm (apt) for Portkey.
# Prints a Markdown table and writes it to aperture-benchmarks/target/gateway-results.md.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-8s}
CONCURRENCY=${CONCURRENCY:-"10 50"}
WRK_THREADS=${WRK_THREADS:-2}
STUB_PORT=${STUB_PORT:-18080}
GATEWAY_PORT=${GATEWAY_PORT:-18090}
PORTKEY_PORT=${PORTKEY_PORT:-18787}
GATEWAY_VARIANT_PORT=${GATEWAY_VARIANT_PORT:-18091}
PORTKEY_VERSION=${PORTKEY_VERSION:-1.15.2}
JAR=aperture-benchmarks/target/benchmarks.jar
PORTKEY_DIR=aperture-benchmarks/target/portkey   # under target/: ignored by git, removed by mvn clean
OUT=aperture-benchmarks/target/gateway-results.md
WORK=$(mktemp -d "${TMPDIR:-/tmp}/aperture-bench-gateway.XXXXXX")
MODEL="qwen/qwen3-235b-a22b-2507"
BODY='{"model":"'$MODEL'","messages":[{"role":"system","content":"You are a concise assistant."},{"role":"user","content":"Say hello in one short sentence."}],"temperature":0.7,"max_tokens":256}'

PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "bench-gateway: $*" >&2; }

apt_install() {
  if [ -z "${APT_UPDATED:-}" ]; then apt-get update -qq; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# --- tools -------------------------------------------------------------------------------------------
command -v wrk >/dev/null || { log "installing wrk"; apt_install wrk; }
command -v curl >/dev/null || { log "installing curl"; apt_install curl; }
command -v npm >/dev/null || { log "installing node and npm"; apt_install nodejs npm; }
if [ ! -f "$JAR" ]; then
  log "building $JAR"
  mvn -B -ntp -q -pl aperture-benchmarks -am package -Pbench -DskipTests
fi
if [ ! -f "$PORTKEY_DIR/node_modules/@portkey-ai/gateway/build/start-server.js" ]; then
  log "installing @portkey-ai/gateway@$PORTKEY_VERSION into $PORTKEY_DIR"
  mkdir -p "$PORTKEY_DIR"
  npm install --prefix "$PORTKEY_DIR" --no-audit --no-fund --silent "@portkey-ai/gateway@$PORTKEY_VERSION" >/dev/null
fi

# Portkey's start script listens on every interface; this preload pins every listen() to 127.0.0.1.
cat > "$WORK/loopback-only.cjs" <<'EOF'
const net = require('net');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (args[0] !== null && typeof args[0] === 'object') {
    args[0] = { ...args[0], host: '127.0.0.1' };
  } else if (typeof args[0] === 'number' || (typeof args[0] === 'string' && /^\d+$/.test(args[0]))) {
    if (typeof args[1] === 'string' || args[1] === undefined || args[1] === null) args[1] = '127.0.0.1';
    else args.splice(1, 0, '127.0.0.1');
  }
  return listen.apply(this, args);
};
EOF

lua_script() { # $1 = file, $2.. = extra "Name: value" headers
  local file=$1; shift
  {
    echo 'wrk.method = "POST"'
    echo "wrk.body = '$BODY'"
    echo 'wrk.headers["Content-Type"] = "application/json"'
    echo 'wrk.headers["Authorization"] = "Bearer sk-bench-client-key"'
    local header
    for header in "$@"; do echo "wrk.headers[\"${header%%: *}\"] = \"${header#*: }\""; done
  } > "$file"
}
lua_script "$WORK/plain.lua"
lua_script "$WORK/portkey.lua" "x-portkey-provider: openai" \
  "x-portkey-custom-host: http://127.0.0.1:$STUB_PORT/api/v1"

wait_for() { # $1 = name, $2 = url that answers once ready, $3.. = curl args
  local name=$1 url=$2; shift 2
  local i
  for i in $(seq 1 120); do
    if curl -fsS -m 2 -o /dev/null "$@" "$url" 2>/dev/null; then return 0; fi
    sleep 0.5
  done
  log "$name did not become ready at $url"; return 1
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "$STUB_PORT" "$GATEWAY_PORT" "$GATEWAY_VARIANT_PORT" "$PORTKEY_PORT"; do
  port_free "$port" || { log "port $port on 127.0.0.1 is in use; set STUB_PORT/GATEWAY_PORT/PORTKEY_PORT"; exit 1; }
done

start_gateway() { # $1 = port, $2 = extra JVM flags, $3 = log name
  local port=$1 extra=$2 name=$3
  log "starting our gateway ($GATEWAY_MAIN $extra) on 127.0.0.1:$port"
  # One OpenRouter provider whose base URL is the stub; every caller may use every model. The key is a
  # dummy: it is set so the examples run "online", i.e. with this file as written.
  cat > "$WORK/aperture-bench.hujson" <<CONFIG
{
  "providers": {
    "openrouter": {
      "baseurl": "http://127.0.0.1:$STUB_PORT/api/",
      "apikey": "\${OPENROUTER_API_KEY}",
      "models": ["$MODEL"],
    },
  },
  "grants": [
    { "src": ["*"], "app": { "tailscale.com/cap/aperture": [ { "role": "user", "models": ["openrouter/**"] } ] } },
  ],
}
CONFIG
  # shellcheck disable=SC2086
  env -u APERTURE_OFFLINE OPENROUTER_API_KEY=sk-or-v1-benchmark-dummy \
    java $JAVA_OPTS $extra -cp "$JAR" "$GATEWAY_MAIN" --config "$WORK/aperture-bench.hujson" --port "$port" \
    > "$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  wait_for "$name" "http://127.0.0.1:$port/v1/models" || { cat "$WORK/$name.log" >&2; exit 1; }
}

# --- servers -----------------------------------------------------------------------------------------
JAVA_OPTS=${JAVA_OPTS:-"-Xms512m -Xmx512m"}
log "starting the stub upstream on 127.0.0.1:$STUB_PORT"
# shellcheck disable=SC2086
java $JAVA_OPTS -cp "$JAR" dev.aperture.benchmarks.StubUpstream "$STUB_PORT" > "$WORK/stub.log" 2>&1 &
PIDS+=($!)
wait_for stub "http://127.0.0.1:$STUB_PORT/health"

GATEWAY_URL="http://127.0.0.1:$GATEWAY_PORT/v1/chat/completions"
GATEWAY_CURL_HEADERS=()
GATEWAY_LUA_HEADERS=()
GATEWAY_MAIN=${GATEWAY_MAIN:-dev.aperture.examples.Gateway}
TARGETS=(stub gateway portkey)
GATEWAY_VARIANT_URL="http://127.0.0.1:$GATEWAY_VARIANT_PORT/v1/chat/completions"
if jar tf "$JAR" | grep -q "^${GATEWAY_MAIN//.//}.class$"; then
  start_gateway "$GATEWAY_PORT" "${GATEWAY_JAVA_OPTS:-}" gateway
  if [ -n "${GATEWAY_VARIANT_OPTS:-}" ]; then
    start_gateway "$GATEWAY_VARIANT_PORT" "$GATEWAY_VARIANT_OPTS" variant
    TARGETS=(stub gateway variant portkey)
  fi
else
  log "WARNING: $GATEWAY_MAIN is not in $JAR: measuring the stub and Portkey only"
  TARGETS=(stub portkey)
fi

log "starting Portkey's gateway on 127.0.0.1:$PORTKEY_PORT"
TRUSTED_CUSTOM_HOSTS=127.0.0.1 node --require "$WORK/loopback-only.cjs" \
  "$PORTKEY_DIR/node_modules/@portkey-ai/gateway/build/start-server.js" --port="$PORTKEY_PORT" --headless \
  > "$WORK/portkey.log" 2>&1 &
PIDS+=($!)
PORTKEY_URL="http://127.0.0.1:$PORTKEY_PORT/v1/chat/completions"
wait_for portkey "$PORTKEY_URL" -X POST -H 'Content-Type: application/json' \
  -H 'x-portkey-provider: openai' -H "x-portkey-custom-host: http://127.0.0.1:$STUB_PORT/api/v1" \
  -H 'Authorization: Bearer sk-bench-client-key' -d "$BODY"

STUB_URL="http://127.0.0.1:$STUB_PORT/api/v1/chat/completions"
# Each target must answer the stub's completion before it is loaded: a fast error is not a result.
check_answer() { # $1 = name, $2 = url, $3 = lua-equivalent curl headers...
  local name=$1 url=$2; shift 2
  curl -fsS -m 5 -X POST -H 'Content-Type: application/json' -H 'Authorization: Bearer sk-bench-client-key' \
    "$@" -d "$BODY" "$url" | grep -q '"Hello! How can I help you today?"' \
    || { log "$name did not answer the stub's completion"; exit 1; }
}
check_answer stub "$STUB_URL"
if [[ " ${TARGETS[*]} " == *" gateway "* ]]; then
  check_answer gateway "$GATEWAY_URL" "${GATEWAY_CURL_HEADERS[@]}"
fi
if [[ " ${TARGETS[*]} " == *" variant "* ]]; then
  check_answer variant "$GATEWAY_VARIANT_URL" "${GATEWAY_CURL_HEADERS[@]}"
fi
check_answer portkey "$PORTKEY_URL" -H 'x-portkey-provider: openai' \
  -H "x-portkey-custom-host: http://127.0.0.1:$STUB_PORT/api/v1"

# --- load ----------------------------------------------------------------------------------------------
to_ms() { # wrk latency such as 812.00us, 1.25ms, 2.01s -> milliseconds
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v }
    else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.3f", v * 1000 }
    else printf "nan" }'
}

stub_connections() { curl -fsS -m 5 "http://127.0.0.1:$STUB_PORT/stats" | sed 's/.*"connections":\([0-9]*\).*/\1/'; }

declare -A RPS P50 P99 ERRORS CONNECTIONS
run_load() { # $1 = name, $2 = url, $3 = lua, $4 = connections
  local name=$1 url=$2 lua=$3 c=$4 file="$WORK/$1-$4.txt" before
  log "load: $name, $c connections, $DURATION"
  before=$(stub_connections)
  wrk -t"$WRK_THREADS" -c"$c" -d"$DURATION" --latency -s "$lua" "$url" > "$file"
  # Connections the stub accepted during the load: wrk's own for the stub alone; for a gateway, more
  # than its concurrency means it does not keep its upstream connections alive.
  CONNECTIONS[$name,$c]=$(( $(stub_connections) - before ))
  RPS[$name,$c]=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$file")
  P50[$name,$c]=$(to_ms "$(awk '$1 == "50%" {print $2}' "$file")")
  P99[$name,$c]=$(to_ms "$(awk '$1 == "99%" {print $2}' "$file")")
  local non2xx socket
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$file")
  socket=$(awk '/Socket errors:/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$file")
  ERRORS[$name,$c]=$(( ${non2xx:-0} + ${socket:-0} ))
}

declare -A URL=([stub]="$STUB_URL" [gateway]="$GATEWAY_URL" [variant]="$GATEWAY_VARIANT_URL" [portkey]="$PORTKEY_URL")
declare -A LUA=([stub]="$WORK/plain.lua" [gateway]="$WORK/gateway.lua" [variant]="$WORK/gateway.lua" [portkey]="$WORK/portkey.lua")
lua_script "$WORK/gateway.lua" "${GATEWAY_LUA_HEADERS[@]}"

for target in "${TARGETS[@]}"; do
  log "warm-up: $target, $WARMUP"
  wrk -t"$WRK_THREADS" -c10 -d"$WARMUP" -s "${LUA[$target]}" "${URL[$target]}" > /dev/null
done
for c in $CONCURRENCY; do
  for target in "${TARGETS[@]}"; do
    run_load "$target" "${URL[$target]}" "${LUA[$target]}" "$c"
  done
done

# --- table -----------------------------------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "nan"; else printf "%.2f", a / b }'; }
holds() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN {
  ok = (op == ">=") ? (v + 0 >= t + 0) : (v + 0 <= t + 0); print (v == "nan" ? "**missed**" : ok ? "**holds**" : "**missed**") }'; }
{
  echo "### 5. Gateway under load (wrk, $WRK_THREADS threads, $DURATION per row, all on 127.0.0.1)"
  echo
  echo "| target | connections | req/s | p50 ms | p99 ms | errors | upstream connections opened |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for c in $CONCURRENCY; do
    for target in "${TARGETS[@]}"; do
      label=$target
      case $target in
        stub) label="stub upstream alone" ;;
        gateway) label="aperture-gateway (Netty) → stub${GATEWAY_JAVA_OPTS:+ ($GATEWAY_JAVA_OPTS)}" ;;
        variant) label="(diagnostic) the same gateway with $GATEWAY_VARIANT_OPTS" ;;
        portkey) label="Portkey gateway $PORTKEY_VERSION → stub" ;;
      esac
      echo "| $label | $c | ${RPS[$target,$c]} | ${P50[$target,$c]} | ${P99[$target,$c]} | ${ERRORS[$target,$c]} | ${CONNECTIONS[$target,$c]} |"
    done
  done
  echo
  for c in $CONCURRENCY; do
    [[ " ${TARGETS[*]} " == *" gateway "* ]] || continue
    t=$(ratio "${RPS[gateway,$c]}" "${RPS[portkey,$c]}")
    p=$(ratio "${P99[gateway,$c]}" "${P99[portkey,$c]}")
    s=$(ratio "${RPS[gateway,$c]}" "${RPS[stub,$c]}")
    echo "- $(holds "$t" ">=" 10): $c connections, gateway ÷ Portkey throughput = $t (target ≥ 10)"
    echo "- $(holds "$p" "<=" 0.1): $c connections, gateway ÷ Portkey p99 = $p (target ≤ 0.1)"
    echo "- $(holds "$s" ">=" 0.33): $c connections, gateway ÷ stub alone throughput = $s (target ≥ 0.33)"
  done
} | tee "$OUT"
