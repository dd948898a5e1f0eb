#!/usr/bin/env bash
# Fault 6: slow and stalled clients (issue 11). SlowClients holds ATTACKERS connections to the
# public port, a third each sending half a request head then nothing, a whole head
# (Content-Length: 1000) and one body byte then nothing, or a whole head then the body at one
# byte per second; each connection the service closes is re-opened at once, so ~ATTACKERS stay
# open for the whole attack. The service runs with its default deadlines (HEAD_MS / BODY_MS =
# REQUEST_HEAD_TIMEOUT_MS / REQUEST_BODY_TIMEOUT_MS, 10 s), so every attacker meets its deadline
# once or twice while the load runs, in the memory of the operator's default pod (512Mi).
# Phase 1: the normal load (LoadClient, CONNECTIONS keep-alive connections, each sending one
# event every PACE_MS, for LOAD_MS) alone = the baseline. Phase 2: the same load once the
# attackers are all connected (it spans their first deadline, when they are closed and re-open).
# The load is paced (64 x 5/s = 320 events/s, 30-50 % of what this machine takes) rather than
# closed-loop: at full speed the load generator, ElasticMQ, the attacker and the service fight for
# the same two cores and p99 would measure CPU share, not what the attack does to the service.
# Checked: >= 99 % of the load answered 200; every stalled request gets 408 with a JSON reason (or
# 503 at accept, over MAX_CONNECTIONS) and its connection is closed, never before its deadline;
# 408s counted as request timeouts only, and by the request timer as 408s (never as 200s);
# readiness answers within the Deployment's 2 s probe timeout; RSS within the Deployment's
# 512 MiB; platform threads flat; no OutOfMemoryError, no stack trace; every 200 is in the queue.
# Targets (reported, not failed: see lib.sh): the load's p99 within P99_FACTOR (2) x the baseline's,
# every close within its deadline + 1 s (by the service's clock:
# eventsink_connections_close_lateness_seconds; by the attackers' own at ATTACKER_NICE=0).
#   faults/slow-clients.sh     (ATTACKERS=10000 CONNECTIONS=64 PACE_MS=200 LOAD_MS=12000 HEAD_MS=BODY_MS=10000)
#   SINK_JVM_OPTS="-Xms64m -Xmx256m" faults/slow-clients.sh    (a smaller heap: the service caps its connections lower)
# The JVM as in the operator's default pod: the image's options (service/jvm.options) in a 512Mi
# memory limit. The service must hold the attack in what a pod really has; it caps its connections
# to what that heap holds.
SINK_JVM_OPTS=${SINK_JVM_OPTS:--XX:MaxRAM=512m @service/jvm.options}
. "$(dirname "$0")/lib.sh"
scenario slow-clients
PORT=23600 MGMT=23690 SQS_PORT=23624
LOAD_MS=${LOAD_MS:-12000} CONNECTIONS=${CONNECTIONS:-64} PACE_MS=${PACE_MS:-200} ATTACKERS=${ATTACKERS:-10000}
HEAD_MS=${HEAD_MS:-10000} BODY_MS=${BODY_MS:-10000} MIX=${MIX:-1:1:1} RAMP_PER_S=${RAMP_PER_S:-2500}
# The memory limit of the pod in the operator's Deployment (512Mi): the service must fit in it.
RSS_LIMIT_MB=${RSS_LIMIT_MB:-512}
P99_FACTOR=${P99_FACTOR:-2}
# The attackers' scheduling priority (nice 0-19). On a real network they run on other machines;
# here they share the service's two cores. At 19 they take only CPU nobody else wants, so the run
# measures what holding 10,000 connections costs the service, not the CPU the attacking process
# takes from it (ATTACKER_NICE=0 shows that too: see faults/README.md). Their own clock is then
# late by their scheduling, so how late each connection was closed is read from the service.
ATTACKER_NICE=${ATTACKER_NICE:-19}
# Attackers, load client and service each hold one descriptor per connection.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
FD_LIMIT=$(ulimit -n)
if [ "$FD_LIMIT" != unlimited ] && [ $((ATTACKERS + 1000)) -gt "$FD_LIMIT" ]; then
    echo "faults: open-file limit $FD_LIMIT: using $((FD_LIMIT - 1000)) attackers instead of $ATTACKERS" >&2
    ATTACKERS=$((FD_LIMIT - 1000))
