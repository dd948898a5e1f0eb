#!/usr/bin/env bash
# Scale-out benchmark: a new pod joins a fleet under load, as an autoscaler adds one. HAProxy balances
# round-robin over the pods and health-checks each pod's /health/ready every 250 ms (as a Service
# does with readiness); wrk offers a steady mixed load through it; pod A is warm; pod B is spawned
# under load as a fresh JVM on a core of its own. From HAProxy's per-request log: how long until
# B takes traffic, B's latency over its first 30 s against A's before the join, the fleet's p99 and
# errors through the join. A rolling restart likewise: A and B warm, C spawned, B terminated as
# Kubernetes does (SIGTERM, SHUTDOWN_DELAY_MS=5000) once HAProxy sees C up.
#
#   bench/scale-out.sh                                  # 4 variants + rolling restart, 3 rounds (~25 min)
#   VARIANTS=warm-aot,cold ROUNDS=5 ROLLING_ROUNDS=0 bench/scale-out.sh
#
# Variants of the new pod (every pod runs `java @service/jvm.options $POD_JVM_OPTS [-XX:AOTCache=…]
# -jar service/target/eventsink-service.jar`, the documented production start):
#   warm-aot     warm-up on, AOT cache (the production start)
#   warm         warm-up on, no AOT cache
#   aot          warm-up off (WARMUP_ENABLED=false), AOT cache
#   cold         warm-up off, no AOT cache (a fresh JVM as it was before the warm-up)
#   baseline     the production start of another build's jar (BASELINE_JAR; its AOT cache is trained
#                into BASELINE_AOT_CACHE when missing): this build against that one, round by round
# Placement: ElasticMQ, HAProxy, wrk and pod A on core 0; each new pod (B, C) on core 1 (taskset).
# Settings (environment): ROUNDS (3), VARIANTS (warm-aot,warm,aot,cold; baseline as well with BASELINE_JAR), ROLLING_ROUNDS (= ROUNDS),
# CONNECTIONS (200), THINK_MS (98): wrk connections and think time (~2,000 requests/s offered),
# PRE_SECONDS (12: load on A alone before each spawn; its last 10 s are A's steady window),
# TRAFFIC_SECONDS (30: load kept on after the new pod is ready), WARM_SECONDS (40: load warming A and
# ElasticMQ before the first round), ROLLING_WARM_SECONDS (30: B's traffic before C is spawned),
# POD_JVM_OPTS ("-XX:MaxRAM=512m": the operator's memory limit), POD_EXTRA_OPTS (extra JVM options
# for new pods only, e.g. -Xlog:deoptimization=debug), POD_ENV (extra environment for new pods only,
# e.g. WARMUP_TIMEOUT_MS=30000), SHUTDOWN_DELAY_MS (5000), AOT_CACHE
# (service/target/eventsink.aot; made by service/aot/train.sh when missing or older than the jar),
# QUIET (e.g. 0.3: before each round wait, at most QUIET_WAIT_SECONDS (300), until other processes
# use fewer cores than that; off by default), OUT (bench/results/scale-out), KEEP_LOGS (false: copy
# each round's logs to OUT/rounds).
# Needs haproxy, wrk, curl, python3, taskset (util-linux).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
. .ci/jdk.sh
JAVA=$JAVA_HOME/bin/java
for tool in haproxy wrk curl python3 taskset; do
    command -v "$tool" >/dev/null || { echo "scale-out: $tool is missing" >&2; exit 1; }
done
[ "$(nproc --all)" -ge 2 ] || { echo "scale-out: needs two cores" >&2; exit 1; }

