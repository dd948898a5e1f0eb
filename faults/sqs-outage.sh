#!/usr/bin/env bash
# Fault 3: the queue goes away during load and comes back.
#
# ElasticMQ keeps messages in memory, so killing it also destroys what it had stored — a loss of
# the queue, not of the service. To measure the service honestly the service reaches ElasticMQ
# through DelayProxy (the "network path", no delay here). The outage is:
#   1. cut the path (the proxy closes every connection and refuses new ones: from the service's
#      side the queue is unreachable, exactly as when the process dies),
#   2. read every message ElasticMQ #1 stored (nothing new can arrive: the path is cut),
#   3. kill -9 ElasticMQ #1, start ElasticMQ #2 on the same port and recreate the queue,
#   4. open the path again, at least OUTAGE_S seconds after the cut.
# Delivered = what #1 held + what #2 holds at the end. Checked: no 200 without delivery, 503 with
# Retry-After while down, readiness UP -> DOWN -> UP, and the service's peak RSS (VmHWM).
# The cut comes once WARM events were delivered; the load ends once AFTER more were delivered
# after the path opened again (both bounded in time).
#   faults/sqs-outage.sh       (CONNECTIONS=32 WARM=1000 AFTER=1000 OUTAGE_S=6)
. "$(dirname "$0")/lib.sh"
scenario sqs-outage
PORT=23300 MGMT=23390 SQS_PORT=23324 PROXY=23325 CONTROL=23326
LOAD_MS=${LOAD_MS:-90000} CONNECTIONS=${CONNECTIONS:-32} WARM=${WARM:-1000} AFTER=${AFTER:-1000} OUTAGE_S=${OUTAGE_S:-6}

start_sqs "$SQS_PORT" outage 1
proxy_start "$PROXY" "$SQS_PORT" "$CONTROL" 0
VIA_PROXY=${QUEUE_URL/:$SQS_PORT\//:$PROXY\/}
start_sink "$PORT" "$MGMT" 1 SQS_QUEUE_URL="$VIA_PROXY" SQS_ENDPOINT="http://127.0.0.1:$PROXY"
watch_ready "$MGMT"
log "service up (pid $SINK_PID), load: $CONNECTIONS connections"
start_load url="http://127.0.0.1:$PORT/" connections="$CONNECTIONS" durationMs="$LOAD_MS" prefix=out \
    retries=0 timeoutMs=30000 refusalPauseMs=20
wait_delivered "$MGMT" "$WARM" 30
T_CUT=$(now_ms)
proxy_cmd "$CONTROL" cut
sleep 1
drain_queue "http://127.0.0.1:$SQS_PORT" "$QUEUE_URL"
BEFORE=$(wc -l < "$DIR/delivered.txt")
kill -9 "$SQS_PID"
wait "$SQS_PID" 2>/dev/null || true
log "queue cut and ElasticMQ #1 killed after reading its $BEFORE messages"
start_sqs "$SQS_PORT" outage 2
# The path stays cut for at least OUTAGE_S (ElasticMQ #2's start-up usually takes most of it).
while [ $(( $(now_ms) - T_CUT )) -lt $((OUTAGE_S * 1000)) ]; do sleep 0.1; done
proxy_cmd "$CONTROL" open
T_OPEN=$(now_ms)
log "ElasticMQ #2 up, path open after $(( T_OPEN - T_CUT )) ms"
wait_delivered "$MGMT" $(( $(delivered "$MGMT") + AFTER )) 30
stop_load
RSS=$(peak_rss_mb "$SINK_PID")
stop_sink
kill "$WATCH_PID" 2>/dev/null || true
log "load done: $(outcomes)"
drain_queue "http://127.0.0.1:$SQS_PORT" "$QUEUE_URL"
compare_queue
# Readiness: UP before the cut, DOWN during the outage, UP again after the path opened.
UP_BEFORE=$(awk -v t="$T_CUT" '$1 < t && $2 == 200' "$DIR/readiness.txt" | wc -l)
DOWN_DURING=$(awk -v a="$T_CUT" -v b="$T_OPEN" '$1 >= a && $1 < b && $2 == 503' "$DIR/readiness.txt" | wc -l)
UP_AFTER=$(awk -v t="$T_OPEN" '$1 >= t && $2 == 200' "$DIR/readiness.txt" | wc -l)
FIRST_DOWN=$(awk -v t="$T_CUT" '$1 >= t && $2 == 503 {print $1 - t; exit}' "$DIR/readiness.txt")
FIRST_UP=$(awk -v t="$T_OPEN" '$1 >= t && $2 == 200 {print $1 - t; exit}' "$DIR/readiness.txt")
N503=$(prop "$DIR/client.properties" outcome.503)
LOST=$(prop "$DIR/queue.properties" lost 1)
check "no acknowledged event lost ($LOST)" '[ "$LOST" = 0 ]'
check "503s while down ($N503), all with Retry-After" '[ "$N503" -gt 0 ] && [ "$(prop "$DIR/client.properties" refusedWithoutRetryAfter 1)" = 0 ]'
check "readiness UP ($UP_BEFORE) -> DOWN ($DOWN_DURING, first after ${FIRST_DOWN:-?} ms) -> UP ($UP_AFTER, first after ${FIRST_UP:-?} ms)" '[ "$UP_BEFORE" -gt 0 ] && [ "$DOWN_DURING" -gt 0 ] && [ "$UP_AFTER" -gt 0 ]'
check "only 200 and 503 answers, no client timeout" 'only_allowed_outcomes 200 503'
check "events acknowledged after the outage" '[ "$(wc -l < "$DIR/delivered.txt")" -gt "$BEFORE" ]'
finish "$RSS" "path cut after $BEFORE stored events for $(( (T_OPEN - T_CUT) / 1000 ))s; p99 of 503 answers $(prop "$DIR/client.properties" refusedP99Ms) ms; outcomes: $(outcomes)"
