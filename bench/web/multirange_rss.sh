#!/usr/bin/env bash
# Peak memory of `kho serve` under eight simultaneous `Range: bytes=0-,0-,…` (2,700 parts) requests on a
# 1280 px thumbnail (issue 17, item 4). Prints each answer's status and size, and the server's VmHWM
# before and after.
#
#   bench/web/multirange_rss.sh KHO_BINARY ARCHIVE_DIR [PORT]
#
# ARCHIVE_DIR must hold at least one event with a photo (e.g. `kho --archive A ingest samples`).
set -euo pipefail
KHO=$(realpath "${1:?usage: multirange_rss.sh KHO_BINARY ARCHIVE_DIR [PORT]}")
ARCHIVE=${2:?archive directory}
PORT=${3:-18742}
"$KHO" --archive "$ARCHIVE" serve --port "$PORT" 2>/dev/null &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/api/events" && break; sleep 0.1; done
E=$(curl -s "http://127.0.0.1:$PORT/api/events" | python3 -c 'import json,sys; print(json.load(sys.stdin)["events"][0]["id"])')
P=$(curl -s "http://127.0.0.1:$PORT/api/event/$E" | python3 -c 'import json,sys; print(json.load(sys.stdin)["photos"][0]["digest"])')
RANGE="bytes=0-$(python3 -c 'print(",0-" * 2699)')"
echo "before: $(grep VmHWM /proc/$PID/status)"
for _ in 1 2 3 4 5 6 7 8; do
  curl -s -o /dev/null -w "%{http_code} %{size_download} bytes\n" -H "Range: $RANGE" "http://127.0.0.1:$PORT/thumb/$P/1280" &
done
wait $(jobs -p | grep -v "^$PID$")
sleep 1
echo "after: $(grep -E 'VmHWM' /proc/$PID/status), $(grep VmRSS /proc/$PID/status)"
