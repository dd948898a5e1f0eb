#!/usr/bin/env bash
# Fault 2: SIGTERM in the middle of load. The service must drain: readiness DOWN at once, keep
# serving for SHUTDOWN_DELAY_MS, stop the listener, deliver what is pending, exit within its grace
# period ((SHUTDOWN_DELAY_MS + SHUTDOWN_TIMEOUT_MS)/1000 + 5 s, what the operator sets as
# terminationGracePeriodSeconds). Every in-flight request ends as 200 (and is in the queue) or
# 503 / a connection error (and is not claimed). The client does not re-send here, so every
# outcome is the service's own answer to that request.
# SIGTERM comes once WARM events were delivered.
#   faults/sigterm.sh          (CONNECTIONS=32 WARM=1000)
. "$(dirname "$0")/lib.sh"
scenario sigterm
PORT=23200 MGMT=23290 SQS_PORT=23224
LOAD_MS=${LOAD_MS:-60000} CONNECTIONS=${CONNECTIONS:-32} WARM=${WARM:-1000}
DELAY_MS=1000 DRAIN_MS=10000
GRACE_S=$(( (DELAY_MS + DRAIN_MS) / 1000 + 5 ))

start_sqs "$SQS_PORT" sigterm 1
start_sink "$PORT" "$MGMT" 1 SQS_QUEUE_URL="$QUEUE_URL" SQS_ENDPOINT="http://127.0.0.1:$SQS_PORT" \
    SHUTDOWN_DELAY_MS=$DELAY_MS SHUTDOWN_TIMEOUT_MS=$DRAIN_MS
watch_ready "$MGMT"
log "service up (pid $SINK_PID), load: $CONNECTIONS connections"
start_load url="http://127.0.0.1:$PORT/" connections="$CONNECTIONS" durationMs="$LOAD_MS" prefix=st \
    retries=0 timeoutMs=30000
wait_delivered "$MGMT" "$WARM" 30
RSS=$(peak_rss_mb "$SINK_PID")
T_TERM=$(now_ms)
kill -TERM "$SINK_PID"
EXIT=0
# Bounded wait: after the grace period Kubernetes would kill -9.
for _ in $(seq 1 $((GRACE_S * 10 + 50))); do kill -0 "$SINK_PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$SINK_PID" 2>/dev/null; then
    EXIT=timeout
    kill -9 "$SINK_PID"
fi
wait "$SINK_PID" 2>/dev/null || EXIT=${EXIT/#0/$?}
EXIT_MS=$(( $(now_ms) - T_TERM ))
log "SIGTERM -> exit in ${EXIT_MS} ms (exit status $EXIT, grace ${GRACE_S} s)"
sleep 1
stop_load
kill "$WATCH_PID" 2>/dev/null || true
log "load done: $(outcomes)"
drain_queue "http://127.0.0.1:$SQS_PORT" "$QUEUE_URL"
compare_queue
# Readiness after the SIGTERM: 503 (DOWN) while the listener still serves during the delay.
DOWN_SEEN=$(awk -v t="$T_TERM" '$1 >= t && $2 == 503' "$DIR/readiness.txt" | wc -l)
LOST=$(prop "$DIR/queue.properties" lost 1)
check "no acknowledged event lost ($LOST)" '[ "$LOST" = 0 ]'
check "exited within the grace period (${EXIT_MS} ms < ${GRACE_S} s)" '[ "$EXIT" != timeout ] && [ "$EXIT_MS" -lt $((GRACE_S * 1000)) ]'
check "readiness DOWN (503) after SIGTERM, seen $DOWN_SEEN times" '[ "$DOWN_SEEN" -gt 0 ]'
check "every request ended 200, 503 or as a connection error" 'only_allowed_outcomes 200 503 refused reset timeout'
check "no client timeout" '[ "$(prop "$DIR/client.properties" outcome.timeout)" = 0 ]'
finish "$RSS" "SIGTERM under load, exit after ${EXIT_MS} ms (grace ${GRACE_S}s); outcomes: $(outcomes)"