ROUNDS=${ROUNDS:-3}
VARIANTS=${VARIANTS:-warm-aot,warm,aot,cold}
ROLLING_ROUNDS=${ROLLING_ROUNDS:-$ROUNDS}
CONNECTIONS=${CONNECTIONS:-200}
THINK_MS=${THINK_MS:-98}
PRE_SECONDS=${PRE_SECONDS:-12}
TRAFFIC_SECONDS=${TRAFFIC_SECONDS:-30}
WARM_SECONDS=${WARM_SECONDS:-40}
ROLLING_WARM_SECONDS=${ROLLING_WARM_SECONDS:-30}
POD_JVM_OPTS=${POD_JVM_OPTS:--XX:MaxRAM=512m}
POD_EXTRA_OPTS=${POD_EXTRA_OPTS:-}
POD_ENV=${POD_ENV:-}
SHUTDOWN_DELAY_MS=${SHUTDOWN_DELAY_MS:-5000}
AOT_CACHE=${AOT_CACHE:-service/target/eventsink.aot}
BASELINE_JAR=${BASELINE_JAR:-}
BASELINE_AOT_CACHE=${BASELINE_AOT_CACHE:-${BASELINE_JAR%.jar}.aot}
QUIET=${QUIET:-}
QUIET_WAIT_SECONDS=${QUIET_WAIT_SECONDS:-300}
OUT=${OUT:-$ROOT/bench/results/scale-out}
KEEP_LOGS=${KEEP_LOGS:-false}
JAR=service/target/eventsink-service.jar
READY_LIMIT_SECONDS=60
FRONT=25000 STATS=25001 SQS_PORT=25024
declare -A PORT=([a]=25101 [b]=25102 [c]=25103) MGMT=([a]=25191 [b]=25192 [c]=25193)
FAULTS_CP="$ROOT/faults/target/classes:$ROOT/faults/target/libs/*"
CORE0="taskset -c 0" CORE1="taskset -c 1"

if [ ! -f "$JAR" ] || [ ! -d faults/target/libs ] || [ ! -f dev/server/target/eventsink-dev.jar ]; then
    mvn -B -ntp -q -pl service,faults,dev/server -am package -DskipTests
fi
if [ ! -f "$AOT_CACHE" ] || [ "$AOT_CACHE" -ot "$JAR" ]; then
    service/aot/train.sh "$JAR" "$AOT_CACHE"
fi
if [ -n "$BASELINE_JAR" ] && { [ ! -f "$BASELINE_AOT_CACHE" ] || [ "$BASELINE_AOT_CACHE" -ot "$BASELINE_JAR" ]; }; then
    service/aot/train.sh "$BASELINE_JAR" "$BASELINE_AOT_CACHE"
fi

mkdir -p "$OUT"
WORK=$(mktemp -d)
PIDS=()
cleanup() { # only this shell's own jobs still running: a dead job's PID may have been reused
    local pid
    for pid in $(jobs -p); do kill -9 "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    if [ "${KEEP_WORK:-false}" = true ]; then echo "scale-out: work files kept in $WORK" >&2; else rm -rf "$WORK"; fi
}
prune() { # forget processes that ended
    local pid alive=()
    for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive+=("$pid"); done
    PIDS=("${alive[@]}")
}
trap cleanup EXIT
trap 'exit 130' INT TERM
ulimit -n 65536 2>/dev/null || true

now_ms() { date +%s%3N; }
say() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }

# ElasticMQ in its own JVM on core 0
$CORE0 "$JAVA" -Xmx1g -cp "$FAULTS_CP" io.eventsink.embeddedsqs.EmbeddedSqs "$SQS_PORT" scaleout \
    > "$WORK/sqs.out" 2> "$WORK/sqs.log" &
SQS_PID=$!
PIDS+=("$SQS_PID")
for _ in $(seq 1 300); do grep -q '^QUEUE_URL=' "$WORK/sqs.out" 2>/dev/null && break; sleep 0.1; done
QUEUE_URL=$(sed -n 's/^QUEUE_URL=//p' "$WORK/sqs.out" | head -1)
[ -n "$QUEUE_URL" ] || { echo "scale-out: ElasticMQ did not start" >&2; cat "$WORK/sqs.log" >&2; exit 1; }
purge() {
    curl -s -o /dev/null --max-time 10 "$QUEUE_URL?Action=PurgeQueue" || true
}

