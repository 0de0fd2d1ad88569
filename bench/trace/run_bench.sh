#!/usr/bin/env bash
# What tracing costs (issue 12): user+sys CPU of a full `kho ingest` of a folder of 12 MP originals with their
# web copies, with and without tracing (`--no-trace`), each on a fresh archive, REPEAT times alternating.
#   run_bench.sh KHO WORKDIR [MEGAPIXELS=12] [REPEAT=2] [JOBS=2] [GRAIN=0.6]
# GRAIN gives the camera frames sensor-like noise, so they have a camera file's size and decode cost (0: the
# smooth upscaled bases, ~0.5 MB at 12 MP, which ingest 5-10x faster than real camera files).
# Prints one line per run, the median overhead, the median of the paired differences, and the cost of tracing
# alone (see alone() below); the set's score is in WORKDIR/score.json.
set -euo pipefail
kho=$1
work=$2
mp=${3:-12}
repeat=${4:-2}
jobs=${5:-2}
grain=${6:-0.6}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
mkdir -p "$work"
set_dir=$work/set-$mp-grain$grain
if [ ! -f "$set_dir/truth.tsv" ]; then
  python3 "$here/make_set.py" --bases "$root/tests/data/trace" --out "$set_dir" --mp "$mp" --seed 12 --grain "$grain"
fi
echo "set: $(find "$set_dir" -iname '*.jpg' | wc -l) photos, $(du -sh "$set_dir" | cut -f1)"
run() {  # $1 = label, rest = extra args; prints "label user+sys"
  local label=$1
  shift
  rm -rf "$work/archive"
  local t
  t=$( { /usr/bin/time -f "%U %S" "$kho" --archive "$work/archive" ingest --jobs "$jobs" --json --links "$@" \
         "$set_dir" > "$work/ingest-$label.json"; } 2>&1 | tail -1)
  echo "$label $(echo "$t" | awk '{printf "%.2f", $1 + $2}')"
}
# Tracing alone: re-ingest a copy of the no-trace archive with tracing (every web copy is traced, nothing else
# changes) and without (the scan only); the difference is what tracing costs, with little of the noise of two
# full ingests. Its share of the full ingest's CPU is the figure to read when the two medians above are close.
alone() {  # prints "alone TRACED_CPU SCAN_CPU"
  local a b
  rm -rf "$work/archive-t" "$work/archive-s"
  cp -a "$work/archive" "$work/archive-t"
  cp -a "$work/archive" "$work/archive-s"
  a=$( { /usr/bin/time -f "%U %S" "$kho" --archive "$work/archive-t" ingest --jobs "$jobs" "$set_dir" > /dev/null; } 2>&1 | tail -1)
  b=$( { /usr/bin/time -f "%U %S" "$kho" --archive "$work/archive-s" ingest --jobs "$jobs" --no-trace "$set_dir" > /dev/null; } 2>&1 | tail -1)
  echo "alone $(echo "$a" | awk '{printf "%.3f", $1 + $2}') $(echo "$b" | awk '{printf "%.3f", $1 + $2}')"
}
run no-trace --no-trace > /dev/null  # warm-up (page cache, CPU frequency): not counted
results=()
for i in $(seq "$repeat"); do
  results+=("$(run no-trace --no-trace)")
  results+=("$(alone)")
  results+=("$(run trace)")
done
printf '%s\n' "${results[@]}"
python3 "$here/score.py" "$set_dir/truth.tsv" "$work/ingest-trace.json" > "$work/score.json" || true
python3 - "${results[@]}" <<'PY'
import statistics, sys
runs = [r.split() for r in sys.argv[1:]]
off = [float(r[1]) for r in runs if r[0] == "no-trace"]
on = [float(r[1]) for r in runs if r[0] == "trace"]
alone = [float(r[1]) - float(r[2]) for r in runs if r[0] == "alone"]
a, b = statistics.median(off), statistics.median(on)
print("median user+sys: without tracing %.2f s, with tracing %.2f s: %+.1f %%" % (a, b, 100 * (b - a) / a))
pairs = [y - x for x, y in zip(off, on)]
print("median of the paired differences (each traced ingest minus the untraced one before it): %+.3f s = %+.1f %%"
      % (statistics.median(pairs), 100 * statistics.median(pairs) / a))
t = statistics.median(alone)
print("tracing alone (re-ingest of the untraced archive, traced minus untraced): median %.3f s = %.1f %% of the "
      "untraced full ingest" % (t, 100 * t / a))
PY
