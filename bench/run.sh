#!/usr/bin/env bash
# Throughput benchmark: wrk against (1) nginx answering a canned 200 — the HTTP ceiling of this
# machine —, (2) EventSink with the stdout sink (to /dev/null), (3) EventSink delivering into a
# local ElasticMQ (a separate process), in one run. For (3) it checks that the number of messages
# in the queue equals the number of 200s. Loopback only; bounded by DURATION.
#
#   bench/run.sh                         # defaults: 15 s per run, wrk -t1 -c32
#   DURATION=30s CONNECTIONS=64 bench/run.sh
#
# Needs: a built tree (mvn -DskipTests package), wrk and nginx (apt-get install wrk nginx-light).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-5s}
THREADS=${THREADS:-1}
CONNECTIONS=${CONNECTIONS:-32}
NGINX_PORT=${NGINX_PORT:-18080}
SINK_PORT=${SINK_PORT:-13000}
MGMT_PORT=${MGMT_PORT:-19090}
SQS_PORT=${SQS_PORT:-19324}
OUT=${OUT:-$ROOT/bench/results}
. .ci/jdk.sh
JAVA=$JAVA_HOME/bin/java
JVM_OPTS=${JVM_OPTS:--Xms512m -Xmx512m}

mkdir -p "$OUT"
WORK=$(mktemp -d)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

for tool in wrk nginx curl; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install wrk nginx-light curl)" >&2; exit 1; }
done
[ -f service/target/eventsink-service.jar ] && [ -d dev/server/target/libs ] || {
    echo "bench: build first: mvn -DskipTests package" >&2; exit 1; }

wait_for() { # url, what
    for _ in $(seq 1 150); do
        curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
        sleep 0.2
    done
    echo "bench: $2 did not come up ($1)" >&2
    return 1
}

run_wrk() { # name url -> prints wrk output to $OUT/name.txt
    local name=$1 url=$2
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s bench/epas-mix.lua "$url" >/dev/null
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/epas-mix.lua "$url" > "$OUT/$name.txt"
}

field() { # file, regex -> first capture
    sed -n "s/$2/\1/p" "$1" | head -1
}

summarise() { # name -> "rps p50 p99 ok total"
    local f="$OUT/$1.txt"
    local rps p50 p99 ok total
    rps=$(field "$f" '^Requests\/sec: *\([0-9.]*\).*')
    p50=$(field "$f" '^LATENCY p50=\([0-9.]*\).*')
    p99=$(field "$f" '^LATENCY .*p99=\([0-9.]*\).*')
    ok=$(field "$f" '^STATUS 200 \([0-9]*\)')
    total=$(field "$f" '^TOTAL requests=\([0-9]*\).*')
    echo "${rps:-0} ${p50:-0} ${p99:-0} ${ok:-0} ${total:-0}"
}

start_sink() { # extra env... ; logs to $WORK/sink.log
    env PORT=$SINK_PORT MANAGEMENT_PORT=$MGMT_PORT HOST=127.0.0.1 "$@" \
        "$JAVA" $JVM_OPTS -jar service/target/eventsink-service.jar > "$WORK/sink.out" 2> "$WORK/sink.log" &
    SINK_PID=$!
    PIDS+=("$SINK_PID")
    wait_for "http://127.0.0.1:$MGMT_PORT/health/ready" "EventSink"
}

stop_sink() {
    kill "$SINK_PID"
    wait "$SINK_PID" 2>/dev/null || true
}

echo "== nginx canned 200 (ceiling)"
sed -e "s#__DIR__#$WORK#g" -e "s#__PORT__#$NGINX_PORT#g" bench/nginx.conf.template > "$WORK/nginx.conf"
nginx -c "$WORK/nginx.conf" -p "$WORK" &
PIDS+=($!)
wait_for "http://127.0.0.1:$NGINX_PORT/" "nginx" || true
run_wrk nginx "http://127.0.0.1:$NGINX_PORT/"
read -r NGINX_RPS NGINX_P50 NGINX_P99 _ _ <<< "$(summarise nginx)"
kill "${PIDS[-1]}"

echo "== EventSink, stdout sink to /dev/null"
env PORT=$SINK_PORT MANAGEMENT_PORT=$MGMT_PORT HOST=127.0.0.1 QUEUE_TYPE=stdout \
    "$JAVA" $JVM_OPTS -jar service/target/eventsink-service.jar > /dev/null 2> "$WORK/sink.log" &
SINK_PID=$!
PIDS+=("$SINK_PID")
wait_for "http://127.0.0.1:$MGMT_PORT/health/ready" "EventSink"
run_wrk stdout "http://127.0.0.1:$SINK_PORT/"
stop_sink
read -r STDOUT_RPS STDOUT_P50 STDOUT_P99 STDOUT_OK STDOUT_TOTAL <<< "$(summarise stdout)"