fi
SINK_ENV=(${SINK_ENV:-})

# sample <file>: every 0.5 s "<ms> <VmRSS kB> <threads> <connections open (-1: /metrics took > 2 s)>
# <readiness answer ms (5000: none within 5 s)>" of the service (a probe's timeout is 2 s in our Deployment)
sample() {
    local file=$1 open ready
    (
        for _ in $(seq 1 400); do
            open=$(curl -s --max-time 2 "http://127.0.0.1:$MGMT/metrics" | awk '/^eventsink_connections_open/{printf "%d", $NF}' || true)
            ready=$(curl -s -o /dev/null --max-time 5 -w '%{http_code} %{time_total}' "http://127.0.0.1:$MGMT/health/ready" || true)
            awk -v t="$(now_ms)" -v o="${open:--1}" -v h="${ready:-000 5}" '/^VmRSS:/{r=$2} /^Threads:/{n=$2}
                END{split(h, a, " "); printf "%s %s %s %s %d\n", t, r, n, o, (a[1] + 0 > 0) ? 1000 * a[2] : 5000}' \
                "/proc/$SINK_PID/status" 2>/dev/null || true
            sleep 0.5
        done
    ) > "$file" 2>/dev/null &
    SAMPLE_PID=$!
    PIDS+=("$SAMPLE_PID")
}
# cpu_ticks: the service's utime + stime, in clock ticks
cpu_ticks() { awk '{print $14 + $15}' "/proc/$SINK_PID/stat" 2>/dev/null || echo 0; }
# colmax <file> <column>: the largest value of a sample column
colmax() { awk -v c="$2" '$c > m {m=$c} END{printf "%d", m}' "$1"; }
metric() { awk -v k="$2" 'index($0, k) == 1 {printf "%d", $NF; f=1} END{if (!f) print 0}' "$1"; }
TICKS=$(getconf CLK_TCK)
HEAP=$(grep -oE -- "-Xmx[^ ]*|-XX:MaxRAM=[^ ]*" <<< "$SINK_JVM_OPTS" | tail -1 || true)

# GC log: pauses are one of the things that delay deadlines under 10 000 connections.
SINK_JVM_OPTS="$SINK_JVM_OPTS -Xlog:gc:file=$DIR/gc.log"
start_sqs "$SQS_PORT" slowclients 1
start_sink "$PORT" "$MGMT" 1 SQS_QUEUE_URL="$QUEUE_URL" SQS_ENDPOINT="http://127.0.0.1:$SQS_PORT" \
    REQUEST_HEAD_TIMEOUT_MS="$HEAD_MS" REQUEST_BODY_TIMEOUT_MS="$BODY_MS" ${SINK_ENV[@]+"${SINK_ENV[@]}"}
mkdir -p "$DIR/warmup" "$DIR/baseline" "$DIR/attack" "$DIR/attackers"
log "service up (pid $SINK_PID), head/body deadlines $HEAD_MS/$BODY_MS ms; warm-up, then the baseline: $CONNECTIONS connections for $((LOAD_MS / 1000)) s"
start_load url="http://127.0.0.1:$PORT/" connections="$CONNECTIONS" durationMs=3000 prefix=sw out="$DIR/warmup" retries=0
wait "$LOAD_PID" || true

# Phase 1: the normal load alone.
sample "$DIR/baseline-samples.txt"
C0=$(cpu_ticks)
start_load url="http://127.0.0.1:$PORT/" connections="$CONNECTIONS" durationMs="$LOAD_MS" prefix=sb out="$DIR/baseline" retries=0 paceMs="$PACE_MS"
wait "$LOAD_PID" || true
C1=$(cpu_ticks)
kill "$SAMPLE_PID" 2>/dev/null || true
B=$DIR/baseline/client.properties
log "baseline: $(prop "$B" ackedPerSecond) 200s/s, p99 $(prop "$B" okP99Ms) ms; now $ATTACKERS slow clients (mix $MIX)"

