#!/usr/bin/env bash
# Fault 5: overload — far more connections than the service can serve. First a calibration run
# at CONNECTIONS (256: enough for full batches, below MAX_CONCURRENT_REQUESTS, so nothing is
# shed) measures the accepted throughput this machine gives; then
# OVERLOAD_CONNECTIONS clients (closed loop, 10 s client timeout; after a refusal a client waits
# about the Retry-After second, jittered 0.5-1.5 s, as players would) hit the same service.
# Expected: the service sheds the excess with 503 answers instead of letting every request time
# out (checked), and the accepted throughput stays near the calibrated one (a target: reported, not
# failed, see lib.sh). Every 200 must be in the queue.
# Before MAX_CONCURRENT_REQUESTS existed, 10 000 connections drove the service (-Xmx256m) out of
# heap: every request timed out and the delivery dispatcher died. Now the excess is refused.
#   faults/overload.sh         (CAL_MS=6000 LOAD_MS=10000 OVERLOAD_CONNECTIONS=10000)
. "$(dirname "$0")/lib.sh"
scenario overload
PORT=23500 MGMT=23590 SQS_PORT=23524
CAL_MS=${CAL_MS:-6000} LOAD_MS=${LOAD_MS:-10000} CONNECTIONS=${CONNECTIONS:-256}
OVERLOAD_CONNECTIONS=${OVERLOAD_CONNECTIONS:-10000}
# Client and service each hold one descriptor per connection.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
FD_LIMIT=$(ulimit -n)
if [ "$FD_LIMIT" != unlimited ] && [ $((OVERLOAD_CONNECTIONS + 1000)) -gt "$FD_LIMIT" ]; then
    echo "faults: open-file limit $FD_LIMIT: using $((FD_LIMIT - 1000)) connections instead of $OVERLOAD_CONNECTIONS" >&2
    OVERLOAD_CONNECTIONS=$((FD_LIMIT - 1000))
fi
SINK_ENV=(${SINK_ENV:-})

start_sqs "$SQS_PORT" overload 1
start_sink "$PORT" "$MGMT" 1 SQS_QUEUE_URL="$QUEUE_URL" SQS_ENDPOINT="http://127.0.0.1:$SQS_PORT" ${SINK_ENV[@]+"${SINK_ENV[@]}"}
mkdir -p "$DIR/warmup" "$DIR/calibration" "$DIR/overload"
log "service up (pid $SINK_PID); warm-up and calibration at $CONNECTIONS connections"
start_load url="http://127.0.0.1:$PORT/" connections="$CONNECTIONS" durationMs=3000 prefix=ow out="$DIR/warmup" retries=0
wait "$LOAD_PID" || true
start_load url="http://127.0.0.1:$PORT/" connections="$CONNECTIONS" durationMs="$CAL_MS" prefix=oc out="$DIR/calibration" retries=0
wait "$LOAD_PID" || true
CAL_RATE=$(prop "$DIR/calibration/client.properties" ackedPerSecond)
watch_pending "$MGMT"
log "calibration: $CAL_RATE accepted/s, p99 $(prop "$DIR/calibration/client.properties" okP99Ms) ms; now $OVERLOAD_CONNECTIONS connections"
start_load url="http://127.0.0.1:$PORT/" connections="$OVERLOAD_CONNECTIONS" durationMs="$LOAD_MS" prefix=oo \
    out="$DIR/overload" retries=0 timeoutMs=10000 refusalPauseMs=1000
wait "$LOAD_PID" || true
RSS=$(peak_rss_mb "$SINK_PID")
curl -s --max-time 5 "http://127.0.0.1:$MGMT/metrics" > "$DIR/metrics.txt" || true
stop_sink
# The table counts every event of the three phases (all went to the same queue); rates and
# percentiles are the overload phase's.
ALL_EVENTS=$(( $(prop "$DIR/warmup/client.properties" events) + $(prop "$DIR/calibration/client.properties" events) \
    + $(prop "$DIR/overload/client.properties" events) ))
sed "s/^events=.*/events=$ALL_EVENTS/" "$DIR/overload/client.properties" > "$DIR/client.properties"
cat "$DIR/warmup/acked.txt" "$DIR/calibration/acked.txt" "$DIR/overload/acked.txt" > "$DIR/acked.txt"
log "overload done: $(outcomes)"
drain_queue "http://127.0.0.1:$SQS_PORT" "$QUEUE_URL"
compare_queue
O=$DIR/overload/client.properties
RATE=$(prop "$O" ackedPerSecond)
REQS=$(prop "$O" requests 1)
SHED=$(( $(prop "$O" outcome.503) + $(prop "$O" outcome.429) ))
TIMEOUTS=$(( $(prop "$O" outcome.timeout) + $(prop "$O" outcome.connect-timeout) ))
CONN_ERRORS=$(( $(prop "$O" outcome.refused) + $(prop "$O" outcome.reset) ))
RATIO=$(awk -v a="$RATE" -v b="$CAL_RATE" 'BEGIN{ if (b > 0) printf "%d", 100 * a / b; else print 0 }')
LOST=$(prop "$DIR/queue.properties" lost 1)
check "no acknowledged event lost ($LOST)" '[ "$LOST" = 0 ]'
check "excess shed with 503/429 ($SHED of $REQS requests, p99 of refusals $(prop "$O" refusedP99Ms) ms, all with Retry-After)" \
    '[ "$SHED" -gt 0 ] && [ "$(prop "$O" refusedWithoutRetryAfter 1)" = 0 ]'
check "client timeouts rare ($TIMEOUTS, connection errors $CONN_ERRORS, of $REQS requests; < 1%)" \
    '[ $(( (TIMEOUTS + CONN_ERRORS) * 100 )) -lt "$REQS" ]'
check "service never ran out of memory" '! grep -q OutOfMemoryError "$DIR"/sink-*.log'
target "accepted throughput near its maximum: $RATE/s = ${RATIO}% of calibrated $CAL_RATE/s (>= 60%, noisy shared CPU)" '[ "$RATIO" -ge 60 ]'
finish "$RSS" "calibrated $CAL_RATE/s at $CONNECTIONS connections; $OVERLOAD_CONNECTIONS connections: $RATE/s (${RATIO}%), p99 of 200s $(prop "$O" okP99Ms) ms, of refusals $(prop "$O" refusedP99Ms) ms; outcomes: $(outcomes)"
