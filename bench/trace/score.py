#!/usr/bin/env python3
"""Scores tracing (issue 12) on a set made by make_set.py.

    score.py SET/truth.tsv INGEST.json [--check]

INGEST.json is the output of `kho ingest --json --links SET`. Prints one JSON document: references with an
original in the truth, how many were found, wrong originals, originals claimed for agency photos, ambiguous
references, and each miss. With --check, exits 1 unless: 0 wrong originals, ≥ 95 % found, no original for an
agency photo, and the reference with no file stays unresolved. Standard library only.
"""
import json
import os
import sys


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    check = "--check" in sys.argv
    truth_path, ingest_path = args
    with open(ingest_path, encoding="utf-8") as f:
        ingest = json.load(f)
    by_ref = {}
    for link in ingest.get("link_list", []):
        folder = os.path.basename(os.path.dirname(link["path"]))
        by_ref[(folder, link["ref"])] = link
    unresolved = {u["ref"] for u in ingest.get("unresolved", [])}
    expected = found = wrong = agency_claimed = missing_ok = missing_total = 0
    misses, wrongs = [], []
    with open(truth_path, encoding="utf-8") as f:
        next(f)
        for line in f:
            folder, ref, original, kind, transforms = line.rstrip("\n").split("\t")
            link = by_ref.get((folder, ref))
            got = None
            if link and link.get("original"):
                got = os.path.basename(link["original"]["path"])
            if kind == "missing":
                missing_total += 1
                missing_ok += ref in unresolved and link is None
                continue
            if kind == "agency":
                if got:
                    agency_claimed += 1
                    wrongs.append({"ref": ref, "kind": kind, "got": got})
                continue
            expected += 1
            if got == original:
                found += 1
            elif got:
                wrong += 1
                wrongs.append({"ref": ref, "kind": kind, "transforms": transforms, "want": original, "got": got})
            else:
                misses.append({"ref": ref, "kind": kind, "transforms": transforms, "want": original,
                               "linked": bool(link)})
    ambiguous = ingest.get("ambiguous", [])
    result = {
        "expected": expected, "found": found, "found_ratio": round(found / expected, 4) if expected else 1.0,
        "wrong": wrong, "agency_claimed": agency_claimed, "ambiguous": len(ambiguous),
        "missing_unresolved": missing_ok, "missing_total": missing_total,
        "traced_reported": ingest.get("traced"), "misses": misses, "wrongs": wrongs,
    }
    print(json.dumps(result, ensure_ascii=False, indent=1))
    if check:
        ok = (wrong == 0 and agency_claimed == 0 and expected > 0 and found >= 0.95 * expected
              and missing_ok == missing_total)
        sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
