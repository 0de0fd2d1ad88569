#!/usr/bin/env bash
# The export benchmark of issue 13 / DESIGN.md §6 (wave 2): `kho export` writing caption, headline, event,
# creator, credit, date and source into copies of N 12-MP JPEGs, against `exiftool -overwrite_original`
# writing the same fields (XMP + IPTC, UTF-8 marker) into plain copies of the same files, in one exiftool
# process for all files (its fastest use: one Perl start, one -execute block per file from an argfile).
# Target: kho's CPU (user + sys) ≤ 1/10 of exiftool's.
#
# The corpus: B distinct 12-MP JPEGs made from real photos of ../shared/photos (upscaled to 4000×3000
# with Gaussian noise 0.4 at quality 92, as bench/ingest/run.sh makes them), copied N times over with a
# unique comment segment after SOI so every file has its own digest; plus an article export (.txt) in the
# same folder that references every photo with its own caption and an author line, so kho links them
# and every copy gets all the fields. The archive is made by `kho ingest` (not timed).
#
# kho writes each copy's image data with O_DIRECT from a mapping of the original (ingest/src/export_direct.cc):
# no CPU copy, the copies never enter the page cache. Each round also times `cp` of the same files (the
# page-cache copy kho used to make with copy_file_range, and still makes for small files): its CPU is
# what kho no longer pays, and it varies a lot with the page cache's state.
#
# Three rounds (--rounds R), alternating which of exiftool and kho runs first; each prints both CPU times
# (user + sys, GNU time) with the wall times and the load average, and the end gives the median ratio.
# Round 1 also checks the copies: image data byte-identical to the original's (all files), exiftool reads
# caption, headline, event and creator back, and ImageMagick's pixel signature equals the original's.
#
# Usage: bench/export/run.sh [--kho PATH] [--work DIR] [--bases B] [--photos N] [--rounds R]
# Needs: ImageMagick (convert, identify), exiftool (libimage-exiftool-perl), python3, GNU time.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
KHO=${KHO:-$ROOT/build/app/kho}
WORK=${WORK:-/tmp/kho-bench-export}
SHARED=${SHARED:-$ROOT/../shared/photos}
BASES=8
PHOTOS=1000
ROUNDS=3
while [ $# -gt 0 ]; do
  case $1 in
    --kho) KHO=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --bases) BASES=$2; shift 2 ;;
    --photos) PHOTOS=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
for tool in convert identify exiftool python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 2; }
done
[ -x "$KHO" ] || { echo "no kho binary at $KHO" >&2; exit 2; }
mkdir -p "$WORK/bases"
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# --- the corpus -------------------------------------------------------------------------------------
if [ "$(ls "$WORK/bases" | wc -l)" -lt "$BASES" ]; then
  log "making $BASES 12-MP base JPEGs"
  n=0
  find "$SHARED" -iname '*.jpg' | LC_ALL=C sort | while read -r f; do
    dims=$(identify -format '%w %h' "$f[0]" 2>/dev/null) || continue
    set -- $dims
    [ "$1" -ge 600 ] && [ "$2" -ge 400 ] || continue
    n=$((n + 1))
    out="$WORK/bases/base_$(printf %03d $n).jpg"
    [ -f "$out" ] || nice convert "$f[0]" -auto-orient -resize '4000x3000!' -attenuate 0.4 +noise Gaussian \
      -quality 92 "$out"
    [ "$n" -ge "$BASES" ] && break
  done
fi
EVENT="$WORK/event-$PHOTOS"
if [ "$(ls "$EVENT" 2>/dev/null | grep -c '\.jpg$')" -lt "$PHOTOS" ]; then
  log "making $PHOTOS distinct copies and their article"
  rm -rf "$EVENT" && mkdir -p "$EVENT"
  python3 - "$WORK/bases" "$EVENT" "$PHOTOS" <<'PY'
import os, sys
bases, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
files = sorted(os.path.join(bases, f) for f in os.listdir(bases))
data = [open(f, 'rb').read() for f in files]
lines = ["TUẦN VĂN HÓA, DU LỊCH THÀNH PHỐ THANH HÓA: ẢNH ĐO TỐC ĐỘ XUẤT", "", "Ngày 01/12/2020 08:30:00", "",
         "Bài đo tốc độ xuất ảnh kèm chú thích của Kho.", ""]
for i in range(n):
    b = data[i % len(data)]
    com = ("kho export bench %06d" % i).encode()
    seg = b"\xff\xfe" + (len(com) + 2).to_bytes(2, "big") + com
    name = "ảnh tuần văn hóa %04d.jpg" % i
    open(os.path.join(out, name), "wb").write(b[:2] + seg + b[2:])
    lines += [name, "", "Các đại biểu dự lễ khai mạc Tuần Văn hóa, Du lịch thành phố năm 2020, ảnh số %d." % i, ""]
