#!/usr/bin/env bash
# Issue 14's speed figures, each one command that prints the comparison:
#   bench/formats/run.sh heic   HEIC/HEIF/AVIF: `kho ingest` (hash, metadata, two thumbnails, hashes, catalog)
#                               against `heif-convert` (decode + JPEG encode) of the same files; CPU per file
#   bench/formats/run.sh raw    RAW: `kho ingest` (thumbnails from the embedded preview) against a libraw
#                               half-size decode, `dcraw_emu -h`, of the same files; CPU per file
#   bench/formats/run.sh watch  `kho watch` latency: from a file's close in a watched folder to the photo
#                               being in the archive (read by another process), minus nothing: the figure
#                               includes --settle (given; default 1 s here), which is the point of settling
#   bench/formats/run.sh all
# Options: --kho PATH (build/app/kho), --photos DIR (../shared/photos), --rounds N (3), --settle S (1),
# --files N (watch: 10). CPU is user + sys from GNU time, summed over the rounds; one process per tool and
# round (kho ingest takes all files at once with --jobs 1, so its start-up counts once per round, as does
# a loop of heif-convert/dcraw_emu processes, each with its own start-up).
# Needs: heif-convert (libheif-examples), dcraw_emu (libraw-bin), python3, GNU time.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
KHO=$ROOT/build/app/kho
PHOTOS=$ROOT/../shared/photos
ROUNDS=3
SETTLE=1
FILES=10
WHAT=${1:-all}
[ $# -gt 0 ] && shift
while [ $# -gt 0 ]; do
  case $1 in
    --kho) KHO=$2; shift 2 ;;
    --photos) PHOTOS=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --settle) SETTLE=$2; shift 2 ;;
    --files) FILES=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ -x "$KHO" ] || { echo "no kho binary at $KHO" >&2; exit 2; }
