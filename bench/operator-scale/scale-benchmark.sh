#!/usr/bin/env bash
# The operator at scale: 1,000 EventSinks (or $1) against the fabric8 mock API server and ElasticMQ, the operator in its
# own JVM (see ScaleBenchmark). Figures: bench/operator-scale/target/scale-benchmark.txt (SCALE BENCHMARK lines); the
# measured runs are in operator/README.md ("Measured: scale").
set -euo pipefail
cd "$(dirname "$0")/../.."
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED}"
out=bench/operator-scale/target
mkdir -p "$out"
rm -f "$out/scale-benchmark.txt"
# the operator and its test support from this checkout (the reactor), then the benchmark alone
mvn -B -ntp ${MVN_OFFLINE:-} -Plab -pl bench/operator-scale -am verify -Dtest=ScaleBenchmark \
  -Dsurefire.failIfNoSpecifiedTests=false -Deventsink.scale.skip=false -Deventsink.scale.count="${1:-1000}" \
  > "$out/scale-benchmark.log" 2>&1 || { tail -40 "$out/scale-benchmark.log"; exit 1; }
cat "$out/scale-benchmark.txt"
