#!/usr/bin/env bash
# Issue 16: a caption fix through `kho serve` while `kho ingest` writes 1,000 photos into the same archive.
# Target: p99 < 200 ms for the fix (POST /photo/{digest}/edit, answered after its journal entry commits).
#
#   bench/web/caption_during_ingest.sh KHO_BINARY [PHOTOS] [WORKDIR]
#
# Photos: ImageMagick cuts one random plasma image into PHOTOS (default 1000) tiles of 160×120 px, each its
# own small JPEG (~5 KB, all different). The archive first gets the repository's samples/ (a photo to
# correct) and an editor account; then the server starts and an editor signs in. First, 200 fixes with
# nothing else writing; then the big ingest starts in the background and caption fixes are sent back to back
# (each a new text, no pause: many samples, so p99 is not just the maximum) over one kept-alive connection,
# timed from the request's first byte to the answer's last (no curl start-up in the figure), until the ingest
# ends. A second connection meanwhile reads the photo's JSON (no write lock: it tells waiting behind ingest's
# writes from this machine's load). Prints count, p50, p90, p99 and max in ms, the ingest's wall, user and
# system time, the server's CPU time per fix, and the load average (uptime) before, during and after: on a
# shared machine every wall-clock figure needs it. Everything it starts is stopped on exit.
set -euo pipefail
KHO=$(realpath "${1:?usage: caption_during_ingest.sh KHO_BINARY [PHOTOS] [WORKDIR]}")
N=${2:-1000}
HERE=$(cd "$(dirname "$0")" && pwd)
SAMPLES=$HERE/../../samples
KEEP=${3:-}  # a WORKDIR given is kept afterwards
WORK=${3:-$(mktemp -d /tmp/kho-bench-caption.XXXXXX)}
mkdir -p "$WORK"
KHO_PID=""
INGEST_PID=""
cleanup() {
  [ -n "$INGEST_PID" ] && kill "$INGEST_PID" 2>/dev/null && wait "$INGEST_PID" 2>/dev/null || true
  [ -n "$KHO_PID" ] && kill "$KHO_PID" 2>/dev/null && wait "$KHO_PID" 2>/dev/null || true
  [ -z "$KEEP" ] && rm -rf "$WORK"
  return 0
}
trap cleanup EXIT
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# 1,000 different small JPEGs from one ImageMagick run.
PHOTOS="$WORK/incoming/Bench $N photos"
mkdir -p "$PHOTOS"
COLS=40
ROWS=$(( (N + COLS - 1) / COLS ))
convert -size $((COLS * 160))x$((ROWS * 120)) plasma:fractal -crop 160x120 +repage -quality 85 \
  "$PHOTOS/tile_%04d.jpg"
ls "$PHOTOS" | sort | tail -n +$((N + 1)) | while read -r f; do rm -f "$PHOTOS/$f"; done
echo "photos: $(ls "$PHOTOS" | wc -l) JPEGs, $(du -sh "$PHOTOS" | cut -f1) in $PHOTOS"

ARCHIVE="$WORK/archive"
"$KHO" --archive "$ARCHIVE" ingest "$SAMPLES" >/dev/null 2>&1 || [ $? -eq 1 ]
printf 'bench-password-1\n' | "$KHO" --archive "$ARCHIVE" user add bench --role editor --password-stdin >/dev/null
PORT=$(free_port)
"$KHO" --archive "$ARCHIVE" serve --port "$PORT" 2>/dev/null &
KHO_PID=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/login" && break; sleep 0.1; done
JAR="$WORK/cookies"
curl -s -o /dev/null -c "$JAR" -d 'name=bench&password=bench-password-1' "http://127.0.0.1:$PORT/login"
CSRF=$(curl -s -b "$JAR" "http://127.0.0.1:$PORT/" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 | cut -d'"' -f4)
[ -n "$CSRF" ] || { echo "login failed" >&2; exit 1; }
EVENT=$(curl -s -b "$JAR" "http://127.0.0.1:$PORT/api/events" |
  python3 -c 'import json,sys; print(max(json.load(sys.stdin)["events"], key=lambda e: e["photo_count"])["id"])')
PHOTO=$(curl -s -b "$JAR" "http://127.0.0.1:$PORT/api/event/$EVENT" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["photos"][0]["digest"])')
echo "correcting photo $PHOTO on port $PORT"

load() { uptime | sed 's/.*load average: //'; }
server_cpu() {  # the server's user+sys CPU seconds so far
  awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$KHO_PID/stat"
}
# Fixes over one kept-alive connection until the file $3 appears (or $2 fixes are done), plus reads of the
# photo's JSON on a second connection; writes one line of ms per request to $1 (fixes) and $1.reads.
timed_fixes() {  # $1: output file, $2: at most this many fixes (0: until $3 exists), $3: stop file, $4: label
  python3 - "$PORT" "$PHOTO" "$CSRF" "$(grep -o 'kho_session[^[:space:]]*[[:space:]][0-9a-f]*' "$JAR" |
    awk '{print $NF}')" "$1" "$2" "$3" "$4" <<'PY'
