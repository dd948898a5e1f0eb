#!/usr/bin/env bash
# Real clients against the dev server (called by .ci/run after `mvn verify`, so dev/server/target/eventsink-dev.jar
# exists): the Common Media Library's CMCD reporter and the EPAS web SDK, dash.js and Shaka Player playing a local
# DASH stream in headless Chromium, all posting to EventSink; the tests read back what it stored (README.md).
#
#  1. installs the pinned npm packages (npm ci, only when package-lock.json changed since the last install),
#  2. starts EventSink in dev mode (embedded ElasticMQ) with CORS_ALLOWED_ORIGINS = the test pages' origin,
#  3. runs the tests (node --test, one file after the other), and always stops the service.
# Takes 50-75 s once the packages are installed (npm ci: about 35 s more). Traffic stays on 127.0.0.1.
#
# Knobs (env, all optional):
#   JAVA_HOME                 JDK 25 used to run the jar (default: what .ci/jdk.sh picks)
#   EVENTSINK_DEV_JAR         jar to start (default dev/server/target/eventsink-dev.jar)
#   CLIENTS_PORT, CLIENTS_MANAGEMENT_PORT, CLIENTS_SQS_PORT   the service's ports (3300, 9390, 9624)
#   CLIENTS_PAGES_PORT        port of the test pages' origin (8780)
#   CHROMIUM                  the browser (default /usr/bin/chromium, Debian's package; installed when missing)
#   SQS_MESSAGE_FORMAT        passed to the service (the tests read either queue format)
set -euo pipefail

CLIENTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$CLIENTS/.." && pwd)"
JAR="${EVENTSINK_DEV_JAR:-$ROOT/dev/server/target/eventsink-dev.jar}"
PORT="${CLIENTS_PORT:-3300}"
MGMT_PORT="${CLIENTS_MANAGEMENT_PORT:-9390}"
SQS_PORT="${CLIENTS_SQS_PORT:-9624}"
PAGES_PORT="${CLIENTS_PAGES_PORT:-8780}"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
RESULTS="$CLIENTS/results"
SERVICE_LOG="$RESULTS/service.log"
export NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}" no_proxy="127.0.0.1,localhost${no_proxy:+,$no_proxy}"
START_EPOCH=$(date +%s)

log() { printf '[clients %3ss] %s\n' "$(($(date +%s) - START_EPOCH))" "$*"; }
die() { log "ERROR: $*"; exit 1; }

# 1. node, the packages, the browser
command -v node >/dev/null && command -v npm >/dev/null || die "node and npm are needed (Node 20 or newer)"
[ "$(node -p 'process.versions.node.split(".")[0]')" -ge 20 ] || die "Node $(node -v) is too old: 20 or newer"
LOCK_SUM=$(sha256sum "$CLIENTS/package-lock.json" | cut -d' ' -f1)
STAMP="$CLIENTS/node_modules/.installed-from-lock"
if [ "$(cat "$STAMP" 2>/dev/null)" != "$LOCK_SUM" ]; then
    log "npm ci (package-lock.json changed or never installed)"
    (cd "$CLIENTS" && npm ci --prefer-offline --no-audit --no-fund --loglevel=error) || die "npm ci failed"
    echo "$LOCK_SUM" >"$STAMP"
fi
if [ ! -x "$CHROMIUM" ]; then
    log "$CHROMIUM not found: installing Debian's chromium package"
    SUDO=""
    if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
    [ -x "$CHROMIUM" ] || die "no browser at $CHROMIUM"
fi

# 2. the service
. "$ROOT/.ci/jdk.sh"
[ -f "$JAR" ] || die "$JAR not found (run mvn verify, or mvn -pl dev/server -am -DskipTests package, first)"
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "$PORT" "$MGMT_PORT" "$SQS_PORT" "$PAGES_PORT"; do
    port_in_use "$p" && die "port $p on 127.0.0.1 is already in use"
done
rm -rf "$RESULTS"
mkdir -p "$RESULTS"
SERVICE_PID=""
stop_service() {
    if [ -n "$SERVICE_PID" ] && kill -0 "$SERVICE_PID" 2>/dev/null; then
        kill -TERM "$SERVICE_PID" 2>/dev/null
        for _ in $(seq 1 100); do
            kill -0 "$SERVICE_PID" 2>/dev/null || break
            sleep 0.2
        done
        kill -KILL "$SERVICE_PID" 2>/dev/null || true
        wait "$SERVICE_PID" 2>/dev/null || true
    fi
    SERVICE_PID=""
}
trap stop_service EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PORT="$PORT" MANAGEMENT_PORT="$MGMT_PORT" DEV_SQS_PORT="$SQS_PORT" HOST=127.0.0.1 LOG_LEVEL=INFO \
    CORS_ALLOWED_ORIGINS="http://127.0.0.1:$PAGES_PORT" SHUTDOWN_TIMEOUT_MS=5000 \
    java -jar "$JAR" >"$SERVICE_LOG" 2>&1 &
SERVICE_PID=$!
deadline=$(($(date +%s) + 90))
until [ "$(curl -s --noproxy '*' -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$MGMT_PORT/health/ready")" = 200 ]; do
    kill -0 "$SERVICE_PID" 2>/dev/null || { tail -n 30 "$SERVICE_LOG"; SERVICE_PID=""; die "the service exited before it was ready"; }
    [ "$(date +%s)" -lt "$deadline" ] || { tail -n 30 "$SERVICE_LOG"; die "the service was not ready within 90 s"; }
    sleep 0.3
done
QUEUE_URL=$(sed -n 's/.*queue URL: *\([^ ]*\).*/\1/p' "$SERVICE_LOG" | tail -n 1)
[ -n "$QUEUE_URL" ] || die "no 'queue URL:' line in $SERVICE_LOG"
log "service ready on :$PORT (queue $QUEUE_URL)"

# 3. the tests
rc=0
(cd "$CLIENTS" && EVENTSINK_URL="http://127.0.0.1:$PORT" EVENTSINK_MANAGEMENT_URL="http://127.0.0.1:$MGMT_PORT" \
    EVENTSINK_QUEUE_URL="$QUEUE_URL" EVENTSINK_LOG="$SERVICE_LOG" CLIENTS_PAGES_PORT="$PAGES_PORT" \
    node --test --test-concurrency=1 --test-timeout=120000 test/) || rc=$?
stop_service
if [ "$rc" != 0 ]; then
    log "FAILED; the service's last lines (${SERVICE_LOG#"$ROOT"/}):"
    grep -vE '^\{' "$SERVICE_LOG" | tail -n 20 | sed 's/^/    /'
fi
log "done in $(($(date +%s) - START_EPOCH)) s"
exit "$rc"
