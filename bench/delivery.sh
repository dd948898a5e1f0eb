#!/usr/bin/env bash
# Delivery benchmark: nginx's canned 200 (the machine's ceiling), the stdout sink and SQS client
# candidates against ElasticMQ in its own process, each a fresh JVM measured in 5 s windows from
# its start (events/s, p50/p99, service CPU per event, queue check), alternating over rounds.
#
#   bench/delivery.sh                                   # lean-helidon vs sdk-netty, 2 rounds
#   CANDIDATES=lean-helidon,lean-helidon-defaults,lean-jdk,sdk-netty,sdk-netty-trimmed,sdk-crt,sdk-apache5,sdk-urlconnection \
#     ROUNDS=2 bench/delivery.sh                        # every candidate
#   AOT_CACHE=service/target/eventsink.aot CANDIDATES= STDOUT=false bench/delivery.sh
#                                                       # the shipped jar with and without its AOT cache
#                                                       # (several caches: AOT_CACHE=a.aot,b.aot)
#   BASELINE_JAR=/tmp/base/service/target/eventsink-service.jar CANDIDATES= NGINX=false bench/delivery.sh
#                                                       # this build's jar against another build's
#
# Other settings (environment): WINDOWS (14), WINDOW_SECONDS (5), CONNECTIONS (32),
# STEADY_FROM_SECONDS (35), QUEUE_WARMUP_SECONDS (40), SERVICE_HEAP ("-Xms512m -Xmx512m"),
# NGINX (true), OUT (bench/results/delivery). Needs wrk and nginx (apt-get install wrk nginx-light).
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/jdk.sh
for tool in wrk nginx; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install wrk nginx-light)" >&2; exit 1; }
done
if [ ! -f bench/delivery/target/eventsink-bench-delivery.jar ] || [ ! -f service/target/eventsink-service.jar ]; then
    mvn -B -q -Plab -pl bench/delivery -am package -DskipTests
fi
exec "$JAVA_HOME/bin/java" -cp "bench/delivery/target/eventsink-bench-delivery.jar:bench/delivery/target/libs/*" \
    io.eventsink.bench.delivery.DeliveryBench
