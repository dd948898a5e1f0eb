#!/usr/bin/env bash
# Load-test gate for CI (called by .ci/run after `mvn verify`, so dev/server/target/eventsink-dev.jar exists).
#
#  1. runs the unit tests of its own checks (loadtest/ci/), installs Debian's python3-locust when
#     `locust` is missing,
#  2. starts EventSink in dev mode (embedded ElasticMQ), in the queue format SQS_MESSAGE_FORMAT, and
#     waits for /health/ready,
#  3. after a 5 s warm-up, runs EventSinkUser, HighVolumeEventSinkUser, InvalidEventUser, CmcdEventUser
#     and BatchEventSinkUser headless (~20 s each), then a mixed run of all five, each with the
#     pass/fail gate of locustfile.py,
#  4. checks through /metrics that every accepted event was delivered, that the service counted
#     exactly what the runs were told was stored (single events, batch results, the EPAS events
#     CMCD reports map to, skipped CMCD reports: the runs' LOADTEST_TALLY_FILE), and through the
#     embedded queue that they are all there, every message in the format the service was started with
#     (one event per message with its Event/Time attributes, or packed NDJSON envelopes), and
#  5. always stops the service.
# Exit status: 0 when every run passed its gate, 1 otherwise. Results (CSV, HTML, logs, a metrics
# snapshot) are left in loadtest/results/. Takes about 180 s. Traffic goes to 127.0.0.1 only.
#
# Knobs (env, all optional):
#   JAVA_HOME                  JDK 25 used to run the jar (default: temurin-25 if present, else java on PATH)
#   EVENTSINK_DEV_JAR          jar to start (default dev/server/target/eventsink-dev.jar)
#   LOADTEST_PORT              public port given to the service as PORT (default 3000)
#   LOADTEST_MANAGEMENT_PORT   management port given as MANAGEMENT_PORT (default 9090)
#   LOADTEST_SQS_PORT          port of the embedded ElasticMQ, given as DEV_SQS_PORT (default 9324)
#   LOADTEST_RUN_TIME          duration of each single-class run (default 20s)
#   LOADTEST_MIXED_RUN_TIME    duration of the mixed run (default 20s)
#   LOADTEST_MAX_FAILURE_RATIO gate: failure ratio (default 0: any failed request fails CI)
#   LOADTEST_MAX_P95_MS        gate: p95 of each run in ms (default 250, plus the pack linger when packed)
#   LOADTEST_BATCH_MAX_P95_MS  gate: p95 of the BatchEventSinkUser run in ms (default 500: a batch of up to
#                              100 events waits for ~10 SendMessageBatch calls; plus the linger when packed)
#   SQS_MESSAGE_FORMAT         queue format given to the service: event (default) or packed; the queue check
#                              then wants every message in that format (docs/queue-format.md)
#   SQS_PACK_COMPRESSION       with packed: none (default) or gzip, given to the service and checked
#   SQS_PACK_MAX_BYTES, SQS_PACK_LINGER_MS  with packed: passed to the service as they are, when set
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOADTEST_DIR="$ROOT/loadtest"
RESULTS="$LOADTEST_DIR/results"
LOCUSTFILE="$LOADTEST_DIR/locustfile.py"
CHECKS="$LOADTEST_DIR/ci"
MESSAGE_FORMAT="${SQS_MESSAGE_FORMAT:-event}"
PACK_COMPRESSION="${SQS_PACK_COMPRESSION:-none}"
JAR="${EVENTSINK_DEV_JAR:-$ROOT/dev/server/target/eventsink-dev.jar}"
PORT="${LOADTEST_PORT:-3000}"
MGMT_PORT="${LOADTEST_MANAGEMENT_PORT:-9090}"
SQS_PORT="${LOADTEST_SQS_PORT:-9324}"
HOST_URL="http://127.0.0.1:$PORT"
MGMT_URL="http://127.0.0.1:$MGMT_PORT"
RUN_TIME="${LOADTEST_RUN_TIME:-20s}"
MIXED_RUN_TIME="${LOADTEST_MIXED_RUN_TIME:-20s}"
export LOADTEST_MAX_FAILURE_RATIO="${LOADTEST_MAX_FAILURE_RATIO:-0}"
# packed, a busy sink lets each pack wait up to its linger to fill: that much more per answer is by design
LINGER_MS=0
[ "$MESSAGE_FORMAT" = packed ] && LINGER_MS="${SQS_PACK_LINGER_MS:-100}"
export LOADTEST_MAX_P95_MS="${LOADTEST_MAX_P95_MS:-$((250 + LINGER_MS))}"
BATCH_MAX_P95_MS="${LOADTEST_BATCH_MAX_P95_MS:-$((500 + LINGER_MS))}"
READY_TIMEOUT_S=90
# all traffic is local: never through a proxy (requests, curl and urllib honour these)
export NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}" no_proxy="127.0.0.1,localhost${no_proxy:+,$no_proxy}"
# no __pycache__ in the source tree (the chart and the image ship loadtest/ as it is)
export PYTHONDONTWRITEBYTECODE=1
START_EPOCH=$(date +%s)

