#!/usr/bin/env bash
# The ingest benchmark of issue 5 / DESIGN.md §6, in one run over the same files:
#   1. kho ingest --jobs 1 against `djpeg -scale 1/2` (CPU s/photo; target ≤ 1.25×)
#   2. kho ingest --jobs 1 against vipsthumbnail making 1280 px, then 320 px from it (target ≈ ≤ 0.6×)
#   3. --jobs 2 against --jobs 1 (wall-clock speed-up; target ≥ 1.8×)
#   4. peak memory (max RSS) over 1,000 photos (target < 300 MB)
#   5. re-ingest of an unchanged tree (stat only; target ≥ 20,000 files/s)
#
# The corpus: 12-megapixel JPEGs made from real photos of ../shared/photos, upscaled to 4000×3000 with a
# little Gaussian noise at quality 92 (about 4–5 MB, as cameras produce: noise 0.4; 0.3 gave 3.3 MB). The
# 1,000-photo tree reuses them with a unique JPEG comment segment inserted after SOI, so every file has its
# own digest and is decoded.
#
# Usage: bench/ingest/run.sh [--kho PATH] [--work DIR] [--bases N] [--photos N] [--stat-files N] [--corpus-only]
# --corpus-only makes the corpora and stops, so they can be made while the machine is busy and
# measured later on a quiet one.
# Needs: ImageMagick (convert, identify), libjpeg-turbo-progs (djpeg), libvips-tools, python3, GNU time.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
KHO=${KHO:-$ROOT/build/app/kho}
WORK=${WORK:-/tmp/kho-bench-ingest}
SHARED=${SHARED:-$ROOT/../shared/photos}
BASES=100       # distinct 12-MP photos: the CPU comparisons run over these
PHOTOS=1000     # the memory run
CORPUS_ONLY=0
STAT_FILES=20000  # the re-ingest run (small distinct TIFFs, made by python3). Their first ingest includes
                  # the duplicate update over 20,000 new photos, which takes long: figures are logged as
                  # they come, so an interrupted run still gives the others.
while [ $# -gt 0 ]; do
  case $1 in
    --kho) KHO=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --bases) BASES=$2; shift 2 ;;
    --photos) PHOTOS=$2; shift 2 ;;
    --stat-files) STAT_FILES=$2; shift 2 ;;
    --corpus-only) CORPUS_ONLY=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ "$CORPUS_ONLY" = 1 ] || [ -x "$KHO" ] || { echo "no kho binary at $KHO (build it, or pass --kho)" >&2; exit 2; }
[ -d "$SHARED" ] || { echo "no photos at $SHARED" >&2; exit 2; }
for tool in convert identify djpeg vipsthumbnail python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 2; }
done
mkdir -p "$WORK"
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# --- the corpus -------------------------------------------------------------------------------------
CPU="$WORK/cpu"
# Made once: when fewer photos qualify than --bases asks, bases.txt records how many there are.
WANT=$BASES
[ -f "$WORK/bases.txt" ] && WANT=$(( $(wc -l < "$WORK/bases.txt") < BASES ? $(wc -l < "$WORK/bases.txt") : BASES ))
if [ "$(ls "$CPU" 2>/dev/null | wc -l)" -lt "$WANT" ] || [ "$WANT" -eq 0 ]; then
  log "making $BASES 12-MP JPEGs from $SHARED (takes a few minutes)"
  mkdir -p "$CPU"
  # Real photos of at least 600×400, one per distinct content, in a fixed order (deterministic corpus).
  find "$SHARED" -iname '*.jpg' | LC_ALL=C sort | while read -r f; do
    dims=$(identify -format '%w %h' "$f[0]" 2>/dev/null) || continue
    set -- $dims
    [ "${1:-0}" -ge 600 ] && [ "${2:-0}" -ge 400 ] && echo "$f"
  done | head -n "$BASES" > "$WORK/bases.txt" || true  # head closes the pipe early: not an error
  i=0
  while read -r f; do
    i=$((i + 1))
    convert "$f[0]" -auto-orient -resize '4000x3000!' -attenuate 0.4 +noise Gaussian -quality 92 \
      "$CPU/photo_$(printf %03d $i).jpg" 2>/dev/null &
    if [ $((i % 2)) -eq 0 ]; then wait; fi  # two at a time: the machine has two cores
  done < "$WORK/bases.txt"
  wait
