#!/usr/bin/env bash
# Page latency of `kho serve` with wrk --latency on loopback: the event page (target p99 < 20 ms,
# DESIGN.md §6), and for context the home page, a photo page, a search page and the event's JSON.
# Every request carries Chromium's own `Accept-Encoding: gzip, deflate, br, zstd` (issue 15).
#
#   bench/web/page_latency.sh KHO_BINARY [SAMPLES_DIR] [SECONDS] [CONNECTIONS]
#   bench/web/page_latency.sh KHO_BINARY --generated GEN_BINARY [SECONDS] [CONNECTIONS] [EVENTS] [PHOTOS]
#
# Ingests SAMPLES_DIR (default samples/) into a temporary archive; the event measured is the one with
# the most photos (the seed's). With --generated, kho-bench-gen-archive (bench/web/gen_archive.cc) writes
# EVENTS events (default 50,000) and one event of PHOTOS photos (default 5,000) instead, and the home page
# is also measured deep in its pages and filtered by a year. Everything it starts is stopped on exit.
#
# Printed per route: req/s, wall p50/p90/p99 (wrk), and the server's CPU per request (utime + stime of the kho
# process from /proc/PID/stat before and after, over the requests wrk made), with the load average before and
# after each route: on a shared machine the wall figures mostly measure waiting for a core, the CPU figure not.
# The event page keeps its body per archive version (webui/src/page_cache.h), so its figures are those of a
# page already seen; "first view" lines give the CPU of pages not kept yet (one request each, new pages), and
# with --generated, kho-bench-event-stages (next to GEN_BINARY, when built) splits an uncached page into stages.
set -euo pipefail
KHO=$(realpath "${1:?usage: page_latency.sh KHO_BINARY [SAMPLES_DIR] [SECONDS] [CONNECTIONS]}")
HERE=$(cd "$(dirname "$0")" && pwd)
GEN=""
if [ "${2:-}" = "--generated" ]; then
  GEN=$(realpath "${3:?--generated needs the kho-bench-gen-archive binary}")
  set -- "$1" "" "${@:4}"  # the remaining arguments keep their places: SECONDS is $3
fi
SAMPLES=${2:-$HERE/../../samples}
SECS=${3:-10}
CONNS=${4:-8}
GEN_EVENTS=${5:-50000}
GEN_PHOTOS=${6:-5000}
ACCEPT="Accept-Encoding: gzip, deflate, br, zstd"
THREADS=$(( CONNS < 2 ? 1 : 2 ))
WORK=$(mktemp -d /tmp/kho-bench-pages.XXXXXX)
KHO_PID=""
cleanup() {
  [ -n "$KHO_PID" ] && kill "$KHO_PID" 2>/dev/null && wait "$KHO_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

BIG_EVENT=""
if [ -n "$GEN" ]; then
  BIG_EVENT=$("$GEN" "$WORK/archive" "$GEN_EVENTS" "$GEN_PHOTOS")
else
  "$KHO" --archive "$WORK/archive" ingest "$SAMPLES" >/dev/null 2>&1 || [ $? -eq 1 ]
fi
PORT=$(free_port)
"$KHO" --archive "$WORK/archive" serve --port "$PORT" 2>/dev/null &
KHO_PID=$!
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/api/events" && break; sleep 0.1; done

if [ -n "$GEN" ]; then
  EVENT=$BIG_EVENT
else
  EVENT=$(curl -sf "http://127.0.0.1:$PORT/api/events" |
    python3 -c 'import json,sys; e=max(json.load(sys.stdin)["events"], key=lambda e: e["photo_count"]); print(e["id"])')
fi
PHOTO=$(curl -sf "http://127.0.0.1:$PORT/api/event/$EVENT" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["photos"][0]["digest"])')
HTML_BYTES=$(curl -sf "http://127.0.0.1:$PORT/event/$EVENT" | wc -c || true)
WIRE_BYTES=$(curl -sf -H "$ACCEPT" "http://127.0.0.1:$PORT/event/$EVENT" | wc -c || true)
echo "event $EVENT ($HTML_BYTES bytes of HTML, $WIRE_BYTES on the wire), $CONNS connections, ${SECS}s each"
# Server CPU per request (utime + stime of the kho process over the run / requests): on this shared
# 2-core machine the wall-clock percentiles also count waiting for a core; the CPU figure does not.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$KHO_PID/stat"; }
TICK_MS=$(python3 -c 'import os; print(1000 / os.sysconf("SC_CLK_TCK"))')
load() { cut -d' ' -f1 /proc/loadavg; }
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at start; $(nproc) cores"
printf "%-28s %10s %8s %8s %8s %12s %11s\n" route req/s p50 p90 p99 "cpu/req ms" "load"
ROUTES=("/event/$EVENT" "/api/event/$EVENT" "/" "/photo/$PHOTO" "/search?q=thanh+hoa" "/dups")
[ -n "$GEN" ] && ROUTES=("/event/$EVENT" "/event/$EVENT?page=13&sort=name" "/api/event/$EVENT" "/"
                         "/?page=1000" "/?date=2015" "/photo/$PHOTO")
for route in "${ROUTES[@]}"; do
  load0=$(load)
  before=$(cpu_ticks)
  out=$(wrk -t"$THREADS" -c"$CONNS" -d"${SECS}s" --latency -H "$ACCEPT" "http://127.0.0.1:$PORT$route")
  after=$(cpu_ticks)
  reqs=$(awk '/requests in/ {print $1}' <<<"$out")
  cpu=$(python3 -c "print(f'{($after - $before) * $TICK_MS / max($reqs, 1):.3f}')")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p90=$(awk '$1=="90%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  name=${route:0:28}
  printf "%-28s %10s %8s %8s %8s %12s %11s\n" "$name" "$rps" "$p50" "$p90" "$p99" "$cpu" "$load0-$(load)"
done

# First views: pages of the big event that no request has asked for yet (each page and sort once), so the
# server builds and renders each; CPU per request from /proc as above (jiffies: 10 ms each, hence many pages).
PAGES=$(curl -sf "http://127.0.0.1:$PORT/api/event/$EVENT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["pages"])')
URLS=()
for sort in name article; do
  for p in $(seq 2 "$PAGES"); do URLS+=("http://127.0.0.1:$PORT/event/$EVENT?page=$p&sort=$sort"); done
done
if [ "${#URLS[@]}" -gt 0 ]; then
  before=$(cpu_ticks)
  start=$(date +%s.%N)
  for u in "${URLS[@]}"; do curl -sf -o /dev/null -H "$ACCEPT" "$u"; done
  end=$(date +%s.%N)
  after=$(cpu_ticks)
  python3 -c "n=${#URLS[@]}; print(f'first view of {n} event pages (sort name/article, page 2..): ' +
    f'{($after - $before) * $TICK_MS / n:.3f} ms server CPU a page, {($end - $start) * 1000 / n:.1f} ms wall a page ' +
    f'(curl, one at a time; load $(load))')"
fi
STAGES="$(dirname "${GEN:-/nonexistent}")/kho-bench-event-stages"
if [ -n "$GEN" ] && [ -x "$STAGES" ]; then
  kill "$KHO_PID" 2>/dev/null && wait "$KHO_PID" 2>/dev/null || true
  KHO_PID=""
  echo "uncached event page by stage (kho-bench-event-stages, thread CPU, load $(load)):"
  "$STAGES" "$WORK/archive" "$EVENT" 50
fi