# Phase 2: the attackers, then the same load while they are held.
rm -f "$DIR/attackers/stop"
nice -n "$ATTACKER_NICE" "$JAVA" -Xmx1g -cp "$FAULTS_CP" io.eventsink.faults.SlowClients url="http://127.0.0.1:$PORT/" \
    connections="$ATTACKERS" mix="$MIX" headTimeoutMs="$HEAD_MS" bodyTimeoutMs="$BODY_MS" graceMs=5000 \
    rampPerSecond="$RAMP_PER_S" out="$DIR/attackers" stopFile="$DIR/attackers/stop" maxDurationMs=90000 \
    > "$DIR/attackers.out" 2>&1 &
ATTACK_PID=$!
ATTACK_AT=$(now_ms)
PIDS+=("$ATTACK_PID")
sample "$DIR/attack-samples.txt"
for _ in $(seq 1 600); do
    [ -f "$DIR/attackers/ramped" ] && break
    kill -0 "$ATTACK_PID" 2>/dev/null || break
    sleep 0.1
done
log "attackers: $(cat "$DIR/attackers/ramped" 2>/dev/null || echo 'did not ramp up') (service: $(tail -1 "$DIR/attack-samples.txt" | awk '{print $4}') open); normal load again"
C2=$(cpu_ticks)
ATTACK_LOAD_AT=$(now_ms)
start_load url="http://127.0.0.1:$PORT/" connections="$CONNECTIONS" durationMs="$LOAD_MS" prefix=sa out="$DIR/attack" retries=0 paceMs="$PACE_MS"
wait "$LOAD_PID" || true
C3=$(cpu_ticks)
touch "$DIR/attackers/stop"
# The attackers open no new connection now; the last ones end at their deadline (+ grace at worst).
for _ in $(seq 1 $(( (HEAD_MS > BODY_MS ? HEAD_MS : BODY_MS) / 100 + 150 ))); do
    kill -0 "$ATTACK_PID" 2>/dev/null || break
    sleep 0.1
done
kill "$ATTACK_PID" 2>/dev/null || true
wait "$ATTACK_PID" 2>/dev/null || true
sleep 1
kill "$SAMPLE_PID" 2>/dev/null || true
RSS=$(peak_rss_mb "$SINK_PID")
ALIVE=$(kill -0 "$SINK_PID" 2>/dev/null && echo yes || echo no)
curl -s --max-time 5 "http://127.0.0.1:$MGMT/metrics" > "$DIR/metrics.txt" || true
OPEN_AFTER=$(metric "$DIR/metrics.txt" eventsink_connections_open)
METRICS_OK=$(grep -c '^eventsink_connections_open' "$DIR/metrics.txt" || true)
stop_sink 20
log "attack done: $(sed -n 's/^outcome\.//p' "$DIR/attackers/slow-clients.properties" 2>/dev/null | tr '\n' ' ')"

# The table counts every event of the three phases (one queue); rates and percentiles are the attack phase's.
ALL_EVENTS=$(( $(prop "$DIR/warmup/client.properties" events) + $(prop "$B" events) + $(prop "$DIR/attack/client.properties" events) ))
sed "s/^events=.*/events=$ALL_EVENTS/" "$DIR/attack/client.properties" > "$DIR/client.properties"
cat "$DIR/warmup/acked.txt" "$DIR/baseline/acked.txt" "$DIR/attack/acked.txt" > "$DIR/acked.txt"
drain_queue "http://127.0.0.1:$SQS_PORT" "$QUEUE_URL"
compare_queue

