#!/usr/bin/env bash
# Fault 1: kill -9 of the service in the middle of load, then a restart on the same ports.
# The load client keeps sending (re-sending a failed event with the same id every ~0.1 s for up to ~5 s, as a
# player would). Afterwards every event that got a 200 must be in the queue; duplicates (an event
# stored but whose 200 was lost with the process, then re-sent) are counted, not failures.
# The kill comes once WARM events were delivered; the load ends once the restarted service has
# delivered AFTER more (both bounded in time).
#   faults/kill9.sh            (CONNECTIONS=32 WARM=1000 AFTER=1000 DOWN_S=1)
. "$(dirname "$0")/lib.sh"
scenario kill9
PORT=23100 MGMT=23190 SQS_PORT=23124
LOAD_MS=${LOAD_MS:-60000} CONNECTIONS=${CONNECTIONS:-32} WARM=${WARM:-1000} AFTER=${AFTER:-1000} DOWN_S=${DOWN_S:-1}

start_sqs "$SQS_PORT" kill9 1
SQS_ENV=(SQS_QUEUE_URL="$QUEUE_URL" SQS_ENDPOINT="http://127.0.0.1:$SQS_PORT")
start_sink "$PORT" "$MGMT" 1 "${SQS_ENV[@]}"
log "service up (pid $SINK_PID), load: $CONNECTIONS connections"
start_load url="http://127.0.0.1:$PORT/" connections="$CONNECTIONS" durationMs="$LOAD_MS" prefix=k9 \
    retries=200 retryPauseMs=100 timeoutMs=10000
wait_delivered "$MGMT" "$WARM" 30
RSS1=$(peak_rss_mb "$SINK_PID")
KILLED_AT=$(delivered "$MGMT")
kill -9 "$SINK_PID"
wait "$SINK_PID" 2>/dev/null || true
log "kill -9 sent after about $KILLED_AT deliveries (peak RSS so far ${RSS1} MiB); restarting in ${DOWN_S} s"
sleep "$DOWN_S"
start_sink "$PORT" "$MGMT" 2 "${SQS_ENV[@]}"
log "service restarted (pid $SINK_PID)"
wait_delivered "$MGMT" "$AFTER" 30
stop_load
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
finish "$RSS" "kill -9 after ~$KILLED_AT deliveries, restart after ${DOWN_S}s; client re-sends failed events (same id); outcomes: $(outcomes)"