WORK=$(mktemp -d /tmp/kho-bench-formats.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cpu() { awk '{print $1 + $2}' "$1"; }
add() { python3 -c "print(round($1 + $2, 3))"; }

# Copies the files `find` selects into $WORK/$1/ (flat, numbered names keep the extension), keeping only
# those the tool `$2` can read (so both sides work on the same set).
collect() {
  local dest=$WORK/$1 check=$2; shift 2
  mkdir -p "$dest"
  local n=0
  while IFS= read -r -d '' f; do
    local ext=${f##*.}
    local out=$dest/$(printf 'f%03d' $n).$ext
    cp "$f" "$out"
    if ! $check "$out" >/dev/null 2>&1; then rm -f "$out"; continue; fi
    n=$((n + 1))
  done < <(find "$PHOTOS" "$@" -print0 | LC_ALL=C sort -z)
  echo "$n"
}

heic_ok() { heif-convert "$1" "$WORK/probe.jpg"; }
# dcraw_emu exits 0 even when it cannot unpack a file: a readable file is one it wrote an image for.
raw_ok() { rm -f "$WORK/probe.ppm"; dcraw_emu -h -Z "$WORK/probe.ppm" "$1" && [ -s "$WORK/probe.ppm" ]; }

kho_ingest_cpu() {  # $1 folder → CPU seconds of one `kho ingest --jobs 1` into a fresh archive
  rm -rf "$WORK/archive"
  /usr/bin/time -f '%U %S' -o "$WORK/kho.time" "$KHO" --archive "$WORK/archive" ingest "$1" --jobs 1 --json \
    >"$WORK/ingest.json" 2>/dev/null || true
  cpu "$WORK/kho.time"
}

loop_cpu() {  # $1 folder, $2 a command line where {} stands for the file → CPU seconds of running it on each
  local dir=$1 cmd=${2//\{\}/\"\$f\"}
  /usr/bin/time -f '%U %S' -o "$WORK/loop.time" bash -c "for f in \"$dir\"/*; do $cmd >/dev/null 2>&1 || echo \"failed: \$f\" >&2; done" 2>"$WORK/loop.err"
  [ ! -s "$WORK/loop.err" ] || { echo "peer failures:" >&2; cat "$WORK/loop.err" >&2; }
  cpu "$WORK/loop.time"
}

compare() {  # $1 label, $2 folder, $3 count, $4 peer label, $5 the peer's command line ({} = the file)
  local label=$1 dir=$2 n=$3 peer=$4 cmd=$5
  local k=0 p=0
  for _ in $(seq "$ROUNDS"); do
    k=$(add "$k" "$(kho_ingest_cpu "$dir")")
    p=$(add "$p" "$(loop_cpu "$dir" "$cmd")")
  done
  local thumbs
  thumbs=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d.get("photos_added", "?"), "photos added,", len(d.get("errors", [])), "errors")' "$WORK/ingest.json" 2>/dev/null || echo "?")
  python3 - "$label" "$n" "$ROUNDS" "$k" "$p" "$peer" "$thumbs" <<'PY'
import sys
label, n, rounds, k, p, peer, thumbs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), sys.argv[6], sys.argv[7]
per = lambda s: 1000 * s / (n * rounds)
print(f"{label}: {n} files x {rounds} rounds; kho ingest {per(k):.1f} ms CPU/file ({thumbs}); "
      f"{peer} {per(p):.1f} ms CPU/file; kho/peer = {k / p:.2f}" if p > 0 else f"{label}: peer measured 0 s")
PY
}

run_heic() {
  local n
  n=$(collect heic heic_ok \( -iname '*.heic' -o -iname '*.heif' -o -iname '*.hif' -o -iname '*.avif' \) -size +1k)
  [ "$n" -gt 0 ] || { echo "heic: no readable HEIC/HEIF/AVIF file under $PHOTOS"; return; }
  compare "HEIC/HEIF/AVIF thumbnails" "$WORK/heic" "$n" "heif-convert (full decode to JPEG)" \
    "heif-convert {} $WORK/out.jpg"
}

run_raw() {
  local n
  n=$(collect raw raw_ok \( -iname '*.nef' -o -iname '*.cr2' -o -iname '*.cr3' -o -iname '*.arw' -o -iname '*.raf' \
    -o -iname '*.rw2' -o -iname '*.orf' -o -iname '*.pef' -o -iname '*.dng' \) -size +100k)
  # ../shared/photos' RAW files are pruned samples (metadata and previews, no raw image data): point
  # --photos at real camera files for this figure.
  [ "$n" -gt 0 ] || { echo "raw: no RAW file under $PHOTOS that libraw can decode (pruned samples?); use --photos DIR"; return; }
  # dcraw_emu writes FILE.ppm next to its input; -Z sends it to a scratch file instead.
  compare "RAW thumbnails from previews" "$WORK/raw" "$n" "dcraw_emu -h (libraw half-size decode)" \
    "dcraw_emu -h -Z $WORK/out.ppm {}"
}

run_watch() {
  local jpg
  jpg=$(find "$ROOT/samples" -iname '*.jpg' | LC_ALL=C sort | head -1)
  [ -n "$jpg" ] || { echo "watch: no sample JPEG"; return; }
  python3 - "$KHO" "$WORK" "$jpg" "$SETTLE" "$FILES" <<'PY'
import os, subprocess, sys, time, json, statistics
kho, work, jpg, settle, files = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), int(sys.argv[5])
drop, archive, log = os.path.join(work, "drop"), os.path.join(work, "watch-archive"), os.path.join(work, "watch.log")
os.makedirs(os.path.join(drop, "ev"))
w = subprocess.Popen([kho, "--archive", archive, "watch", drop, "--settle", str(settle), "--jobs", "1"],
                     stdout=subprocess.DEVNULL, stderr=open(log, "w"))
try:
    end = time.time() + 20
    while time.time() < end and "catch-up" not in open(log).read():
        time.sleep(0.05)
    base = open(jpg, "rb").read()
    lat = []
    for i in range(files):
        com = b"kho watch bench %06d" % i   # a comment segment: every file is a new photo
        data = base[:2] + b"\xff\xfe" + (len(com) + 2).to_bytes(2, "big") + com + base[2:]
        path = os.path.join(drop, "ev", "w%03d.jpg" % i)
        with open(path, "wb") as f:
            f.write(data)
        closed = time.time()
        while True:
            out = subprocess.run([kho, "--archive", archive, "stats", "--json"], capture_output=True, text=True)
            try:
                photos = json.loads(out.stdout)["databases"]["photos"]["entries"]
            except (ValueError, KeyError):
                photos = 0
            if photos >= i + 1 or time.time() - closed > 30:
                break
            time.sleep(0.05)
        lat.append(time.time() - closed)
        time.sleep(0.2)
    lat.sort()
    print("watch latency (close → in the archive, read by another process, polled every ~50 ms), settle %.1f s, %d files: "
          "median %.2f s, worst %.2f s (median %.2f s after the settle)" % (settle, files, statistics.median(lat),
          lat[-1], statistics.median(lat) - settle))
finally:
    w.terminate()
    w.wait()
PY
}

echo "load: $(uptime)"
case $WHAT in
  heic) run_heic ;;
  raw) run_raw ;;
  watch) run_watch ;;
  all) run_heic; run_raw; run_watch ;;
  *) echo "usage: $0 heic|raw|watch|all [options]" >&2; exit 2 ;;
esac
