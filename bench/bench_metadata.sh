#!/bin/bash
# Metadata read rate, single thread: kho against `exiftool -fast` and the `exiv2` command, in one run,
# over ../shared/photos and over 12-megapixel JPEGs made from them.
#
#   bench/bench_metadata.sh [BUILD_DIR]      (default: build)
#
# Needs: kho built in BUILD_DIR, ImageMagick (convert), exiv2, exiftool (Debian libimage-exiftool-perl).
# Each tool reads the whole set in ONE process, so per-file figures are not dominated by start-up
# (perl's start-up alone is ~0.1 s). The figure compared is CPU time (user+sys): the machine is shared.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${1:-$root/build}
kho=$build/app/kho
photos=${KHO_SHARED_DIR:-$root/../shared}/photos
work=${TMPDIR:-/tmp}/kho-bench-metadata
mkdir -p "$work"
command -v exiftool >/dev/null || { echo "exiftool missing: apt-get install libimage-exiftool-perl" >&2; exit 2; }
[ -x "$kho" ] || { echo "no kho at $kho" >&2; exit 2; }

# The in-process program: built by bench/CMakeLists.txt when KHO_BUILD_BENCH=ON, else compiled here
# against the libraries of BUILD_DIR.
bench=$build/bench/kho-bench-metadata
if [ ! -x "$bench" ]; then
  bench=$work/kho-bench-metadata
  c++ -std=c++20 -O2 -I"$root/ingest/include" -I"$root/core/include" "$here/bench_metadata.cc" -o "$bench" \
    "$build/ingest/libkho_ingest.a" "$build/core/libkho_core.a" -lexiv2 -lexif -lutf8proc -llmdb -lpthread
fi

# The sets. 1) every image file in ../shared/photos. 2) 12-MP JPEGs: shared photos upscaled to
# 4000x3000 by ImageMagick, which keeps their EXIF/IPTC/XMP.
mapfile -d '' shared < <(find "$photos" -type f ! -name '*.md' ! -name '*.tsv' ! -name '*.txt' \
  ! -name 'LICENSE*' ! -name 'README*' ! -name 'COPYING' ! -name '*.rst' ! -name '*.markdown' -print0 | sort -z)
big=()
for src in "exif-samples/jpg/gps/DSCN0010.jpg" "metadata-extractor-images/jpg/Canon EOS 7D.jpg" \
           "php-image-metadata-parser/tests/Fixtures/IPTC-PhotometadataRef-Std2021.1.jpg" \
           "exif-samples/jpg/hdr/canon_hdr_YES.jpg" "metadata-extractor-images/jpg/Nikon D5000.jpg"; do
  out=$work/12mp_$(basename "$src" | tr ' ' '_')
  [ -s "$out" ] || convert "$photos/$src" -resize '4000x3000!' -quality 90 "$out"
  big+=("$out")
done
# Forty arguments (the five, eight times each) so that start-up is spread thin.
big+=("${big[@]}"); big+=("${big[@]}"); big+=("${big[@]}")

TIMEFORMAT='%R %U %S'
cpu_once() {  # prints user+sys CPU seconds of "$@", output discarded
  local t
  t=$( { time "$@" >/dev/null 2>&1; } 2>&1 | tail -1 )
  awk -v t="$t" 'BEGIN { split(t, a, " "); printf "%.3f", a[2] + a[3] }'
}
cpu_best() {  # the least of three runs: the machine is shared, noise only ever adds time
  local best=
  for _ in 1 2 3; do
    local t; t=$(cpu_once "$@")
    best=$(awk -v a="$t" -v b="${best:-1e9}" 'BEGIN { print (a < b) ? a : b }')
  done
  echo "$best"
}

report() {  # name, files..
  local name=$1; shift
  local n=$#
  echo "== $name: $n files, $(du -ch "$@" | tail -1 | cut -f1)"
  echo "  in-process, one thread, from memory (kho-bench-metadata):"
  "$bench" --rounds "${ROUNDS:-5}" "$@" | sed 's/^/    /'
  # Each tool reads all files in one process. Per file = (CPU for all - CPU for the first alone)
  # / (n - 1): the marginal cost, without the start-up (perl for exiftool, shared libraries for kho).
  local line=""
  for tool in kho exiftool exiv2; do
    local cmd
    case $tool in
      kho) cmd=("$kho" meta --json) ;;
      exiftool) cmd=(exiftool -fast -j) ;;
      exiv2) cmd=(exiv2 -pa) ;;
    esac
    local all one
    all=$(cpu_best "${cmd[@]}" "$@")
    one=$(cpu_best "${cmd[@]}" "$1")
    line="$line $all $one"
  done
  awk -v n="$n" -v l="$line" 'BEGIN {
    split(l, t, " ");
    printf "  %-22s %10s %10s %14s %10s\n", "whole process", "cpu all s", "cpu 1 s", "ms/file (marg)", "files/s";
    split("kho meta --json|exiftool -fast -j|exiv2 -pa", names, "|");
    for (i = 0; i < 3; i++) {
      all = t[2 * i + 1]; one = t[2 * i + 2]; per[i] = (all - one) / (n - 1);
      if (per[i] <= 0) per[i] = 1e-6;
      printf "  %-22s %10.3f %10.3f %14.3f %10.0f\n", names[i + 1], all, one, per[i] * 1000, 1 / per[i];
    }
    printf "  exiftool / kho per file: %.1fx   exiv2 / kho: %.1fx   (whole runs incl. start-up: %.1fx)\n",
           per[1] / per[0], per[2] / per[0], t[3] / t[1];
  }'
}

report "../shared/photos" "${shared[@]}"
report "12-MP JPEGs" "${big[@]}"