echo "== EventSink into ElasticMQ (separate process)"
"$JAVA" -Xmx1g -cp "dev/server/target/libs/*" io.eventsink.embeddedsqs.EmbeddedSqs "$SQS_PORT" bench-warmup bench \
    > "$WORK/sqs.out" 2> "$WORK/sqs.log" &
PIDS+=($!)
for _ in $(seq 1 150); do grep -q SQS_ENDPOINT "$WORK/sqs.out" && break; sleep 0.2; done
WARM_URL=$(grep '^QUEUE_URL=.*bench-warmup' "$WORK/sqs.out" | cut -d= -f2-)
QUEUE_URL=$(grep '^QUEUE_URL=.*/bench$' "$WORK/sqs.out" | cut -d= -f2-)
[ -n "$QUEUE_URL" ] || { echo "bench: ElasticMQ did not start" >&2; cat "$WORK/sqs.log" >&2; exit 1; }
SQS_ENV=(QUEUE_TYPE=SQS SQS_ENDPOINT="http://127.0.0.1:$SQS_PORT" AWS_REGION=elasticmq
         AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench)
# Warm up against its own queue, then measure against a fresh one.
start_sink "${SQS_ENV[@]}" SQS_QUEUE_URL="$WARM_URL"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s bench/epas-mix.lua "http://127.0.0.1:$SINK_PORT/" > /dev/null
stop_sink
start_sink "${SQS_ENV[@]}" SQS_QUEUE_URL="$QUEUE_URL"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s bench/epas-mix.lua "http://127.0.0.1:$SINK_PORT/" > "$OUT/sqs-warmup.txt"
read -r _ _ _ WARM_OK _ <<< "$(summarise sqs-warmup)"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/epas-mix.lua "http://127.0.0.1:$SINK_PORT/" > "$OUT/sqs.txt"
curl -fsS "http://127.0.0.1:$MGMT_PORT/metrics" > "$OUT/sqs-metrics.txt"
stop_sink # graceful: drains anything pending
read -r SQS_RPS SQS_P50 SQS_P99 SQS_OK SQS_TOTAL <<< "$(summarise sqs)"
IN_QUEUE=$(curl -fsS "$QUEUE_URL?Action=GetQueueAttributes&AttributeName.1=ApproximateNumberOfMessages" \
    | sed -n 's:.*<Value>\([0-9]*\)</Value>.*:\1:p' | head -1)
ACKED=$((SQS_OK + WARM_OK))
# wrk stops mid-flight: up to CONNECTIONS requests per wrk run were delivered but their 200 never read.
CUT_OFF_MAX=$((2 * CONNECTIONS))
DELIVERED=$(awk '/^eventsink_events_delivered_total/{printf "%d", $NF}' "$OUT/sqs-metrics.txt")
BATCH_AVG=$(awk '/^eventsink_batch_size_sum/{s=$NF} /^eventsink_batch_size_count/{c=$NF} END{if(c>0) printf "%.1f", s/c; else print "n/a"}' "$OUT/sqs-metrics.txt")

pct() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b>0) printf "%.0f", 100*a/b; else print "n/a" }'; }
REPORT="$OUT/report.md"
{
    echo "| run (wrk -t$THREADS -c$CONNECTIONS, $DURATION) | requests/s | % of nginx | p50 ms | p99 ms | 200s | requests |"
    echo "|---|---|---|---|---|---|---|"
    echo "| nginx canned 200 | $NGINX_RPS | 100 | $NGINX_P50 | $NGINX_P99 | - | - |"
    echo "| EventSink, stdout sink | $STDOUT_RPS | $(pct "$STDOUT_RPS" "$NGINX_RPS") | $STDOUT_P50 | $STDOUT_P99 | $STDOUT_OK | $STDOUT_TOTAL |"
    echo "| EventSink into ElasticMQ | $SQS_RPS | $(pct "$SQS_RPS" "$NGINX_RPS") | $SQS_P50 | $SQS_P99 | $SQS_OK | $SQS_TOTAL |"
    echo
    echo "Queue check: $IN_QUEUE messages in the queue; $ACKED 200s read by wrk (measured run + warm-up into the same queue);"
    echo "$DELIVERED events the service counted as delivered (the difference to the 200s is requests wrk cut off when it stopped,"
    echo "at most $CUT_OFF_MAX); average batch $BATCH_AVG events per SendMessageBatch."
} > "$REPORT"
cat "$REPORT"
# The metrics were read before the final drain, so the queue may hold a few more than DELIVERED.
if [ -z "$IN_QUEUE" ] || [ "$IN_QUEUE" -lt "$ACKED" ] || [ "$IN_QUEUE" -gt $((ACKED + CUT_OFF_MAX)) ]; then
    echo "bench: MISMATCH: $IN_QUEUE messages in the queue for $ACKED acknowledged events" >&2
    exit 1
fi
echo "bench: every acknowledged event is in the queue"
