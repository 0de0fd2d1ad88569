#!/usr/bin/env bash
# The tracing set test (ctest: trace.set): builds a small set with make_set.py (2 MP "originals"), ingests it,
# scores it with score.py --check (0 wrong originals, ≥ 95 % found, none for agency photos, the missing file
# unresolved), ingests again (same originals, nothing re-traced) and runs kho verify.
#   check_set.sh KHO WORKDIR [MEGAPIXELS]
set -euo pipefail
kho=$1
work=$2
mp=${3:-2}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
mkdir -p "$work"
set_dir=$work/set
archive=$work/archive
rm -rf "$archive"
if [ ! -f "$set_dir/truth.tsv" ] || [ "$(cat "$set_dir/.mp" 2>/dev/null)" != "$mp" ]; then
  python3 "$here/make_set.py" --bases "$root/tests/data/trace" --out "$set_dir" --mp "$mp" --seed 12
  echo "$mp" > "$set_dir/.mp"
fi
status=0
"$kho" --archive "$archive" ingest --json --links "$set_dir" > "$work/ingest1.json" || status=$?
[ "$status" -le 1 ] || { echo "ingest failed ($status)"; exit 1; }
python3 "$here/score.py" "$set_dir/truth.tsv" "$work/ingest1.json" --check | tee "$work/score.json"
# Re-ingest: the same originals (the records kept their fingerprints).
status=0
"$kho" --archive "$archive" ingest --json --links "$set_dir" > "$work/ingest2.json" || status=$?
[ "$status" -le 1 ] || { echo "second ingest failed ($status)"; exit 1; }
python3 - "$work/ingest1.json" "$work/ingest2.json" <<'PY'
import json, sys
a, b = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:3])
key = lambda j: sorted((l["article_id"], l["position"], (l["original"] or {}).get("digest")) for l in j["link_list"])
assert key(a) == key(b), "re-ingest traced different originals"
assert a["traced"] == b["traced"] and len(a["ambiguous"]) == len(b["ambiguous"]), "re-ingest changed the counts"
print("re-ingest: same originals (%d traced)" % b["traced"])
PY
"$kho" --archive "$archive" verify