log() { printf '[loadtest-gate %3ss] %s\n' "$(($(date +%s) - START_EPOCH))" "$*"; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------------------------------------
# 1. the checks' own tests, locust
# ---------------------------------------------------------------------------------------------
case "$MESSAGE_FORMAT" in event | packed) ;; *) die "SQS_MESSAGE_FORMAT must be event or packed, not '$MESSAGE_FORMAT'" ;; esac
case "$PACK_COMPRESSION" in none | gzip) ;; *) die "SQS_PACK_COMPRESSION must be none or gzip, not '$PACK_COMPRESSION'" ;; esac
# the queue check reads both formats; its tests run on hand-made messages of each
python3 -m unittest discover -s "$CHECKS" -q 2>&1 | sed 's/^/    /'
[ "${PIPESTATUS[0]}" = 0 ] || die "the unit tests of loadtest/ci/ failed"

pick_locust() { # the first locust that actually runs (a stale pyenv shim may be on the PATH)
    local candidate
    for candidate in "$(command -v locust 2>/dev/null)" /usr/bin/locust; do
        if [ -n "$candidate" ] && [ -x "$candidate" ] && "$candidate" --version >/dev/null 2>&1; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}
if ! LOCUST=$(pick_locust); then
    log "locust not found: installing python3-locust with apt-get"
    SUDO=""
    if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq >/dev/null || die "apt-get update failed"
    $SUDO apt-get install -y -qq python3-locust >/dev/null || die "apt-get install python3-locust failed"
    LOCUST=$(pick_locust) || die "locust does not run even after installing python3-locust"
fi
LOCUST_VERSION=$("$LOCUST" --version 2>&1 | head -n 1 | sed 's/^locust *//')
if [ -z "${LOCUST_VERSION// /}" ]; then # Debian's build reports an empty version
    LOCUST_VERSION="python3-locust $(dpkg-query -W -f '${Version}' python3-locust 2>/dev/null || echo '?')"
fi
log "locust: $LOCUST ($LOCUST_VERSION)"

# ---------------------------------------------------------------------------------------------
# 2. the service (dev mode: embedded ElasticMQ, no AWS)
# ---------------------------------------------------------------------------------------------
if [ -n "${JAVA_HOME:-}" ]; then
    JAVA="$JAVA_HOME/bin/java"