# HAProxy on core 0: round-robin, readiness checks every 250 ms (rise 1 as Kubernetes'
# successThreshold, fall 3 as its failureThreshold), one log line per request on stdout
cat > "$WORK/haproxy.cfg" <<EOF
global
    log stdout format raw local0
    maxconn 4000
defaults
    mode http
    option dontlognull
    log global
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout http-keep-alive 60s
    timeout check 1s
frontend fleet
    bind 127.0.0.1:$FRONT
    # accept date (ms; for keep-alive the end of the previous request), idle and receive times,
    # total active time, server, status, termination state, retries
    log-format "%Ts%ms %Th %Ti %TR %Tw %Tc %Tr %Ta %s %ST %tsc %rc"
    default_backend pods
backend pods
    balance roundrobin
    option httpchk
    http-check send meth GET uri /health/ready ver HTTP/1.1 hdr Host localhost
    default-server inter 250 rise 1 fall 3
    server a 127.0.0.1:${PORT[a]} check port ${MGMT[a]}
    server b 127.0.0.1:${PORT[b]} check port ${MGMT[b]}
    server c 127.0.0.1:${PORT[c]} check port ${MGMT[c]}
listen stats
    bind 127.0.0.1:$STATS
    no log
    stats enable
    stats uri /stats
EOF
HALOG="$WORK/haproxy.log"
$CORE0 haproxy -db -f "$WORK/haproxy.cfg" >> "$HALOG" 2> "$WORK/haproxy.err" &
HAPROXY_PID=$!
PIDS+=("$HAPROXY_PID")

server_status() { # server_status <name>: UP, DOWN, … as HAProxy sees it
    curl -s --max-time 2 "http://127.0.0.1:$STATS/stats;csv" | awk -F, -v s="$1" '$1 == "pods" && $2 == s {print $18}'
}
wait_status() { # wait_status <server> <UP|DOWN> <seconds>
    local i
    for i in $(seq 1 $(($3 * 10))); do
        [ "$(server_status "$1")" = "$2" ] && return 0
        sleep 0.1
    done
    return 1
}

# start_pod <name> <core> <variant> <dir>: the service jar as a pod; sets POD_PID and SPAWN_MS
start_pod() {
    local name=$1 core=$2 variant=$3 dir=$4 aot=() extra=() warm=true jar=$JAR
    case "$variant" in
        warm-aot) aot=(-XX:AOTCache="$AOT_CACHE") ;;
        baseline) aot=(-XX:AOTCache="$BASELINE_AOT_CACHE") jar=$BASELINE_JAR
            [ -n "$jar" ] || { echo "scale-out: the baseline variant needs BASELINE_JAR" >&2; exit 1; } ;;
        warm) ;;
        aot) aot=(-XX:AOTCache="$AOT_CACHE") warm=false ;;
        cold) warm=false ;;
        *) echo "scale-out: unknown variant $variant" >&2; exit 1 ;;
    esac
    local podenv=()
    if [ "$name" != a ]; then
        read -r -a extra <<< "$POD_EXTRA_OPTS"
        read -r -a podenv <<< "$POD_ENV"
    fi
    SPAWN_MS=$(now_ms)
    env PORT="${PORT[$name]}" MANAGEMENT_PORT="${MGMT[$name]}" HOST=127.0.0.1 AWS_REGION=elasticmq \
        AWS_ACCESS_KEY_ID=scaleout AWS_SECRET_ACCESS_KEY=scaleout SQS_ENDPOINT="http://127.0.0.1:$SQS_PORT" \
        SQS_QUEUE_URL="$QUEUE_URL" WARMUP_ENABLED=$warm SHUTDOWN_DELAY_MS="$SHUTDOWN_DELAY_MS" "${podenv[@]}" \
        taskset -c "$core" "$JAVA" @service/jvm.options $POD_JVM_OPTS "${aot[@]}" "${extra[@]}" -jar "$jar" \
        > "$dir/pod-$name.out" 2> "$dir/pod-$name.log" &
    POD_PID=$!
    PIDS+=("$POD_PID")
}

