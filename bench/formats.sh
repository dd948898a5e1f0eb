#!/usr/bin/env bash
# Queue format benchmark: the same offered load against a fresh service JVM writing in each queue
# format — the stdout sink (no queue at all), the event format, packed, packed with gzip — into
# ElasticMQ in its own process, alternating targets within each round. Per run: acknowledged events/s,
# p50/p99 (wrk), the service's CPU per event and ElasticMQ's (from /proc), billed SQS requests per 1,000
# events, events per message and queue bytes per event (the service's own meters), and a queue check
# (every acknowledged event is in the queue, every message readable by the consumer library).
#
#   bench/formats.sh                                  # three loads, four targets, 3 rounds (~45 min)
#   LOADS=high ROUNDS=5 bench/formats.sh              # only the closed-loop load
#
# Loads (wrk -t2 with bench/epas-mix.lua, a fresh valid event per request):
#   high    512 connections, no think time (closed loop: the issue's load)
#   medium  512 connections, 100 ms think time per connection (at most ~5,000 requests/s offered)
#   low     128 connections, 250 ms think time (at most ~500 requests/s offered)
# Settings (environment): ROUNDS (3), LOADS (high,medium,low), TARGETS (stdout,event,packed,gzip),
# WARMUP_SECONDS (8), MEASURE_SECONDS (20), QUEUE_WARMUP_SECONDS (30), SERVICE_HEAP ("-Xms512m -Xmx512m"),
# OUT (bench/results/formats). Needs wrk (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
. .ci/jdk.sh
JAVA=$JAVA_HOME/bin/java
command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }
if [ ! -f service/target/eventsink-service.jar ] || [ ! -d faults/target/libs ]; then
    mvn -B -q -pl service,faults -am package -DskipTests
fi

ROUNDS=${ROUNDS:-3}
LOADS=${LOADS:-high,medium,low}
TARGETS=${TARGETS:-stdout,event,packed,gzip}
WARMUP_SECONDS=${WARMUP_SECONDS:-8}
MEASURE_SECONDS=${MEASURE_SECONDS:-20}
QUEUE_WARMUP_SECONDS=${QUEUE_WARMUP_SECONDS:-30}
SERVICE_HEAP=${SERVICE_HEAP:--Xms512m -Xmx512m}
OUT=${OUT:-$ROOT/bench/results/formats}
PORT=24100 MGMT=24190 SQS_PORT=24124
FAULTS_CP="$ROOT/faults/target/classes:$ROOT/faults/target/libs/*"
CLK_TCK=$(getconf CLK_TCK)
mkdir -p "$OUT"
RUNS="$OUT/runs.tsv"
WORK=$(mktemp -d)
PIDS=()
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT
ulimit -n 65536 2>/dev/null || true

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
metric() { # metric <name>: the sum of that series on the running service's /metrics
    curl -s --max-time 5 "http://127.0.0.1:$MGMT/metrics" | awk -v n="$1" '$1 == n || index($1, n "{") == 1 {s += $NF} END {printf "%.0f", s}'
}
wait_ready() {
    local i
    for i in $(seq 1 300); do
        curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:$MGMT/health/ready" 2>/dev/null && return 0
        sleep 0.1
    done
    echo "bench: the service did not come up" >&2
    return 1
}

# ElasticMQ in its own JVM, with room to hold a run's messages
"$JAVA" -Xmx2g -cp "$FAULTS_CP" io.eventsink.embeddedsqs.EmbeddedSqs "$SQS_PORT" bench > "$WORK/sqs.out" 2> "$WORK/sqs.log" &
SQS_PID=$!
PIDS+=("$SQS_PID")
for _ in $(seq 1 300); do grep -q '^SQS_ENDPOINT=' "$WORK/sqs.out" 2>/dev/null && break; sleep 0.1; done
QUEUE_URL=$(sed -n 's/^QUEUE_URL=//p' "$WORK/sqs.out" | head -1)
ENDPOINT="http://127.0.0.1:$SQS_PORT"
purge() {
    curl -s -o /dev/null "$QUEUE_URL?Action=PurgeQueue"
    local i
    for i in $(seq 1 100); do
        [ "$(queue_count)" = 0 ] && return 0
        sleep 0.2
    done
}
queue_count() { # messages in the queue, visible or not
    curl -s "$QUEUE_URL?Action=GetQueueAttributes&AttributeName.1=ApproximateNumberOfMessages&AttributeName.2=ApproximateNumberOfMessagesNotVisible" \
        | grep -o '<Value>[0-9]*</Value>' | grep -o '[0-9]*' | awk '{s += $1} END {print s + 0}'
}

