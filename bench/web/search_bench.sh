#!/usr/bin/env bash
# Builds bench/web/search_bench.cc against a kho build directory and runs it (100,000 captions).
#   bench/web/search_bench.sh [BUILD_DIR] [CAPTIONS]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=$(realpath "${1:-$ROOT/build}")
CAPTIONS=${2:-100000}
OUT=$(mktemp -d /tmp/kho-search-bench.XXXXXX)
trap 'rm -rf "$OUT"' EXIT
ninja -C "$BUILD" kho_core >/dev/null
g++ -O2 -std=c++20 -I"$ROOT/core/include" "$HERE/search_bench.cc" -o "$OUT/search_bench" \
    "$BUILD/core/libkho_core.a" -llmdb -lutf8proc -lz -lpthread
"$OUT/search_bench" "$OUT/archive" "$CAPTIONS"
