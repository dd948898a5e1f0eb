#!/usr/bin/env bash
# The operator at scale: 1,000 EventSinks (or $1) against the fabric8 mock API server and ElasticMQ, the operator in
# its own JVM (see ScaleBenchmark). Figures: operator/target/scale-benchmark.txt (SCALE BENCHMARK lines).
set -euo pipefail
cd "$(dirname "$0")/.."
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED}"
rm -f operator/target/scale-benchmark.txt
mvn -B -q ${MVN_OFFLINE:--o} install -pl settings -DskipTests
mvn -B ${MVN_OFFLINE:--o} test -pl operator -Dtest=ScaleBenchmark -Dsurefire.excludedGroups= -Dsurefire.forkCount=1 \
  -Dsurefire.failIfNoSpecifiedTests=false -Deventsink.scale.count="${1:-1000}" > operator/target/scale-benchmark.log 2>&1 \
  || { tail -40 operator/target/scale-benchmark.log; exit 1; }
cat operator/target/scale-benchmark.txt