start_service() { # start_service <target>
    local env=(PORT=$PORT MANAGEMENT_PORT=$MGMT HOST=127.0.0.1 AWS_REGION=elasticmq AWS_ACCESS_KEY_ID=x
        AWS_SECRET_ACCESS_KEY=x WARMUP_ENABLED=false SQS_ENDPOINT="$ENDPOINT" SQS_QUEUE_URL="$QUEUE_URL")
    case "$1" in
        stdout) env+=(QUEUE_TYPE=stdout) ;;
        event) env+=(SQS_MESSAGE_FORMAT=event) ;;
        packed) env+=(SQS_MESSAGE_FORMAT=packed) ;;
        gzip) env+=(SQS_MESSAGE_FORMAT=packed SQS_PACK_COMPRESSION=gzip) ;;
    esac
    env "${env[@]}" "$JAVA" $SERVICE_HEAP -jar service/target/eventsink-service.jar > /dev/null 2> "$WORK/service.log" &
    SERVICE_PID=$!
    PIDS+=("$SERVICE_PID")
    wait_ready
}

stop_service() {
    kill -TERM "$SERVICE_PID" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$SERVICE_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVICE_PID" 2>/dev/null || true
    wait "$SERVICE_PID" 2>/dev/null || true
}

load() { # load <high|medium|low> <seconds> <output>
    local connections=512 think=0
    case "$1" in
        medium) think=100 ;;
        low) connections=128 think=250 ;;
    esac
    THINK_MS=$think wrk -t2 -c"$connections" -d"$2"s --timeout 10s -s bench/epas-mix.lua "http://127.0.0.1:$PORT/" > "$3" 2>&1
}

oks() { awk '$1 == "STATUS" && $2 == 200 {print $3}' "$1" | head -1; }

echo "ElasticMQ warming up for ${QUEUE_WARMUP_SECONDS}s"
start_service event
load high "$QUEUE_WARMUP_SECONDS" "$WORK/warm.txt"
stop_service
purge