A=$DIR/attack/client.properties
S=$DIR/attackers/slow-clients.properties
ratio() { awk -v ok="$(prop "$1" outcome.200)" -v n="$(prop "$1" requests 1)" 'BEGIN{printf "%.2f", (n > 0 ? 100 * ok / n : 0)}'; }
B_RATIO=$(ratio "$B") A_RATIO=$(ratio "$A")
num() { case "$1" in '' | *[!0-9.]*) echo "$2" ;; *) echo "$1" ;; esac; }
B_P99=$(num "$(prop "$B" okP99Ms)" 0) A_P99=$(num "$(prop "$A" okP99Ms)" 999999)
B_RSS_MAX=$(( $(colmax "$DIR/baseline-samples.txt" 2) / 1024 )) B_THREADS_MAX=$(colmax "$DIR/baseline-samples.txt" 3)
A_RSS_MAX=$(( $(colmax "$DIR/attack-samples.txt" 2) / 1024 )) A_THREADS_MAX=$(colmax "$DIR/attack-samples.txt" 3)
A_OPEN_MAX=$(colmax "$DIR/attack-samples.txt" 4)
B_READY_MAX=$(colmax "$DIR/baseline-samples.txt" 5) A_READY_MAX=$(colmax "$DIR/attack-samples.txt" 5)
A_READY_SLOW=$(awk '$5 > 2000 {n++} END{print n + 0}' "$DIR/attack-samples.txt")
A_SAMPLES=$(grep -c . "$DIR/attack-samples.txt" || true)
cpu_s() { awk -v a="$1" -v b="$2" -v t="$TICKS" 'BEGIN{if (b >= a) printf "%.1f", (b - a) / t; else print "n/a"}'; }
B_CPU=$(cpu_s "$C0" "$C1") A_CPU=$(cpu_s "$C2" "$C3")
# a process that died has no VmHWM any more: then the largest RSS sampled
[ "$RSS" -gt 0 ] || RSS=$A_RSS_MAX
HELD="min $(prop "$S" heldMin) / mean $(prop "$S" heldMean)"
N408=$(prop "$S" total.408) REFUSED=$(prop "$S" total.refused503) NOT408=$(( $(prop "$S" total.not408 1) - $(prop "$S" total.refused503) ))
LATE=$(prop "$S" lateOver1s 1) EARLY=$(prop "$S" early 1) STILL_OPEN=$(prop "$S" total.open 1)
LATENESS="p50 $(prop "$S" latenessP50Ms) ms, p99 $(prop "$S" latenessP99Ms) ms, max $(prop "$S" latenessMaxMs) ms"
AFTER="half head $(prop "$S" closedAfter.halfHead.p50Ms)/$(prop "$S" closedAfter.halfHead.maxMs) ms from the first byte, stalled body $(prop "$S" closedAfter.stalledBody.p50Ms)/$(prop "$S" closedAfter.stalledBody.maxMs) ms and dripped body $(prop "$S" closedAfter.dripBody.p50Ms)/$(prop "$S" closedAfter.dripBody.maxMs) ms from the head (p50/max)"
SVC_HEAD=$(metric "$DIR/metrics.txt" 'eventsink_connections_closed_total{reason="head_timeout"')
SVC_BODY=$(metric "$DIR/metrics.txt" 'eventsink_connections_closed_total{reason="body_timeout"')
SVC_OVER=$(metric "$DIR/metrics.txt" 'eventsink_connections_closed_total{reason="over_limit"')
SVC_408=$(metric "$DIR/metrics.txt" 'eventsink_events_rejected_total{reason="request_timeout"')
SVC_MALFORMED=$(metric "$DIR/metrics.txt" 'eventsink_events_rejected_total{reason="malformed_body"')
# The request timer's answers by status, next to the requests the load sent (all three phases).
HTTP_200=$(metric "$DIR/metrics.txt" 'eventsink_http_request_seconds_count{scope="application",status="200"')
HTTP_408=$(metric "$DIR/metrics.txt" 'eventsink_http_request_seconds_count{scope="application",status="408"')
LOAD_REQUESTS=$(( $(prop "$DIR/warmup/client.properties" requests 0) + $(prop "$B" requests 0) + $(prop "$A" requests 0) ))
LOST=$(prop "$DIR/queue.properties" lost 1)
# How long after each client's deadline the service had answered and closed (its own clock).
LATE_SERIES=eventsink_connections_close_lateness_seconds
SVC_CLOSES=$(metric "$DIR/metrics.txt" "${LATE_SERIES}_count{")
SVC_LATE_OVER_1S=$(( SVC_CLOSES - $(metric "$DIR/metrics.txt" "${LATE_SERIES}_bucket{scope=\"application\",le=\"1.0\"") ))
SVC_LATE_MAX_MS=$(awk -v k="${LATE_SERIES}_max{" 'index($0, k) == 1 {printf "%d", 1000 * $NF; f=1} END{if (!f) print 0}' "$DIR/metrics.txt")
SVC_LATENESS="service: $SVC_CLOSES closes past a deadline, max $SVC_LATE_MAX_MS ms, over 1 s $SVC_LATE_OVER_1S"
{
    echo "baselineSuccessPercent=$B_RATIO"
    echo "baselineP99Ms=$B_P99"
    echo "baselineAckedPerSecond=$(prop "$B" ackedPerSecond)"
    echo "baselineRssMaxMb=$B_RSS_MAX"
    echo "baselineThreadsMax=$B_THREADS_MAX"
    echo "baselineServiceCpuSeconds=$B_CPU"
    echo "attackSuccessPercent=$A_RATIO"
    echo "attackP99Ms=$A_P99"
    echo "attackAckedPerSecond=$(prop "$A" ackedPerSecond)"
    echo "attackRssMaxMb=$A_RSS_MAX"
    echo "attackThreadsMax=$A_THREADS_MAX"
    echo "attackServiceOpenMax=$A_OPEN_MAX"
    echo "attackServiceCpuSeconds=$A_CPU"
    echo "attackersCpuSeconds=$(prop "$S" cpuSeconds)"
    echo "serviceHeadTimeouts=$SVC_HEAD"
    echo "serviceBodyTimeouts=$SVC_BODY"
    echo "serviceRequestTimeouts408=$SVC_408"
    echo "serviceOverLimit=$SVC_OVER"
    echo "serviceMalformedBody=$SVC_MALFORMED"
    echo "serviceAnswered200=$HTTP_200"
    echo "serviceAnswered408=$HTTP_408"
    echo "baselineReadinessMaxMs=$B_READY_MAX"
    echo "attackReadinessMaxMs=$A_READY_MAX"
    echo "attackReadinessOver2s=$A_READY_SLOW"
    echo "openAfter=$OPEN_AFTER"
    echo "serviceClosesAfterDeadline=$SVC_CLOSES"
    echo "serviceCloseLatenessMaxMs=$SVC_LATE_MAX_MS"
    echo "serviceCloseLatenessOver1s=$SVC_LATE_OVER_1S"
    echo "attackerNice=$ATTACKER_NICE"
} > "$DIR/slow-clients.properties"
log "baseline: ${B_RATIO}% 200, p99 $B_P99 ms, service CPU ${B_CPU} s; attack: ${A_RATIO}% 200, p99 $A_P99 ms, service CPU ${A_CPU} s, attackers' CPU $(prop "$S" cpuSeconds) s"
# Where in the attack phase the slow answers were (per second of the load: slowest 200), next to
# when the attackers' first deadlines fell (they all connected within the ramp).
SLOW_SECONDS=$(awk -v b="$B_P99" -v f="$P99_FACTOR" '$4 != "n/a" && $4 > f * b {printf "%s:%d ", $1, $4}' "$DIR/attack/timeline.txt" 2>/dev/null || true)
WAVE_FROM=$(( (ATTACK_LOAD_AT - ATTACK_AT) / 1000 ))
WAVE="~$(( HEAD_MS / 1000 - WAVE_FROM ))-$(( HEAD_MS / 1000 - WAVE_FROM + ATTACKERS / RAMP_PER_S + 1 ))"
echo "attackSlowSeconds=${SLOW_SECONDS:-none}" >> "$DIR/slow-clients.properties"
echo "attackFirstDeadlineSeconds=$WAVE" >> "$DIR/slow-clients.properties"
log "load seconds with a 200 slower than ${P99_FACTOR}x the baseline p99 (second:ms): ${SLOW_SECONDS:-none}; the attackers' first deadlines fell in seconds $WAVE of the load"
log "service: RSS max $A_RSS_MAX MiB (baseline $B_RSS_MAX), VmHWM $RSS MiB, threads max $A_THREADS_MAX (baseline $B_THREADS_MAX), open max $A_OPEN_MAX; 408s counted $SVC_408, head/body timeouts $SVC_HEAD/$SVC_BODY"