# watch_pod <name> <pid> <dir>: readiness every 100 ms ("<ms> <status>" in ready-<name>.txt, the
# first UP answer in ready-<name>.json) and the pod's CPU and JIT threads every 250 ms (cpu-<name>.tsv)
watch_pod() {
    local name=$1 pid=$2 dir=$3
    (
        up=false
        for _ in $(seq 1 $((READY_LIMIT_SECONDS * 10))); do
            kill -0 "$pid" 2>/dev/null || break
            code=$(curl -s -o "$dir/ready-$name.body" --max-time 1 -w '%{http_code}' "http://127.0.0.1:${MGMT[$name]}/health/ready" || true)
            echo "$(now_ms) $code"
            if [ "$code" = 200 ] && [ $up = false ]; then
                cp "$dir/ready-$name.body" "$dir/ready-$name.json"
                up=true
                break
            fi
            sleep 0.1
        done
    ) > "$dir/ready-$name.txt" 2>/dev/null &
    PIDS+=($!)
    $CORE0 python3 bench/scale-out.py sample "$pid" "$dir/cpu-$name.tsv" 240 &
    PIDS+=($!)
}

wait_ready() { # wait_ready <name> <dir>: until the pod's watcher saw it UP; 1 when it never did
    local i
    for i in $(seq 1 $((READY_LIMIT_SECONDS * 10))); do
        [ -f "$2/ready-$1.json" ] && return 0
        sleep 0.1
    done
    return 1
}

stop_pod() { # stop_pod <pid> [seconds]: SIGTERM, at most that long (20), then kill -9; echoes the exit time
    local pid=$1 limit=${2:-20} i
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 $((limit * 10))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    now_ms
}

# start_load <dir>: wrk through HAProxy on core 0 until stop_load (at most 10 minutes)
start_load() {
    THINK_MS=$THINK_MS $CORE0 wrk -t1 -c"$CONNECTIONS" -d600s --timeout 10s -s bench/epas-mix.lua \
        "http://127.0.0.1:$FRONT/" > "$1/wrk.txt" 2>&1 &
    LOAD_PID=$!
    PIDS+=("$LOAD_PID")
}
stop_load() { # SIGINT makes wrk stop and print its summary
    local i
    kill -INT "$LOAD_PID" 2>/dev/null || true
    for i in $(seq 1 100); do kill -0 "$LOAD_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$LOAD_PID" 2>/dev/null || true
    wait "$LOAD_PID" 2>/dev/null || true
}

# CPU of everything else on the machine during a round (other users of the shared cores), in cores
busy_ticks() { awk '$1 == "cpu" {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
tree_ticks() { # CPU ticks of our own processes: the running ones, and those this shell has reaped
    local pid s t
    s=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$$/stat")
    for pid in "${PIDS[@]}"; do
        t=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)
        s=$((s + t))
    done
    echo "$s"
}

others_now() { # cores used by other processes on the machine over the next 3 s
    local b0 t0
    b0=$(busy_ticks) t0=$(tree_ticks)
    sleep 3
    awk -v b="$(( $(busy_ticks) - b0 ))" -v t="$(( $(tree_ticks) - t0 ))" -v hz="$(getconf CLK_TCK)" \
        'BEGIN {o = b - t; if (o < 0) o = 0; printf "%.2f", o / hz / 3}'
}
wait_quiet() { # with QUIET set: wait (at most QUIET_WAIT_SECONDS) until others use less than QUIET cores
    [ -n "$QUIET" ] || return 0
    local others waited=0
    while :; do
        others=$(others_now)
        awk -v o="$others" -v q="$QUIET" 'BEGIN {exit !(o < q)}' && return 0
        [ "$waited" = 0 ] && say "others use $others cores; waiting for less than $QUIET"
        waited=$((waited + 3))
        [ "$waited" -lt "$QUIET_WAIT_SECONDS" ] || { say "others still use $others cores, going on"; return 0; }
    done
}

