#!/usr/bin/env bash
# Fault 1: kill -9 of the service in the middle of load, then a restart on the same ports.
# The load client keeps sending (re-sending a failed event with the same id every ~0.1 s for up to ~5 s, as a
# player would). Afterwards every event that got a 200 must be in the queue; duplicates (an event
# stored but whose 200 was lost with the process, then re-sent) are counted, not failures.
#   faults/kill9.sh            (LOAD_MS=14000 CONNECTIONS=32 KILL_AT_S=5 DOWN_S=1)
. "$(dirname "$0")/lib.sh"
scenario kill9
PORT=23100 MGMT=23190 SQS_PORT=23124
LOAD_MS=${LOAD_MS:-14000} CONNECTIONS=${CONNECTIONS:-32} KILL_AT_S=${KILL_AT_S:-5} DOWN_S=${DOWN_S:-1}

start_sqs "$SQS_PORT" kill9 1
SQS_ENV=(SQS_QUEUE_URL="$QUEUE_URL" SQS_ENDPOINT="http://127.0.0.1:$SQS_PORT")
start_sink "$PORT" "$MGMT" 1 "${SQS_ENV[@]}"
log "service up (pid $SINK_PID), load: $CONNECTIONS connections for $((LOAD_MS / 1000)) s"
start_load url="http://127.0.0.1:$PORT/" connections="$CONNECTIONS" durationMs="$LOAD_MS" prefix=k9 \
    retries=40 retryPauseMs=100 timeoutMs=10000
sleep "$KILL_AT_S"
RSS1=$(peak_rss_mb "$SINK_PID")
kill -9 "$SINK_PID"
wait "$SINK_PID" 2>/dev/null || true
log "kill -9 sent (peak RSS so far ${RSS1} MiB); restarting in ${DOWN_S} s"
sleep "$DOWN_S"
start_sink "$PORT" "$MGMT" 2 "${SQS_ENV[@]}"
log "service restarted (pid $SINK_PID)"
wait "$LOAD_PID" || true
RSS2=$(peak_rss_mb "$SINK_PID")
DELIVERED2=$(curl -s --max-time 5 "http://127.0.0.1:$MGMT/metrics" | awk '/^eventsink_events_delivered_total/{printf "%d", $NF}')
stop_sink
log "load done: $(outcomes)"
drain_queue "http://127.0.0.1:$SQS_PORT" "$QUEUE_URL"
compare_queue
RSS=$(( RSS1 > RSS2 ? RSS1 : RSS2 ))
LOST=$(prop "$DIR/queue.properties" lost 1)
check "no acknowledged event lost ($LOST)" '[ "$LOST" = 0 ]'
check "events delivered by the restarted service ($DELIVERED2)" '[ "${DELIVERED2:-0}" -gt 0 ]'
check "only 200 or connection errors/503 seen" 'only_allowed_outcomes 200 503 refused reset timeout'
finish "$RSS" "kill -9 at ${KILL_AT_S}s, restart after ${DOWN_S}s; outcomes: $(outcomes)"
