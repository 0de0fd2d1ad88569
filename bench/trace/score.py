#!/usr/bin/env python3
"""Scores tracing (issue 12) on a set made by make_set.py.

    score.py SET/truth.tsv INGEST.json [--check]

INGEST.json is the output of `kho ingest --json --links SET`. Prints one JSON document: references with an
original in the truth, how many were found (of all, and of the determinable ones: not inherently ambiguous,
see make_set.py), wrong originals, originals claimed for agency photos, ambiguous references, and each miss.
With --check, exits 1 unless: 0 wrong originals, ≥ 95 % of the determinable originals found, no original for
an agency photo, and the references with no file stay unresolved. Standard library only.
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
    inherent_total = inherent_ambiguous = found_determinable = 0
    amb_refs = {a["ref"] for a in ingest.get("ambiguous", [])}
    misses, wrongs = [], []
    with open(truth_path, encoding="utf-8") as f:
        next(f)
        for line in f:
            fields = line.rstrip("\n").split("\t")
            folder, ref, original, kind, transforms = fields[:5]
            inherent = fields[5] if len(fields) > 5 else "no"
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
            if inherent == "yes":
                inherent_total += 1
                inherent_ambiguous += ref in amb_refs
            if got == original:
                found += 1
                found_determinable += inherent != "yes"
            elif got:
                wrong += 1
                wrongs.append({"ref": ref, "kind": kind, "transforms": transforms, "want": original, "got": got})
            else:
                misses.append({"ref": ref, "kind": kind, "transforms": transforms, "want": original,
                               "linked": bool(link)})
    ambiguous = ingest.get("ambiguous", [])
    result = {
        "expected": expected, "found": found, "found_ratio": round(found / expected, 4) if expected else 1.0,
        "inherently_ambiguous": inherent_total, "inherently_ambiguous_reported": inherent_ambiguous,
        "found_determinable": found_determinable,
        "found_ratio_determinable": round(found_determinable / (expected - inherent_total), 4)
        if expected > inherent_total else 1.0,
        "wrong": wrong, "agency_claimed": agency_claimed, "ambiguous": len(ambiguous),
        "missing_unresolved": missing_ok, "missing_total": missing_total,
        "traced_reported": ingest.get("traced"), "misses": misses, "wrongs": wrongs,
    }
    print(json.dumps(result, ensure_ascii=False, indent=1))
    if check:
        ok = (wrong == 0 and agency_claimed == 0 and expected > inherent_total
              and found_determinable >= 0.95 * (expected - inherent_total) and missing_ok == missing_total)
        sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