RUNS="$OUT/rounds.tsv"
printf 'round\tkind\tvariant\tdir\tload_ms\tspawn_ms\tready_ms\tup_ms\tterm_ms\texit_ms\tend_ms\tloadavg\tothers_cores\n' > "$RUNS"
record() { # record <round> <kind> <variant> <dir> <load> <spawn> <ready> <up> <term> <gone> <end> <cpu-at-load> <cpu-at-end>
    local others
    others=$(awk -v a="${12}" -v b="${13}" -v ms="$(( ${11} - $5 ))" -v hz="$(getconf CLK_TCK)" 'BEGIN {
        split(a, x, " "); split(b, y, " "); o = (y[1] - x[1]) - (y[2] - x[2]); if (o < 0) o = 0
        printf "%.2f", o / hz / (ms / 1000) }')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$6" "$7" "$8" "$9" "${10}" "${11}" \
        "$(cut -d' ' -f1 /proc/loadavg)" "$others" >> "$RUNS"
}
cpu_mark() { echo "$(busy_ticks) $(tree_ticks)"; } # the machine's busy ticks and our processes' ticks
cut_log() { # cut_log <from-byte> <dir>: the round's HAProxy log lines
    tail -c +"$(($1 + 1))" "$HALOG" > "$2/haproxy.log"
}

# Pod A: the production start, warmed with load together with ElasticMQ; started again (and said so)
# if it is ever gone or not seen up before a round
A_PID=
A_STARTS=0
start_a() {
    local dir="$WORK/a$A_STARTS"
    A_STARTS=$((A_STARTS + 1))
    mkdir -p "$dir"
    start_pod a 0 warm-aot "$dir"
    A_PID=$POD_PID
    watch_pod a "$A_PID" "$dir"
    wait_ready a "$dir" || { echo "scale-out: pod A did not get ready" >&2; tail -20 "$dir/pod-a.log" >&2; exit 1; }
    wait_status a UP 10 || { echo "scale-out: HAProxy does not see pod A" >&2; cat "$WORK/haproxy.err" >&2; exit 1; }
    say "warming pod A and ElasticMQ for ${WARM_SECONDS}s ($CONNECTIONS connections, THINK_MS=$THINK_MS)"
    start_load "$dir"
    sleep "$WARM_SECONDS"
    stop_load
    purge
}
ensure_a() {
    if ! kill -0 "$A_PID" 2>/dev/null; then
        wait "$A_PID" 2>/dev/null && code=0 || code=$?
        say "warning: pod A is gone (exit status $code); its log's end:"
        grep -v '^\s*at \|^io\.\|^java\.' "$WORK/a$((A_STARTS - 1))/pod-a.log" | tail -5 >&2 || true
        start_a
    elif ! wait_status a UP 30; then
        say "warning: HAProxy does not see pod A up: $(curl -s --max-time 2 "http://127.0.0.1:${MGMT[a]}/health/ready")"
        stop_pod "$A_PID" > /dev/null
        start_a
    fi
}
start_a
wait_status b DOWN 10 && wait_status c DOWN 10 || { echo "scale-out: HAProxy sees B or C up" >&2; exit 1; }