fi
N_CPU=$(ls "$CPU"/*.jpg | wc -l)
AVG_MB=$(du -cb "$CPU"/*.jpg | tail -1 | awk -v n="$N_CPU" '{printf "%.2f", $1 / n / 1e6}')
log "CPU corpus: $N_CPU photos of 4000×3000, $AVG_MB MB each on average"

MEM="$WORK/mem"
if [ "$(find "$MEM" -name '*.jpg' 2>/dev/null | wc -l)" -lt "$PHOTOS" ]; then
  log "making the $PHOTOS-photo tree (copies with a unique comment segment)"
  rm -rf "$MEM"
  python3 - "$CPU" "$MEM" "$PHOTOS" <<'EOF'
import os, sys
src_dir, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
bases = sorted(os.path.join(src_dir, f) for f in os.listdir(src_dir) if f.endswith('.jpg'))
data = [open(b, 'rb').read() for b in bases]
for i in range(n):
    folder = os.path.join(dst, 'event_%03d' % (i // 100))
    os.makedirs(folder, exist_ok=True)
    text = b'kho-bench-%06d' % i
    com = b'\xff\xfe' + (len(text) + 2).to_bytes(2, 'big') + text
    b = data[i % len(data)]
    open(os.path.join(folder, 'photo_%05d.jpg' % i), 'wb').write(b[:2] + com + b[2:])
EOF
fi

STAT="$WORK/stat"
if [ "$(find "$STAT" -name '*.tif' 2>/dev/null | wc -l)" -lt "$STAT_FILES" ]; then
  log "making $STAT_FILES small distinct TIFFs for the re-ingest run"
  rm -rf "$STAT"
  python3 - "$STAT" "$STAT_FILES" <<'EOF'
import os, struct, sys, random
dst, n = sys.argv[1], int(sys.argv[2])
w, h = 32, 24
def tiff(k):
    rnd = random.Random(k)
    e = lambda tag, typ, cnt, val: (struct.pack('<HHIHH', tag, typ, cnt, val, 0) if typ == 3 and cnt == 1
                                     else struct.pack('<HHII', tag, typ, cnt, val))
    bps = 8 + 2 + 10 * 12 + 4
    head = b'II*\0' + struct.pack('<I', 8) + struct.pack('<H', 10) + e(256, 3, 1, w) + e(257, 3, 1, h) + \
        e(258, 3, 3, bps) + e(259, 3, 1, 1) + e(262, 3, 1, 2) + e(273, 4, 1, bps + 6) + e(277, 3, 1, 3) + \
        e(278, 3, 1, h) + e(279, 4, 1, w * h * 3) + e(284, 3, 1, 1) + struct.pack('<I', 0) + \
        struct.pack('<HHH', 8, 8, 8)
    blocks = [[bytes(rnd.randrange(256) for _ in range(3)) for _ in range(4)] for _ in range(3)]
    return head + b''.join(blocks[y // 8][x // 8] for y in range(h) for x in range(w))
for i in range(n):
    folder = os.path.join(dst, 'event_%03d' % (i // 200))
    os.makedirs(folder, exist_ok=True)
    open(os.path.join(folder, 'f_%05d.tif' % i), 'wb').write(tiff(i))
EOF
fi

if [ "$CORPUS_ONLY" = 1 ]; then log "corpora ready in $WORK"; exit 0; fi

# --- measurements -----------------------------------------------------------------------------------
# GNU time: %e wall s, %U user s, %S system s, %M max RSS KB.
measure() {
  /usr/bin/time -f '%e %U %S %M' -o "$WORK/time.txt" "$@" >/dev/null 2>"$WORK/stderr.txt" || true
  local r; r=$(tail -1 "$WORK/time.txt")
  log "  wall user sys maxrss_kb = $r  (${*:1:7})"  # logged at once: a run stopped later keeps it
  echo "$r"
}
cpu_of() { awk '{printf "%.3f", $2 + $3}' <<<"$1"; }
wall_of() { awk '{printf "%.3f", $1}' <<<"$1"; }
rss_mb() { awk '{printf "%.1f", $4 / 1024}' <<<"$1"; }
per_photo_ms() { awk -v c="$1" -v n="$2" 'BEGIN{printf "%.1f", c * 1000 / n}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a / b}'; }

sync
cat "$CPU"/*.jpg >/dev/null  # warm the page cache: we compare CPU, not the disk

log "djpeg -scale 1/2 over $N_CPU photos"
T_DJPEG=$(measure bash -c 'for f in "$0"/*.jpg; do djpeg -scale 1/2 -outfile /dev/null "$f"; done' "$CPU")
log "vipsthumbnail 1280 px, then 320 px from it"
mkdir -p "$WORK/vips"
T_VIPS=$(measure bash -c 'for f in "$0"/*.jpg; do b=$(basename "$f" .jpg);
  vipsthumbnail "$f" --size 1280 -o "$1/${b}_1280.jpg[Q=82]";
  vipsthumbnail "$1/${b}_1280.jpg" --size 320 -o "$1/${b}_320.jpg[Q=82]"; done' "$CPU" "$WORK/vips")
log "kho ingest --jobs 1"
rm -rf "$WORK/a1"; T_KHO1=$(measure "$KHO" --archive "$WORK/a1" ingest "$CPU" --jobs 1 --json)
cp "$WORK/stderr.txt" "$WORK/kho1.stderr"
log "kho ingest --jobs 2"
rm -rf "$WORK/a2"; T_KHO2=$(measure "$KHO" --archive "$WORK/a2" ingest "$CPU" --jobs 2 --json)
log "kho ingest --jobs 2 over $PHOTOS photos (peak memory)"
rm -rf "$WORK/am"; T_MEM=$(measure "$KHO" --archive "$WORK/am" ingest "$MEM" --jobs 2 --json)
log "re-ingest of the unchanged $PHOTOS-photo tree"
T_RE_MEM=$(measure "$KHO" --archive "$WORK/am" ingest "$MEM" --json)
log "first ingest of $STAT_FILES small files, then the timed re-ingest"
rm -rf "$WORK/as"; T_STAT_FIRST=$(measure "$KHO" --archive "$WORK/as" ingest "$STAT" --json)
T_RE=$(measure "$KHO" --archive "$WORK/as" ingest "$STAT" --json)
# --json goes to stdout, which measure() discards: ask once more for the summary's own timing.
RE_SUMMARY=$("$KHO" --archive "$WORK/as" ingest "$STAT" --json 2>/dev/null)
# (through stdin: the summary lists every orphan path, too long for an argument)
RE_SECONDS=$(python3 -c 'import json,sys; d=json.load(sys.stdin)
print(d["seconds"], d["photos_unchanged"], d["files_seen"])' <<<"$RE_SUMMARY")

C_DJ=$(cpu_of "$T_DJPEG"); C_VIPS=$(cpu_of "$T_VIPS"); C_K1=$(cpu_of "$T_KHO1")
W_K1=$(wall_of "$T_KHO1"); W_K2=$(wall_of "$T_KHO2")
W_RE=$(wall_of "$T_RE")
read -r RS RU RF <<<"$RE_SECONDS"
MS_DJ=$(per_photo_ms "$C_DJ" "$N_CPU"); MS_VIPS=$(per_photo_ms "$C_VIPS" "$N_CPU")
MS_K1=$(per_photo_ms "$C_K1" "$N_CPU")
WHOLE="whole process: digest, metadata, decode, 2 derivatives, hashes, LMDB, duplicates"
W_MEM=$(wall_of "$T_MEM"); RSS_MEM=$(rss_mb "$T_MEM"); MEM_CMD='`/usr/bin/time -f %M kho ingest MEMDIR --jobs 2`'
RE_IN=$(awk -v n="$RF" -v s="$RS" 'BEGIN{printf "%.0f", n / s}')
RE_WHOLE=$(awk -v n="$RF" -v s="$W_RE" 'BEGIN{printf "%.0f", n / s}')
RE_FIG="**$RE_IN files/s** (in-process $RS s); $RE_WHOLE files/s whole process ($W_RE s)"

cat <<EOF

kho ingest benchmark ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))
corpus: $N_CPU JPEGs 4000×3000, $AVG_MB MB average; $PHOTOS-photo tree; $STAT_FILES-file stat tree

| measure | command | figure | target |
|---|---|---|---|
| djpeg -scale 1/2 | \`djpeg -scale 1/2 -outfile /dev/null F\` × $N_CPU | $MS_DJ ms CPU/photo | floor |
| vipsthumbnail 1280 → 320 | \`vipsthumbnail F --size 1280\`, then \`--size 320\` of that | $MS_VIPS ms CPU/photo | |
| kho ingest --jobs 1 | \`kho ingest DIR --jobs 1\` ($WHOLE) | $MS_K1 ms CPU/photo | |
| kho / djpeg | | **$(ratio "$C_K1" "$C_DJ")×** | ≤ 1.25× |
| kho / vipsthumbnail | | **$(ratio "$C_K1" "$C_VIPS")×** | ≈ ≤ 0.6× |
| --jobs 2 speed-up | wall \`--jobs 1\` $W_K1 s / \`--jobs 2\` $W_K2 s | **$(ratio "$W_K1" "$W_K2")×** | ≥ 1.8× |
| peak memory, $PHOTOS photos | $MEM_CMD ($W_MEM s wall) | **$RSS_MEM MB** | < 300 MB |
| re-ingest, $PHOTOS photos | \`kho ingest MEMDIR\` again | $(wall_of "$T_RE_MEM") s wall | |
| re-ingest, $RF files | \`kho ingest STATDIR\` again ($RU unchanged) | $RE_FIG | ≥ 20,000 files/s |

first ingest of the stat tree: $(wall_of "$T_STAT_FIRST") s wall, $(cpu_of "$T_STAT_FIRST") s CPU
raw /usr/bin/time lines (wall user sys maxrss_kb):
  djpeg $T_DJPEG
  vips  $T_VIPS
  kho1  $T_KHO1
  kho2  $T_KHO2
  mem   $T_MEM
  re    $T_RE
EOF