elif [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
    JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
else
    JAVA="$(command -v java || true)"
fi
[ -x "$JAVA" ] || die "no java found (set JAVA_HOME to a JDK 25)"
java_major() { "$1" -version 2>&1 | sed -n 's/.*version "\(1\.\)\{0,1\}\([0-9]*\).*/\2/p' | head -n 1; }
if [ "$(java_major "$JAVA")" -lt 25 ] 2>/dev/null; then
    if [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
        log "WARNING: $JAVA is Java $(java_major "$JAVA"), the service needs 25: using temurin-25 instead"
        JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
    else
        die "$JAVA is Java $(java_major "$JAVA"); the service needs JDK 25 (set JAVA_HOME)"
    fi
fi
[ -f "$JAR" ] || die "$JAR not found (run mvn verify first)"

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "$PORT" "$MGMT_PORT" "$SQS_PORT"; do
    port_in_use "$p" && die "port $p on 127.0.0.1 is already in use (another EventSink running?)"
done

rm -rf "$RESULTS"
mkdir -p "$RESULTS"
SERVICE_LOG="$RESULTS/service.log"
SERVICE_PID=""

stop_service() {
    if [ -n "$SERVICE_PID" ] && kill -0 "$SERVICE_PID" 2>/dev/null; then
        log "stopping the service (pid $SERVICE_PID)"
        kill -TERM "$SERVICE_PID" 2>/dev/null
        for _ in $(seq 1 150); do
            kill -0 "$SERVICE_PID" 2>/dev/null || break
            sleep 0.2
        done
        if kill -0 "$SERVICE_PID" 2>/dev/null; then
            log "service did not stop within 30 s: killing it"
            kill -KILL "$SERVICE_PID" 2>/dev/null
        fi
        wait "$SERVICE_PID" 2>/dev/null
    fi
    SERVICE_PID=""
}
trap stop_service EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log "starting $("$JAVA" -version 2>&1 | head -1) -jar ${JAR#"$ROOT"/} (SQS_MESSAGE_FORMAT=$MESSAGE_FORMAT$(
    [ "$MESSAGE_FORMAT" = packed ] && echo ", SQS_PACK_COMPRESSION=$PACK_COMPRESSION"))"
PORT="$PORT" MANAGEMENT_PORT="$MGMT_PORT" DEV_SQS_PORT="$SQS_PORT" HOST=127.0.0.1 SHUTDOWN_TIMEOUT_MS=10000 LOG_LEVEL=INFO \
    SQS_MESSAGE_FORMAT="$MESSAGE_FORMAT" SQS_PACK_COMPRESSION="$PACK_COMPRESSION" \
    "$JAVA" -jar "$JAR" >"$SERVICE_LOG" 2>&1 &
SERVICE_PID=$!

deadline=$(($(date +%s) + READY_TIMEOUT_S))
until [ "$(curl -s --noproxy '*' -o /dev/null -w '%{http_code}' --max-time 2 "$MGMT_URL/health/ready")" = 200 ]; do
    if ! kill -0 "$SERVICE_PID" 2>/dev/null; then
        tail -n 40 "$SERVICE_LOG"
        SERVICE_PID=""
        die "the service exited before it was ready"
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
        tail -n 40 "$SERVICE_LOG"
        die "the service was not ready within ${READY_TIMEOUT_S}s"
    fi
    sleep 0.5
done
log "service ready (pid $SERVICE_PID): $HOST_URL, management $MGMT_URL"

# ---------------------------------------------------------------------------------------------
# 3. the load-test runs
# ---------------------------------------------------------------------------------------------
to_seconds() { # 20s | 1m | 90 -> seconds
    case "$1" in
        *m) echo $((${1%m} * 60)) ;;
        *s) echo "${1%s}" ;;
        *) echo "$1" ;;
    esac
}

PASSED=0
FAILED=0
FAILED_RUNS=""
RUN_NAMES=""

