#!/bin/sh
# Wrapper around the Locust master of a headless run (shipped in the chart's ConfigMap).
#  - The container's exit code is Locust's exit code, so the Job succeeds exactly when the load
#    test passes its gate (LOADTEST_MAX_FAILURE_RATIO / LOADTEST_MAX_P95_MS in the locustfile).
#  - After the run, the CSV results are printed to the log between marker lines, so
#    `kubectl logs job/<release>-...-master` returns them even after the pod has finished.
#  - With RESULTS_HOLD_SECONDS > 0 the container stays up that long after the run so the CSV and
#    HTML files in RESULTS_DIR can be fetched with `kubectl cp`; SIGTERM ends the hold early.
# Usage: run-master.sh locust [locust arguments...]
set -u

RESULTS_DIR="${RESULTS_DIR:-/results}"
RESULTS_PRINT_TO_LOG="${RESULTS_PRINT_TO_LOG:-true}"
RESULTS_HOLD_SECONDS="${RESULTS_HOLD_SECONDS:-0}"

mkdir -p "$RESULTS_DIR" || exit 70
rm -f "$RESULTS_DIR/DONE" "$RESULTS_DIR/exit-code"

# Run the command as a child so that a SIGTERM (pod deletion, activeDeadlineSeconds) reaches it.
"$@" &
child=$!
trap 'kill -TERM "$child" 2>/dev/null' TERM INT
rc=0
wait "$child" || rc=$?
if [ "$rc" -gt 128 ] && kill -0 "$child" 2>/dev/null; then
    # wait was interrupted by the trapped signal: let the child finish and take its exit code.
    rc=0
    wait "$child" || rc=$?
fi
trap - TERM INT

echo "$rc" > "$RESULTS_DIR/exit-code"
echo "eventsink-loadtest: locust exited with code $rc"

if [ "$RESULTS_PRINT_TO_LOG" = "true" ]; then
    for f in "$RESULTS_DIR"/*_stats.csv "$RESULTS_DIR"/*_failures.csv "$RESULTS_DIR"/*_exceptions.csv; do
        [ -f "$f" ] || continue
        name=$(basename "$f")
        echo "===== BEGIN $name ====="
        cat "$f"
        echo "===== END $name ====="
    done
fi

touch "$RESULTS_DIR/DONE"
ls -l "$RESULTS_DIR"

case "$RESULTS_HOLD_SECONDS" in
    ''|*[!0-9]*) RESULTS_HOLD_SECONDS=0 ;;
esac
if [ "$RESULTS_HOLD_SECONDS" -gt 0 ]; then
    echo "eventsink-loadtest: results are in $RESULTS_DIR; keeping the pod for ${RESULTS_HOLD_SECONDS}s so they can be copied (kubectl cp)"
    sleep "$RESULTS_HOLD_SECONDS" &
    holder=$!
    trap 'kill "$holder" 2>/dev/null' TERM INT
    wait "$holder" || true
fi

exit "$rc"
