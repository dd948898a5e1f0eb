#!/usr/bin/env bash
# Fault 4: a slow queue. The service reaches ElasticMQ through DelayProxy, which holds every
# chunk sent to the queue for DELAY_MS, so each SendMessageBatch takes at least that long. With
# MAX_INFLIGHT_BATCHES=8 the queue takes at most ~8 x 10 events per call; the load offers far
# more. Expected: backpressure — the number of pending events never exceeds MAX_PENDING_EVENTS,
# the excess gets 503 + Retry-After at once (not after a timeout), accepted requests wait about
# MAX_PENDING_EVENTS / throughput (reported as p99), nothing acknowledged is lost.
#   faults/slow-sqs.sh         (LOAD_MS=10000 CONNECTIONS=400 DELAY_MS=200 MAX_PENDING=200)
. "$(dirname "$0")/lib.sh"
scenario slow-sqs
PORT=23400 MGMT=23490 SQS_PORT=23424 PROXY=23425 CONTROL=23426
LOAD_MS=${LOAD_MS:-10000} CONNECTIONS=${CONNECTIONS:-400} DELAY_MS=${DELAY_MS:-200} MAX_PENDING=${MAX_PENDING:-200}

start_sqs "$SQS_PORT" slow 1
proxy_start "$PROXY" "$SQS_PORT" "$CONTROL" "$DELAY_MS"
VIA_PROXY=${QUEUE_URL/:$SQS_PORT\//:$PROXY\/}
start_sink "$PORT" "$MGMT" 1 SQS_QUEUE_URL="$VIA_PROXY" SQS_ENDPOINT="http://127.0.0.1:$PROXY" \
    MAX_PENDING_EVENTS="$MAX_PENDING" MAX_INFLIGHT_BATCHES=8
watch_pending "$MGMT"
log "service up (pid $SINK_PID), queue delayed by ${DELAY_MS} ms; load: $CONNECTIONS connections for $((LOAD_MS / 1000)) s"
start_load url="http://127.0.0.1:$PORT/" connections="$CONNECTIONS" durationMs="$LOAD_MS" prefix=slow \
    retries=0 timeoutMs=30000 refusalPauseMs=200
wait "$LOAD_PID" || true
RSS=$(peak_rss_mb "$SINK_PID")
METRICS=$(curl -s --max-time 5 "http://127.0.0.1:$MGMT/metrics" | tee "$DIR/metrics.txt")
stop_sink
kill "$PENDING_PID" 2>/dev/null || true
log "load done: $(outcomes)"
drain_queue "http://127.0.0.1:$SQS_PORT" "$QUEUE_URL"
compare_queue
MAX_SEEN=$(sort -n "$DIR/pending.txt" | tail -1)
SAMPLES=$(grep -c . "$DIR/pending.txt" || true)
BACKPRESSURE=$(echo "$METRICS" | awk '/^eventsink_events_rejected_total\{reason="backpressure"/{printf "%d", $NF}')
TIMEOUTS=$(echo "$METRICS" | awk '/^eventsink_events_rejected_total\{reason="timeout"/{printf "%d", $NF}')
REFUSED_P99=$(prop "$DIR/client.properties" refusedP99Ms)
CALL_MS=$(awk '/^eventsink_sqs_call_seconds_sum\{outcome="ok"/{s=$NF} /^eventsink_sqs_call_seconds_count\{outcome="ok"/{c=$NF} END{if (c > 0) printf "%d", 1000 * s / c; else print "?"}' "$DIR/metrics.txt")
LOST=$(prop "$DIR/queue.properties" lost 1)
check "no acknowledged event lost ($LOST)" '[ "$LOST" = 0 ]'
check "pending bounded: max seen ${MAX_SEEN:-?} <= MAX_PENDING_EVENTS $MAX_PENDING ($SAMPLES samples of the gauge)" \
    '[ "$SAMPLES" -ge 5 ] && [ "$MAX_SEEN" -le "$MAX_PENDING" ]'
check "excess refused with 503 + Retry-After (backpressure: ${BACKPRESSURE:-0}), p99 of refusals ${REFUSED_P99} ms" \
    '[ "${BACKPRESSURE:-0}" -gt 0 ] && [ "$(prop "$DIR/client.properties" refusedWithoutRetryAfter 1)" = 0 ] && awk -v p="$REFUSED_P99" "BEGIN{exit !(p < 1000)}"'
check "no delivery timeouts (${TIMEOUTS:-0}) and no client timeouts" '[ "${TIMEOUTS:-0}" = 0 ] && only_allowed_outcomes 200 503'
finish "$RSS" "SQS delayed ${DELAY_MS} ms per request write (SendMessageBatch took ${CALL_MS} ms on average), MAX_PENDING_EVENTS=$MAX_PENDING, max pending seen ${MAX_SEEN:-?}; backpressure 503s ${BACKPRESSURE:-0}; outcomes: $(outcomes)"
