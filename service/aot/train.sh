#!/usr/bin/env bash
# Records the service's JDK AOT cache (JDK 25: classes loaded and linked ahead of time, method
# profiles recorded, JEPs 483/514/515) from a short training run: the real jar, started with the
# production JVM options, serves every kind of request (dev/server's TrainingLoad) against a
# throwaway ElasticMQ; when it exits the JVM writes the cache. Start the jar with
# -XX:AOTCache=<cache> (same JDK build, same jar path) and it answers sooner and runs faster in its
# first seconds (bench/README.md).
#
#   service/aot/train.sh                      # from the repository root, after
#                                             # mvn -pl dev/server -am package -DskipTests:
#                                             # writes service/target/eventsink.aot
#   java @service/jvm.options -XX:AOTCache=service/target/eventsink.aot -jar service/target/eventsink-service.jar
#
# Arguments (all optional): service jar, cache to write, class path of dev/server (ElasticMQ and
# the training load). Environment: JAVA (java to use; default $JAVA_HOME/bin/java), TRAINING_SECONDS (20).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
JAR=${1:-service/target/eventsink-service.jar}
CACHE=${2:-service/target/eventsink.aot}
DEV_CP=${3:-dev/server/target/eventsink-dev.jar:dev/server/target/libs/*}
JAVA=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}
SECONDS_TO_TRAIN=${TRAINING_SECONDS:-20}
SQS_PORT=${TRAINING_SQS_PORT:-29324}
PORT=${TRAINING_PORT:-29300}
MGMT=${TRAINING_MANAGEMENT_PORT:-29390}
WORK=$(mktemp -d)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

[ -f "$JAR" ] || { echo "train: no service jar at $JAR (mvn -pl dev/server -am package -DskipTests)" >&2; exit 1; }
rm -f "$CACHE"

"$JAVA" -Xmx512m -cp "$DEV_CP" io.eventsink.embeddedsqs.EmbeddedSqs "$SQS_PORT" training > "$WORK/sqs.out" 2> "$WORK/sqs.log" &
PIDS+=($!)
QUEUE_URL=""
for _ in $(seq 1 300); do
    QUEUE_URL=$(sed -n 's/^QUEUE_URL=//p' "$WORK/sqs.out" | head -1)
    [ -n "$QUEUE_URL" ] && break
    sleep 0.1
done
[ -n "$QUEUE_URL" ] || { echo "train: ElasticMQ did not start" >&2; cat "$WORK/sqs.log" >&2; exit 1; }

# The production options (the image's entry point reads the same file), plus the cache to write.
env PORT="$PORT" MANAGEMENT_PORT="$MGMT" HOST=127.0.0.1 SQS_QUEUE_URL="$QUEUE_URL" \
    SQS_ENDPOINT="http://127.0.0.1:$SQS_PORT" AWS_REGION=elasticmq \
    AWS_ACCESS_KEY_ID=training AWS_SECRET_ACCESS_KEY=training \
    "$JAVA" @"$HERE/../jvm.options" -XX:AOTCacheOutput="$CACHE" -jar "$JAR" > "$WORK/service.out" 2> "$WORK/service.log" &
SERVICE=$!
PIDS+=("$SERVICE")

"$JAVA" -cp "$DEV_CP" io.eventsink.dev.TrainingLoad "http://127.0.0.1:$PORT" "http://127.0.0.1:$MGMT" "$SECONDS_TO_TRAIN"

# An orderly exit (SIGTERM: drain, then exit) is when the JVM assembles the cache.
kill -TERM "$SERVICE"
wait "$SERVICE" || true
if [ ! -s "$CACHE" ]; then
    echo "train: no AOT cache was written; the service's log:" >&2
    tail -50 "$WORK/service.log" >&2
    exit 1
fi
echo "train: wrote $CACHE ($(du -h "$CACHE" | cut -f1))"