# begin_round <dir> <what>: a quiet machine, pod A up and B gone, then the load on; sets FROM (the
# HAProxy log's size), MARK0 (CPU marks) and LOAD_MS
begin_round() {
    mkdir -p "$1"
    wait_quiet
    ensure_a
    wait_status b DOWN 30 || say "warning: HAProxy still sees b up"
    say "$2"
    FROM=$(stat -c %s "$HALOG") MARK0=$(cpu_mark) LOAD_MS=$(now_ms)
    start_load "$1"
}

join_round() { # join_round <round> <variant>
    local round=$1 variant=$2 dir="$WORK/r$1-$2" mark1 spawn ready=0 end gone
    begin_round "$dir" "round $round: $variant joins"
    sleep "$PRE_SECONDS"
    start_pod b 1 "$variant" "$dir"
    local b_pid=$POD_PID
    spawn=$SPAWN_MS
    watch_pod b "$b_pid" "$dir"
    if wait_ready b "$dir"; then
        ready=$(awk '$2 == 200 {print $1; exit}' "$dir/ready-b.txt")
    else
        say "warning: B not ready within ${READY_LIMIT_SECONDS}s"
    fi
    sleep "$TRAFFIC_SECONDS"
    sleep 1
    end=$(now_ms) mark1=$(cpu_mark)
    stop_load
    gone=$(stop_pod "$b_pid")
    sleep 0.5
    cut_log "$FROM" "$dir"
    record "$round" join "$variant" "$dir" "$LOAD_MS" "$spawn" "$ready" 0 0 "$gone" "$end" "$MARK0" "$mark1"
    prune
    purge
}

rolling_round() { # rolling_round <round>: A and B warm; C spawned; B terminated when HAProxy sees C up
    local round=$1 dir="$WORK/r$1-rolling" mark1 spawn ready=0 up=0 term=0 gone=0 end b_pid c_pid i
    begin_round "$dir" "round $round: rolling restart"
    start_pod b 1 warm-aot "$dir"
    b_pid=$POD_PID
    watch_pod b "$b_pid" "$dir"
    wait_ready b "$dir" || say "warning: B not ready"
    sleep "$ROLLING_WARM_SECONDS"
    start_pod c 1 warm-aot "$dir"
    c_pid=$POD_PID
    spawn=$SPAWN_MS
    watch_pod c "$c_pid" "$dir"
    for i in $(seq 1 $((READY_LIMIT_SECONDS * 10))); do
        [ "$(server_status c)" = UP ] && break
        sleep 0.1
    done
    up=$(now_ms)
    term=$(now_ms)
    gone=$(stop_pod "$b_pid" $(( SHUTDOWN_DELAY_MS / 1000 + 30 )))
    wait_ready c "$dir" && ready=$(awk '$2 == 200 {print $1; exit}' "$dir/ready-c.txt")
    while [ $(( $(now_ms) - up )) -lt $(( TRAFFIC_SECONDS * 1000 + 1000 )) ]; do sleep 0.2; done
    end=$(now_ms) mark1=$(cpu_mark)
    stop_load
    stop_pod "$c_pid" > /dev/null
    sleep 0.5
    cut_log "$FROM" "$dir"
    record "$round" rolling warm-aot "$dir" "$LOAD_MS" "$spawn" "$ready" "$up" "$term" "$gone" "$end" "$MARK0" "$mark1"
    prune
    purge
}

for round in $(seq 1 "$ROUNDS"); do
    for variant in ${VARIANTS//,/ }; do
        join_round "$round" "$variant"
    done
    [ "$round" -gt "$ROLLING_ROUNDS" ] || rolling_round "$round"
done
for round in $(seq $((ROUNDS + 1)) "$ROLLING_ROUNDS"); do rolling_round "$round"; done

python3 bench/scale-out.py report "$RUNS" "$OUT"
if [ "$KEEP_LOGS" = true ]; then
    rm -rf "$OUT/rounds"
    mkdir -p "$OUT/rounds"
    cp -r "$WORK"/r* "$WORK"/a* "$WORK/haproxy.log" "$OUT/rounds/"
fi
