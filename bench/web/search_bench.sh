#!/usr/bin/env bash
# Builds bench/web/search_bench.cc against a kho build directory and runs it (1,000,000 captions made from
# the seed and shared articles' text).
#   bench/web/search_bench.sh [BUILD_DIR] [CAPTIONS] [REPS]
# KHO_BENCH_DIR=DIR: the archive is built in DIR and kept; a later run with the same CAPTIONS searches it
# again without indexing (to iterate on the query engine; delete DIR after an index format change).
# KHO_BENCH_ONLY=KIND: time only the queries of that kind (all-words, long or slip). KHO_BENCH_DEBUG=1: the
# pasted captions, and each query's first (cold) and slowest reps, on stderr.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=$(realpath "${1:-$ROOT/build}")
CAPTIONS=${2:-1000000}
REPS=${3:-200}
SHARED=${KHO_SHARED:-$ROOT/../shared}
OUT=$(mktemp -d /tmp/kho-search-bench.XXXXXX)
trap 'rm -rf "$OUT"' EXIT
ninja -C "$BUILD" kho_search kho_text kho_catalog >/dev/null
python3 "$HERE/search_corpus.py" "$SHARED" >"$OUT/corpus.txt"
g++ -O2 -g -std=c++20 -I"$ROOT/core/search/include" -I"$ROOT/core/catalog/include" "$HERE/search_bench.cc" \
    -o "$OUT/search_bench" "$BUILD/core/search/libkho_search.a" "$BUILD/core/text/libkho_text.a" \
    "$BUILD/core/catalog/libkho_catalog.a" -llmdb -lutf8proc -lz -lpthread
# Wall-clock figures depend on the machine's load: it is printed before and after.
echo "load before: $(uptime)"
if [ -n "${KHO_BENCH_DIR:-}" ]; then
  ARCHIVE=$KHO_BENCH_DIR
  export KHO_BENCH_KEEP=1
  if [ -f "$ARCHIVE/.captions" ] && [ "$(cat "$ARCHIVE/.captions")" = "$CAPTIONS" ]; then
    export KHO_BENCH_REUSE=1
  else
    rm -f "$ARCHIVE/.captions"
  fi
else
  ARCHIVE=$OUT/archive
fi
"$OUT/search_bench" "$ARCHIVE" "$CAPTIONS" "$OUT/corpus.txt" "$REPS"
if [ -n "${KHO_BENCH_DIR:-}" ]; then echo "$CAPTIONS" >"$ARCHIVE/.captions"; fi
echo "load after: $(uptime)"