lines += ["Minh Anh (Trung tâm Văn hóa, Thông tin, Thể thao và Du lịch TP Thanh Hóa)", ""]
open(os.path.join(out, "bai-viet.txt"), "w", encoding="utf-8").write("\n".join(lines))
PY
fi
ARCHIVE="$WORK/archive-$PHOTOS"
if [ ! -d "$ARCHIVE" ]; then
  log "ingesting (not timed)"
  nice "$KHO" --archive "$ARCHIVE" ingest "$EVENT" --jobs 2 >/dev/null 2>&1 || true
fi
EVENT_ID=$("$KHO" --archive "$ARCHIVE" events --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["events"][0]["id"])')

# --- exiftool's argfile: the same fields kho writes, per file ----------------------------------------
ARGS="$WORK/exiftool-args-$PHOTOS.txt"
RUNS="$WORK/runs"  # every timed run's output, removed only at the end (see retire below)
rm -rf "$RUNS" && mkdir -p "$RUNS" && { chattr +T "$RUNS" 2>/dev/null || true; }
trap 'rm -rf "$RUNS"' EXIT
python3 - "$EVENT" "$ARGS" "$RUNS/plain" <<'PY'
import os, sys, subprocess, json
event, args, plain = sys.argv[1], sys.argv[2], sys.argv[3]
title = "TUẦN VĂN HÓA, DU LỊCH THÀNH PHỐ THANH HÓA: ẢNH ĐO TỐC ĐỘ XUẤT"
org = "Trung tâm Văn hóa, Thông tin, Thể thao và Du lịch TP Thanh Hóa"
out = []
for name in sorted(f for f in os.listdir(event) if f.endswith(".jpg")):
    i = int(name.split()[-1].split(".")[0])
    cap = "Các đại biểu dự lễ khai mạc Tuần Văn hóa, Du lịch thành phố năm 2020, ảnh số %d." % i
    out += ["-charset", "iptc=UTF8", "-IPTC:CodedCharacterSet=UTF8",
            "-XMP-dc:Description=" + cap, "-IPTC:Caption-Abstract=" + cap,
            "-XMP-photoshop:Headline=" + title, "-IPTC:Headline=" + title[:256],
            "-XMP-iptcExt:Event=" + title, "-XMP-dc:Creator=Minh Anh", "-IPTC:By-line=Minh Anh",
            "-XMP-photoshop:Credit=" + org, "-IPTC:Credit=" + org.encode()[:32].decode("utf-8", "ignore"),
            "-XMP-photoshop:DateCreated<DateTimeOriginal", "-IPTC:DateCreated<DateTimeOriginal",
            "-IPTC:TimeCreated<DateTimeOriginal", "-XMP-dc:Source=" + os.path.join(event, "bai-viet.txt"),
            "-overwrite_original", os.path.join(plain, name), "-execute"]
open(args, "w", encoding="utf-8").write("\n".join(out) + "\n")
PY