printf 'round\tload\ttarget\tevents_per_s\tp50_ms\tp99_ms\tservice_us_per_event\tqueue_server_us_per_event\tbilled_per_1000\tevents_per_message\tqueue_bytes_per_event\tnon_200\tin_queue\tacked\tunreadable\n' > "$RUNS"
for round in $(seq 1 "$ROUNDS"); do
    for load in ${LOADS//,/ }; do
        for target in ${TARGETS//,/ }; do
            echo "round $round, load $load: $target"
            start_service "$target"
            load "$load" "$WARMUP_SECONDS" "$WORK/warmup.txt"
            s0=$(cpu_ticks "$SERVICE_PID") q0=$(cpu_ticks "$SQS_PID")
            b0=$(metric eventsink_sqs_billed_requests_total) d0=$(metric eventsink_events_delivered_total)
            y0=$(metric eventsink_sqs_payload_bytes_total)
            m0=$(metric eventsink_sqs_message_events_count) e0=$(metric eventsink_sqs_message_events_sum)
            load "$load" "$MEASURE_SECONDS" "$WORK/measure.txt"
            s1=$(cpu_ticks "$SERVICE_PID") q1=$(cpu_ticks "$SQS_PID")
            b1=$(metric eventsink_sqs_billed_requests_total) d1=$(metric eventsink_events_delivered_total)
            y1=$(metric eventsink_sqs_payload_bytes_total)
            m1=$(metric eventsink_sqs_message_events_count) e1=$(metric eventsink_sqs_message_events_sum)
            stop_service
            ok=$(oks "$WORK/measure.txt") acked=$(( $(oks "$WORK/warmup.txt") + ok ))
            all=$(awk '$1 == "STATUS" {s += $3} END {print s + 0}' "$WORK/measure.txt" "$WORK/warmup.txt")
            p50=$(sed -n 's/^LATENCY p50=\([0-9.]*\).*/\1/p' "$WORK/measure.txt")
            p99=$(sed -n 's/^LATENCY .*p99=\([0-9.]*\).*/\1/p' "$WORK/measure.txt")
            in_queue=- unreadable=-
            if [ "$target" = event ]; then
                in_queue=$(queue_count) unreadable=0
            elif [ "$target" != stdout ]; then
                rm -f "$WORK/delivered.txt"
                "$JAVA" -cp "$FAULTS_CP" io.eventsink.faults.QueueCheck drain endpoint="$ENDPOINT" queue="$QUEUE_URL" \
                    out="$WORK/delivered.txt" > /dev/null 2>&1
                in_queue=$(grep -vc '^?' "$WORK/delivered.txt" || true)
                unreadable=$(grep -c '^?unreadable' "$WORK/delivered.txt" || true)
            fi
            [ "$target" = stdout ] || purge
            awk -v r="$round" -v l="$load" -v t="$target" -v ok="$ok" -v secs="$MEASURE_SECONDS" -v p50="$p50" -v p99="$p99" \
                -v ds="$((s1 - s0))" -v dq="$((q1 - q0))" -v tck="$CLK_TCK" -v db="$((b1 - b0))" -v dd="$((d1 - d0))" \
                -v dy="$((y1 - y0))" -v dm="$((m1 - m0))" -v de="$((e1 - e0))" -v nonok="$((all - acked))" \
                -v inq="$in_queue" -v acked="$acked" -v unr="$unreadable" 'BEGIN {
                    q = (t == "stdout") ? "-" : sprintf("%.1f", dq * 1e6 / tck / ok)
                    billed = (t == "stdout" || dd == 0) ? "-" : sprintf("%.2f", db * 1000 / dd)
                    epm = (t == "stdout" || dm == 0) ? "-" : sprintf("%.1f", de / dm)
                    bpe = (t == "stdout" || dd == 0) ? "-" : sprintf("%.0f", dy / dd)
                    printf "%s\t%s\t%s\t%.0f\t%s\t%s\t%.1f\t%s\t%s\t%s\t%s\t%d\t%s\t%d\t%s\n", r, l, t, ok / secs, p50, p99,
                        ds * 1e6 / tck / ok, q, billed, epm, bpe, nonok, inq, acked, unr
                }' | tee -a "$RUNS"
            if [ "$in_queue" != - ] && { [ "$in_queue" -lt "$acked" ] || [ "$unreadable" != 0 ]; }; then
                echo "bench: QUEUE CHECK FAILED for $target: $acked acknowledged, $in_queue in the queue, $unreadable unreadable" >&2
                exit 2
            fi
        done
    done
done

# medians over rounds per load and target
{
    echo "| load | target | events/s | p50 ms | p99 ms | service µs CPU/event | × stdout | ElasticMQ µs CPU/event | billed SQS requests per 1,000 events | events per message | queue bytes per event |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|"
    awk -F'\t' 'NR > 1 {k = $2 SUBSEP $3; n[k]++; for (c = 4; c <= 11; c++) v[k, c, n[k]] = $c; order[k] = ++seen[k] == 1 ? ++o : order[k]; lk[k] = $2; tk[k] = $3}
        function median(k, c,   i, j, t, a, m) { m = n[k]; for (i = 1; i <= m; i++) a[i] = v[k, c, i]
            if (a[1] == "-") return "-"
            for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
            return m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2 }
        END { for (k in n) { stdout = lk[k] SUBSEP "stdout"; x = (stdout in n) ? sprintf("%.2f", median(k, 7) / median(stdout, 7)) : "-"
                printf "%d\t| %s | %s | %.0f | %s | %s | %s | %s | %s | %s | %s | %s |\n", order[k], lk[k], tk[k], median(k, 4), median(k, 5),
                    median(k, 6), median(k, 7), x, median(k, 8), median(k, 9), median(k, 10), median(k, 11) } }' "$RUNS" | sort -n | cut -f2-
    echo
    echo "Medians over $ROUNDS rounds; $(nproc) cores shared by wrk, the service and ElasticMQ; $(date -u +%Y-%m-%d), load average $(cut -d' ' -f1-3 /proc/loadavg)."
} > "$OUT/report.md"
cat "$OUT/report.md"
