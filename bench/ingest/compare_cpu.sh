#!/usr/bin/env bash
# CPU of a whole `kho ingest --jobs 1` into a fresh archive, for two kho binaries over the same photos, runs
# interleaved (A B A B …) so the shared machine's load hits both alike. Prints each run's user+sys seconds,
# the medians and B/A. Written for issue 15 (what the 640 px thumbnail costs at ingest):
#   bench/ingest/compare_cpu.sh KHO_BEFORE KHO_AFTER PHOTO_DIR [ROUNDS=3]
# PHOTO_DIR: e.g. the 12-MP corpus bench/ingest/run.sh --corpus-only makes ($WORK/cpu).
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 KHO_BEFORE KHO_AFTER PHOTO_DIR [ROUNDS]" >&2; exit 2; }
A=$1 B=$2 DIR=$3 ROUNDS=${4:-3}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
echo "load before: $(uptime | sed 's/.*load average: //')"
run() {  # run BINARY → user+sys seconds
  rm -rf "$WORK/archive"
  /usr/bin/time -f '%U %S' -o "$WORK/t" "$1" --archive "$WORK/archive" ingest "$DIR" --jobs 1 >/dev/null 2>&1 || true
  awk '{printf "%.2f", $1 + $2}' "$WORK/t"
}
as=() bs=()
for r in $(seq "$ROUNDS"); do
  a=$(run "$A"); b=$(run "$B")
  as+=("$a"); bs+=("$b")
  echo "round $r: before $a s, after $b s CPU"
done
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
ma=$(median "${as[@]}"); mb=$(median "${bs[@]}")
echo "photos: $(ls "$DIR" | wc -l); median CPU before $ma s, after $mb s: after/before = $(awk -v a="$ma" -v b="$mb" 'BEGIN {printf "%.3f", b / a}')"
echo "load after: $(uptime | sed 's/.*load average: //')"
