#!/usr/bin/env bash
# Issue 16: a caption fix through `kho serve` while `kho ingest` writes 1,000 photos into the same archive.
# Target: p99 < 200 ms for the fix (POST /photo/{digest}/edit, answered after its journal entry commits).
#
#   bench/web/caption_during_ingest.sh KHO_BINARY [PHOTOS] [WORKDIR]
#
# Photos: ImageMagick cuts one random plasma image into PHOTOS (default 1000) tiles of 160×120 px, each its
# own small JPEG (~5 KB, all different). The archive first gets the repository's samples/ (a photo to
# correct) and an editor account; then the server starts, an editor signs in with curl, the big ingest
# starts in the background, and one caption fix after another (a new text each time, 20 ms apart) is timed
# with curl's time_total until the ingest ends, each followed by a read of the photo's JSON (no write lock:
# it shows how much of the time is this machine's load rather than waiting behind ingest's writes). First,
# 100 fixes with nothing else writing. Prints the count, p50, p90, p99 and max in ms, and how long the
# ingest took. Everything it starts is stopped on exit.
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

# The same fix with nothing else writing, for comparison (this machine's load counts in both).
fix() {  # $1: a number for the caption text; prints "HTTP_CODE SECONDS"
  curl -s -o /dev/null -w '%{http_code} %{time_total}' -b "$JAR" -H "X-CSRF-Token: $CSRF" \
       -H 'Accept: application/json' --data-urlencode "caption=Chú thích sửa lần $1 trong lúc nhập ảnh" \
       "http://127.0.0.1:$PORT/photo/$PHOTO/edit"
}
summary() {  # $1: file of seconds, $2: label
  python3 - "$1" "$2" <<'PY'
import sys
t = sorted(float(x) * 1000 for x in open(sys.argv[1]) if x.strip())
if not t: sys.exit("no samples")
def pct(p): return t[min(len(t) - 1, int(round(p / 100 * (len(t) - 1))))]
print(f"{sys.argv[2]}: n={len(t)} p50={pct(50):.1f} ms p90={pct(90):.1f} ms "
      f"p99={pct(99):.1f} ms max={t[-1]:.1f} ms")
PY
}
IDLE="$WORK/idle.txt"
: > "$IDLE"
for i in $(seq 100); do out=$(fix "idle $i"); echo "${out#* }" >> "$IDLE"; sleep 0.02; done
summary "$IDLE" "caption fix, no ingest running"

TIMES="$WORK/times.txt"
READS="$WORK/reads.txt"
: > "$TIMES"
: > "$READS"
START=$(date +%s.%N)
"$KHO" --archive "$ARCHIVE" ingest "$WORK/incoming" >"$WORK/ingest.log" 2>&1 &
INGEST_PID=$!
i=0
while kill -0 "$INGEST_PID" 2>/dev/null; do
  i=$((i + 1))
  out=$(fix "$i")
  code=${out%% *}
  [ "$code" = 200 ] || echo "fix $i answered $code" >&2
  echo "${out#* }" >> "$TIMES"
  # A read of the same photo (no write lock involved): tells waiting for ingest's writes from machine load.
  curl -s -o /dev/null -w '%{time_total}\n' -b "$JAR" "http://127.0.0.1:$PORT/api/photo/$PHOTO" >> "$READS"
  sleep 0.02
done
wait "$INGEST_PID" || true
INGEST_PID=""
END=$(date +%s.%N)
echo "ingest: $(python3 -c "print(round($END - $START, 1))") s; $(grep -c . "$TIMES") caption fixes during it"
tail -3 "$WORK/ingest.log" | sed 's/^/  ingest: /'
summary "$TIMES" "caption fix during ingest (target p99 < 200 ms)"
summary "$READS" "photo JSON read during ingest (for comparison)"
"$KHO" --archive "$ARCHIVE" history "$PHOTO" --json | python3 -c 'import json,sys; print("journal entries for the photo:", len(json.load(sys.stdin)["corrections"]))'