run_locust() { # name users spawn_rate run_time class...
    local name=$1 users=$2 rate=$3 run_time=$4
    shift 4
    local limit=$(($(to_seconds "$run_time") + 45))
    log "run '$name': $* users=$users spawn-rate=$rate run-time=$run_time (gate: failure ratio <= ${LOADTEST_MAX_FAILURE_RATIO:-unchecked}, p95 <= ${LOADTEST_MAX_P95_MS:-unchecked} ms)"
    local rc=0
    # LOADTEST_TALLY_FILE: what the run was told was stored, checked against /metrics in step 4
    (cd "$RESULTS" && LOADTEST_TALLY_FILE="$RESULTS/$name.tally.json" \
        timeout --signal=INT --kill-after=10 "$limit" "$LOCUST" -f "$LOCUSTFILE" \
        --headless --host "$HOST_URL" --users "$users" --spawn-rate "$rate" --run-time "$run_time" \
        --stop-timeout 2 --only-summary --csv "$name" --html "$name.html" "$@") >"$RESULTS/$name.log" 2>&1 || rc=$?
    # the summary table and the gate verdict, without the per-name percentile table
    sed -n '/Shutting down/,/Response time percentiles/p' "$RESULTS/$name.log" | sed '$d'
    sed -n '/Error report/,$p' "$RESULTS/$name.log"
    grep -E 'GATE (PASSED|FAILED)' "$RESULTS/$name.log"
    grep -A12 'Traceback' "$RESULTS/$name.log" | head -n 40
    RUN_NAMES="$RUN_NAMES $name"
    if [ "$rc" = 0 ]; then
        PASSED=$((PASSED + 1))
        log "run '$name' passed"
    else
        FAILED=$((FAILED + 1))
        FAILED_RUNS="$FAILED_RUNS $name"
        log "run '$name' FAILED (locust exit code $rc, full output in ${RESULTS#"$ROOT"/}/$name.log)"
    fi
}

# a short warm-up (JIT, connection pools, ElasticMQ) so that p95 gates the steady state, not the
# cold start; its failures still count
LOADTEST_MAX_P95_MS="" run_locust warmup 20 20 5s EventSinkUser HighVolumeEventSinkUser CmcdEventUser BatchEventSinkUser
# spawn rates stay moderate: creating users keeps Locust busy and inflates the times it measures
run_locust eventsink-user 20 5 "$RUN_TIME" EventSinkUser
run_locust high-volume-user 40 10 "$RUN_TIME" HighVolumeEventSinkUser
run_locust invalid-event-user 10 5 "$RUN_TIME" InvalidEventUser
run_locust cmcd-event-user 20 5 "$RUN_TIME" CmcdEventUser
LOADTEST_MAX_P95_MS="$BATCH_MAX_P95_MS" run_locust batch-event-user 10 5 "$RUN_TIME" BatchEventSinkUser
run_locust mixed 60 10 "$MIXED_RUN_TIME" EventSinkUser HighVolumeEventSinkUser InvalidEventUser CmcdEventUser \
    BatchEventSinkUser

# ---------------------------------------------------------------------------------------------
# 4. the queue path, seen through the service's Prometheus metrics
# ---------------------------------------------------------------------------------------------
metric_sum() { # name [file] -> sum over all label sets of that sample name
    awk -v n="$1" 'index($0, n "{") == 1 || index($0, n " ") == 1 { s += $NF; f = 1 } END { if (f) printf "%.0f\n", s; else print "" }' "${2:-$RESULTS/metrics.txt}"
}
scrape() { curl -s --noproxy '*' --max-time 5 "$MGMT_URL/metrics" >"$RESULTS/metrics.txt"; }

queue_ok=1
pending=""
for _ in $(seq 1 30); do # pending events must drain (at most ~15 s)
    scrape
    pending=$(metric_sum eventsink_events_pending)
    [ "$pending" = 0 ] && break
    sleep 0.5
done
accepted=$(metric_sum eventsink_events_accepted_total)
rejected=$(metric_sum eventsink_events_rejected_total)
delivered=$(metric_sum eventsink_events_delivered_total)
failed=$(metric_sum eventsink_events_failed_total)
log "metrics: accepted=${accepted:-?} rejected=${rejected:-?} delivered=${delivered:-?} failed=${failed:-?} pending=${pending:-?}"
for family in accepted rejected; do # the non-zero counters of each label, on one line
    awk -v n="eventsink_events_${family}_total{" 'index($0, n) == 1 && $NF + 0 > 0 {
        match($0, /(event|reason)="[^"]*"/); printf " %s=%.0f", substr($0, RSTART, RLENGTH), $NF }' \
        "$RESULTS/metrics.txt" | tr -d '"' | sed "s/^/    $family:/"
    echo