cpu() { awk '{print $1 + $2}' "$1"; }
wall() { awk '{print $3}' "$1"; }
load() { awk '{print $1}' /proc/loadavg; }
# No output is deleted until the end. This VM's ext4 has no journal, and without one ext4 checks every inode it
# allocates against the inode table for a recent deletion (fs/ext4/ialloc.c, recently_deleted()): right after
# the previous run's `rm -rf` of 1,000 files, creating 1,000 new ones cost kho 1.1 s more sys time (perf: 27%
# of its samples in recently_deleted and the block lookups under it), which was the file system's, not the
# export's. So each run's output is renamed aside and dropped from the page cache (sync, then
# POSIX_FADV_DONTNEED) instead: the originals plus one set of copies stay cached, as before (with every set
# cached, 4 × N × 4.5 MB evicted the originals and the runs measured disk reads). RUNS has the TOPDIR flag,
# so each new output folder gets its own block group. A sync before each timed run keeps the previous run's
# writeback out of it. Needs N × 4.5 MB × 3 per round of free disk (40 GB for the default).
evict() {  # DIR: write it back and drop it from the page cache
  sync
  python3 - "$1" <<'PY'
import os, sys
for f in os.listdir(sys.argv[1]):
    fd = os.open(os.path.join(sys.argv[1], f), os.O_RDONLY)
    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    os.close(fd)
PY
}
retire() {  # DIR NAME: rename a timed run's output aside (a rename frees no inode) and drop it from the cache
  [ -d "$1" ] || return 0
  evict "$1"
  mv "$1" "$RUNS/$2"
}
run_exiftool() {
  mkdir -p "$RUNS/plain"
  cp "$EVENT"/*.jpg "$RUNS/plain/"
  sync
  /usr/bin/time -f '%U %S %e' -o "$WORK/exiftool.time" exiftool -q -q -@ "$ARGS" >/dev/null 2>&1 || true
  retire "$RUNS/plain" "plain-$1"
  cat "$EVENT"/*.jpg >/dev/null
}
run_kho() {
  sync
  /usr/bin/time -f '%U %S %e' -o "$WORK/kho.time" "$KHO" --archive "$ARCHIVE" export "$EVENT_ID" --to "$RUNS/out" \
    --json >"$WORK/kho-export.json" 2>/dev/null || true
  [ "$1" = 1 ] && verify
  retire "$RUNS/out" "out-$1"
  cat "$EVENT"/*.jpg >/dev/null
}
# The floor of writing copies through the page cache: the same bytes copied with cp (copy_file_range).
run_cp() {
  mkdir -p "$RUNS/cp"
  sync
  /usr/bin/time -f '%U %S %e' -o "$WORK/cp.time" cp "$EVENT"/*.jpg "$RUNS/cp/"
  retire "$RUNS/cp" "cp-$1"
  cat "$EVENT"/*.jpg >/dev/null
}
verify() {
  python3 - "$WORK/kho-export.json" <<'PY' || { echo "VERIFY FAILED" >&2; exit 1; }
import json, struct, sys
def scan(b):
    i = 2
    while i + 4 <= len(b):
        if b[i + 1] == 0xFF: i += 1; continue
        if b[i + 1] == 0xDA: return b[i:]
        i += 2 + struct.unpack(">H", b[i + 2:i + 4])[0]
    return None
d = json.load(open(sys.argv[1]))
bad, aligned = [], 0
for e in d["exported"]:
    c, o = open(e["path"], "rb").read(), open(e["source"], "rb").read()
    sc, so = scan(c), scan(o)
    if sc is None or sc != so: bad.append(e["path"]); continue
    aligned += (len(c) - len(sc)) % 4096 == (len(o) - len(so)) % 4096
print("verify: %d copies, %d errors; image data identical to the original's: %d; image data at the original's "
      "offset mod 4096 (the O_DIRECT path): %d" % (len(d["exported"]), len(d["errors"]), len(d["exported"]) - len(bad), aligned))
sys.exit(1 if bad or d["errors"] else 0)
PY
  python3 - "$WORK/kho-export.json" <<'PY' || { echo "VERIFY FAILED" >&2; exit 1; }
import json, subprocess, sys
d = json.load(open(sys.argv[1]))
title = "TUẦN VĂN HÓA, DU LỊCH THÀNH PHỐ THANH HÓA: ẢNH ĐO TỐC ĐỘ XUẤT"
picks = [d["exported"][i] for i in (0, len(d["exported"]) // 2, len(d["exported"]) - 1)]
for e in picks:
    j = json.loads(subprocess.run(["exiftool", "-j", "-G1", "-charset", "iptc=UTF8", e["path"]], capture_output=True).stdout)[0]
    assert j["XMP-dc:Description"] == j["IPTC:Caption-Abstract"] and "ảnh số" in j["XMP-dc:Description"], e
    assert j["XMP-photoshop:Headline"] == title and j["XMP-iptcExt:Event"] == title, e
    assert j["XMP-dc:Creator"] == "Minh Anh" and j["IPTC:By-line"] == "Minh Anh", e
    sig = subprocess.run(["identify", "-format", "%#", e["path"], e["source"]], capture_output=True, text=True).stdout
    assert len(sig) == 128 and sig[:64] == sig[64:], (e, sig)
print("verify: exiftool reads caption (XMP, IPTC), headline, event and creator back, and ImageMagick's pixel "
      "signature equals the original's, on %d copies" % len(picks))
PY
}

ratios=()
kcpu=()
ecpu=()
for round in $(seq 1 "$ROUNDS"); do
  start_load=$(load)
  if [ $((round % 2)) = 1 ]; then
    order="exiftool, kho, cp"; run_exiftool "$round"; run_kho "$round"
  else
    order="kho, exiftool, cp"; run_kho "$round"; run_exiftool "$round"
  fi
  run_cp "$round"
  exported=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["exported"]), len(d["errors"]))' "$WORK/kho-export.json")
  k=$(cpu "$WORK/kho.time"); e=$(cpu "$WORK/exiftool.time")
  ratios+=("$(python3 -c "print($e/$k)")"); kcpu+=("$k"); ecpu+=("$e")
  echo "round $round ($order; load $start_load at start, $(load) at end): $PHOTOS photos;" \
       "kho export CPU ${k}s (user $(awk '{print $1}' "$WORK/kho.time") + sys $(awk '{print $2}' "$WORK/kho.time");" \
       "exported, errors: $exported; wall $(wall "$WORK/kho.time")s)," \
       "exiftool CPU ${e}s (wall $(wall "$WORK/exiftool.time")s); kho/exiftool = 1/$(python3 -c "print(round($e/$k, 1))");" \
       "cp of the same files through the page cache: CPU $(cpu "$WORK/cp.time")s (wall $(wall "$WORK/cp.time")s)"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
echo "median over $ROUNDS rounds: kho CPU $(median "${kcpu[@]}")s, exiftool CPU $(median "${ecpu[@]}")s," \
     "kho/exiftool = 1/$(python3 -c "print(round($(median "${ratios[@]}"), 1))") (median of the per-round ratios:" \
     "$(printf '1/%.1f ' "${ratios[@]}")); target ≤ 1/10; load now $(cat /proc/loadavg | cut -d' ' -f1-3)"