check "no acknowledged event lost ($LOST)" '[ "$LOST" = 0 ]'
check "normal load under attack: ${A_RATIO}% answered 200 (>= 99%; baseline ${B_RATIO}%), outcomes: $(sed -n 's/^outcome\.//p' "$A" | tr '\n' ' ')" \
    'awk -v r="$A_RATIO" "BEGIN{exit !(r >= 99)}"'
target "p99 of 200s under attack $A_P99 ms <= ${P99_FACTOR}x baseline $B_P99 ms" \
    'awk -v a="$A_P99" -v b="$B_P99" -v f="$P99_FACTOR" "BEGIN{exit !(a <= f * b)}"'
check "attack in force: $ATTACKERS slow connections held ($HELD attacker-side, mean >= 90 %; service gauge max $A_OPEN_MAX) or refused at accept ($REFUSED)" \
    '[ "$(prop "$S" heldMean)" -ge $((ATTACKERS * 90 / 100)) ] || [ "$REFUSED" -gt 0 ]'
check "every slow connection answered 408 with a JSON reason, or 503 at accept ($N408 + $REFUSED of $(prop "$S" attempts) attempts; other outcomes $NOT408)" \
    '[ "$NOT408" = 0 ] && [ "$N408" -gt 0 ]'
check "every slow connection closed, none before its deadline ($(prop "$S" closes) closes; early $EARLY, never closed $STILL_OPEN)" \
    '[ "$EARLY" = 0 ] && [ "$STILL_OPEN" = 0 ] && [ "$(prop "$S" closes)" -gt 0 ]'