done
if [ "$pending" != 0 ]; then
    log "queue check FAILED: eventsink_events_pending is ${pending:-missing}, not 0, after the runs"
    queue_ok=0
fi
if [ "${failed:-x}" != 0 ]; then
    log "queue check FAILED: eventsink_events_failed_total is ${failed:-missing}, not 0"
    queue_ok=0
fi
if [ -z "$accepted" ] || [ "$accepted" != "$delivered" ]; then
    log "queue check FAILED: accepted (${accepted:-missing}) != delivered (${delivered:-missing})"
    queue_ok=0
fi
# what the runs were told was stored (their tally files) against what the service counted
if ! python3 "$CHECKS/tally_check.py" "$RESULTS/metrics.txt" "$RESULTS"/*.tally.json
then
    log "queue check FAILED: the service's counters do not match what the runs were told (see above)"
    queue_ok=0
fi
# the embedded queue: nothing consumes it, so the events its messages hold must add up to the delivered
# events, every message in the format the service was started with (loadtest/ci/queue_check.py)
QUEUE_URL=$(sed -n 's/.*queue URL: *\([^ ]*\).*/\1/p' "$SERVICE_LOG" | tail -n 1)
if [ -z "$QUEUE_URL" ]; then
    log "queue check FAILED: no 'queue URL:' line in the service log"
    queue_ok=0
elif ! python3 "$CHECKS/queue_check.py" "$QUEUE_URL" "${delivered:-0}" "$MESSAGE_FORMAT" "$PACK_COMPRESSION"
then
    log "queue check FAILED: the embedded queue does not hold what was delivered (see above)"
    queue_ok=0
fi
if [ "$queue_ok" = 1 ]; then
    PASSED=$((PASSED + 1))
    log "queue check passed: every accepted event was delivered and is in the queue"
else
    FAILED=$((FAILED + 1))
    FAILED_RUNS="$FAILED_RUNS queue-check"
fi

stop_service

# ---------------------------------------------------------------------------------------------
# 5. summary
# ---------------------------------------------------------------------------------------------
log "summary (aggregated over each run; times in ms):"
{
    printf '%-20s %9s %9s %8s %7s %7s %7s %7s\n' run requests failures req/s p50 p95 p99 max
    for name in $RUN_NAMES; do
        line=$(grep -hoE 'GATE (PASSED|FAILED).*' "$RESULTS/$name.log" | tail -n 1)
        field() { printf '%s\n' "$line" | grep -oE "(^| )$1=[^ ]+" | head -n 1 | cut -d= -f2 | sed 's/ms$//'; }
        if [ -z "$line" ]; then
            printf '%-20s (no gate summary: see %s.log)\n' "$name" "$name"
        else
            printf '%-20s %9s %9s %8s %7s %7s %7s %7s\n' "$name" "$(field requests)" "$(field failures)" \
                "$(field rps)" "$(field p50)" "$(field p95)" "$(field p99)" "$(field max)"
        fi
    done
} | tee "$RESULTS/summary.txt"
log "results in ${RESULTS#"$ROOT"/}/ (CSV, HTML reports, logs, metrics.txt), $(($(date +%s) - START_EPOCH)) s in all"
if [ "$FAILED" -gt 0 ]; then
    log "last lines of the service log (${SERVICE_LOG#"$ROOT"/}):"
    grep -vE '^\{' "$SERVICE_LOG" | tail -n 25 | sed 's/^/    /'
    log "FAILED:$FAILED_RUNS"
fi
echo "loadtest: $PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
