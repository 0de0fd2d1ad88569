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
# The kernel's copy of the image data into the page cache is most of kho's CPU (it is the same copy `cp`
# makes), so each round also times `cp` of the same files: kho minus cp is what writing the metadata costs.
#
# Usage: bench/export/run.sh [--kho PATH] [--work DIR] [--bases B] [--photos N]
# Needs: ImageMagick (convert, identify), exiftool (libimage-exiftool-perl), python3, GNU time.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
KHO=${KHO:-$ROOT/build/app/kho}
WORK=${WORK:-/tmp/kho-bench-export}
SHARED=${SHARED:-$ROOT/../shared/photos}
BASES=8
PHOTOS=1000
while [ $# -gt 0 ]; do
  case $1 in
    --kho) KHO=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --bases) BASES=$2; shift 2 ;;
    --photos) PHOTOS=$2; shift 2 ;;
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
python3 - "$EVENT" "$ARGS" "$WORK/plain" <<'PY'
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
for round in 1 2; do
  rm -rf "$WORK/plain" "$WORK/out" && mkdir -p "$WORK/plain"
  cp "$EVENT"/*.jpg "$WORK/plain/"
  sync
  /usr/bin/time -f '%U %S %e' -o "$WORK/exiftool.time" exiftool -q -q -@ "$ARGS" >/dev/null 2>&1 || true
  # Each output is removed once timed, so the originals plus one set of copies stay in the page cache
  # (with every set kept, 4 × N × 4.5 MB evicted the originals and the runs measured disk reads).
  rm -rf "$WORK/plain"
  cat "$EVENT"/*.jpg >/dev/null
  /usr/bin/time -f '%U %S %e' -o "$WORK/kho.time" "$KHO" --archive "$ARCHIVE" export "$EVENT_ID" --to "$WORK/out" \
    --json >"$WORK/kho-export.json" 2>/dev/null || true
  rm -rf "$WORK/out"
  cat "$EVENT"/*.jpg >/dev/null
  # The floor: the same bytes copied with cp (copy_file_range, as kho does for the image data), no metadata.
  rm -rf "$WORK/cp" && mkdir -p "$WORK/cp"
  /usr/bin/time -f '%U %S %e' -o "$WORK/cp.time" cp "$EVENT"/*.jpg "$WORK/cp/"
  rm -rf "$WORK/cp"
  exported=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["exported"]), len(d["errors"]))' "$WORK/kho-export.json")
  k=$(cpu "$WORK/kho.time"); e=$(cpu "$WORK/exiftool.time")
  echo "round $round: $PHOTOS photos; kho export CPU ${k}s (exported, errors: $exported; wall $(awk '{print $3}' "$WORK/kho.time")s)," \
       "exiftool CPU ${e}s (wall $(awk '{print $3}' "$WORK/exiftool.time")s); kho/exiftool = $(python3 -c "print(round($k/$e, 4))")" \
       "= 1/$(python3 -c "print(round($e/$k, 1))"); cp of the same files (the floor of writing copies at all):" \
       "CPU $(cpu "$WORK/cp.time")s"
done