if [ "$ATTACKER_NICE" = 0 ]; then
    target "every slow connection closed within its deadline + 1 s (attackers' clock: lateness $LATENESS, later $LATE; $SVC_LATENESS)" '[ "$LATE" = 0 ]'
else
    target "every slow connection closed within its deadline + 1 s ($SVC_LATENESS; the attackers at nice $ATTACKER_NICE saw lateness $LATENESS)" \
        '[ "$SVC_CLOSES" -ge "$N408" ] && [ "$SVC_LATE_OVER_1S" = 0 ]'
fi
check "service counted the 408s ($SVC_408 >= $N408 seen; head/body timeouts $SVC_HEAD/$SVC_BODY), none as a malformed body ($SVC_MALFORMED), no connection left open ($OPEN_AFTER)" \
    '[ "$METRICS_OK" -gt 0 ] && [ "$SVC_408" -ge "$N408" ] && [ "$SVC_MALFORMED" = 0 ] && [ "$OPEN_AFTER" = 0 ]'
check "the request timer counted the 408s as 408 ($HTTP_408 >= $N408) and no deadline as a 200 ($HTTP_200 <= $LOAD_REQUESTS requests the load sent)" \
    '[ "$HTTP_408" -ge "$N408" ] && [ "$HTTP_200" -le "$LOAD_REQUESTS" ]'
check "management port kept answering: readiness within 2 s (the Deployment's probe timeout) in all $A_SAMPLES samples under attack (max $A_READY_MAX ms, over 2 s: $A_READY_SLOW)" \
    '[ "$A_SAMPLES" -gt 0 ] && [ "$A_READY_SLOW" = 0 ]'
check "RSS bounded: max $A_RSS_MAX MiB under attack, VmHWM $RSS MiB <= $RSS_LIMIT_MB MiB (${HEAP:-default heap})" '[ "$RSS" -le "$RSS_LIMIT_MB" ]'
check "platform threads do not grow with connections: $A_THREADS_MAX under attack vs $B_THREADS_MAX (<= baseline + 16)" \
    '[ "$A_THREADS_MAX" -le $((B_THREADS_MAX + 16)) ]'
check "service never ran out of memory (process alive at the end: $ALIVE)" '! grep -q OutOfMemoryError "$DIR"/sink-*.log && [ "$ALIVE" = yes ]'
check "no stack trace in the service's log" '! grep -Eq "^[[:space:]]+at [a-zA-Z]" "$DIR"/sink-*.log'
finish "$RSS" "$ATTACKERS slow clients at nice $ATTACKER_NICE (mix $MIX, deadlines $HEAD_MS/$BODY_MS ms, ${HEAP:-default heap}, held $HELD): normal load ${A_RATIO}% 200, p99 $A_P99 ms vs baseline ${B_RATIO}%, $B_P99 ms; slow clients: $N408 x 408, lateness $LATENESS ($SVC_LATENESS); closed after $AFTER; RSS max $A_RSS_MAX MiB (baseline $B_RSS_MAX), threads $A_THREADS_MAX (baseline $B_THREADS_MAX)"