import http.client, os, sys, threading, time, urllib.parse
port, photo, csrf, session, out, most, stop, label = sys.argv[1:9]
most = int(most)
headers = {"Cookie": "kho_session=" + session, "X-CSRF-Token": csrf, "Accept": "application/json",
           "Content-Type": "application/x-www-form-urlencoded"}
done = threading.Event()
def reads():
    c = http.client.HTTPConnection("127.0.0.1", int(port))
    with open(out + ".reads", "w") as f:
        while not done.is_set():
            t = time.perf_counter()
            c.request("GET", "/api/photo/" + photo, headers={"Cookie": headers["Cookie"]})
            r = c.getresponse(); r.read()
            f.write(f"{(time.perf_counter() - t) * 1000:.3f}\n")
            time.sleep(0.005)
reader = threading.Thread(target=reads)
reader.start()
c = http.client.HTTPConnection("127.0.0.1", int(port))
i, bad = 0, 0
with open(out, "w") as f:
    while (most == 0 and not os.path.exists(stop)) or (most and i < most):
        i += 1
        body = urllib.parse.urlencode({"caption": f"Chú thích sửa lần {label} {i} trong lúc nhập ảnh"})
        t = time.perf_counter()
        c.request("POST", f"/photo/{photo}/edit", body=body, headers=headers)
        r = c.getresponse(); r.read()
        ms = (time.perf_counter() - t) * 1000
        if r.status != 200:
            bad += 1
            print(f"fix {i} answered {r.status}", file=sys.stderr)
        f.write(f"{ms:.3f}\n")
done.set()
reader.join()
sys.exit(1 if bad else 0)
PY
}
summary() {  # $1: file of ms, $2: label
  python3 - "$1" "$2" <<'PY'
import sys
t = sorted(float(x) for x in open(sys.argv[1]) if x.strip())
if not t: sys.exit("no samples")
def pct(p): return t[min(len(t) - 1, int(round(p / 100 * (len(t) - 1))))]
print(f"{sys.argv[2]}: n={len(t)} p50={pct(50):.1f} ms p90={pct(90):.1f} ms "
      f"p99={pct(99):.1f} ms max={t[-1]:.1f} ms")
PY
}
echo "load before: $(load)"
IDLE="$WORK/idle.txt"
CPU0=$(server_cpu)
timed_fixes "$IDLE" 200 /nonexistent idle
CPU1=$(server_cpu)
summary "$IDLE" "caption fix, no ingest running"
summary "$IDLE.reads" "photo JSON read, no ingest running"
echo "server CPU per fix, no ingest: $(python3 -c "print(round(($CPU1 - $CPU0) * 1000 / 200, 2))") ms (reads included)"
echo "load after the idle fixes: $(load)"

TIMES="$WORK/times.txt"
STOP="$WORK/ingest.done"
rm -f "$STOP"
START=$(date +%s.%N)
( /usr/bin/time -f '%e %U %S' -o "$WORK/ingest.time" "$KHO" --archive "$ARCHIVE" ingest "$WORK/incoming" \
    >"$WORK/ingest.log" 2>&1 || true; touch "$STOP" ) &
INGEST_PID=$!
CPU0=$(server_cpu)
( sleep 5; echo "load during ingest (5 s in): $(load)" ) &
timed_fixes "$TIMES" 0 "$STOP" ingest || true
CPU1=$(server_cpu)
wait "$INGEST_PID" || true
INGEST_PID=""
END=$(date +%s.%N)
read -r WALL USR SYS < "$WORK/ingest.time" || true
echo "ingest: $(python3 -c "print(round($END - $START, 1))") s wall (user ${USR:-?} s, sys ${SYS:-?} s);" \
  "$(grep -c . "$TIMES") caption fixes during it"
tail -3 "$WORK/ingest.log" | sed 's/^/  ingest: /'
summary "$TIMES" "caption fix during ingest (target p99 < 200 ms)"
summary "$TIMES.reads" "photo JSON read during ingest (for comparison)"
echo "server CPU per fix during ingest: $(python3 -c "print(round(($CPU1 - $CPU0) * 1000 / max(1, $(grep -c . "$TIMES")), 2))") ms (reads included)"
echo "load after: $(load)"
"$KHO" --archive "$ARCHIVE" history "$PHOTO" --json | python3 -c 'import json,sys; print("journal entries for the photo:", len(json.load(sys.stdin)["corrections"]))'
