#!/usr/bin/env python3
"""How far apart the right and the best wrong burst frame score (issue 12): reads the stderr of
`KHO_TRACE_DEBUG=1 kho ingest` (one BURST line per burst copy, every frame scored on grid thumbnails and previews)
with the set's truth.tsv, and prints per stage the leads of a wrong frame (negative gaps: what the margins must
exceed), the smallest leads of the right frame on determinable copies, and the largest gaps on copies make_set
marks inherently ambiguous.
    gaps.py TRUTH.tsv DEBUG.log [TRUTH.tsv DEBUG.log ...]"""
import csv
import os
import sys


def main(argv):
    rows = []
    for truth_path, log_path in zip(argv[0::2], argv[1::2]):
        with open(truth_path, encoding="utf-8") as f:
            truth = {r["ref"]: r for r in csv.DictReader(f, delimiter="\t")}
        with open(log_path, encoding="utf-8", errors="replace") as f:
            for line in f:
                if not line.startswith("BURST"):
                    continue
                parts = line.strip().split(" | ")
                ref = os.path.basename(parts[0][len("BURST "):])
                t = truth.get(ref)
                if not t or not t["original"]:
                    continue
                for stage in ("grid", "fine"):
                    sc = {p.split()[1]: float(p.split()[2]) for p in parts[1:] if p.startswith(stage + " ")}
                    if t["original"] not in sc or len(sc) < 2:
                        continue
                    right = sc[t["original"]]
                    wrong = max(v for k, v in sc.items() if k != t["original"])
                    rows.append((stage, round(right - wrong, 4), os.path.basename(os.path.dirname(os.path.abspath(truth_path))), ref,
                                 t["inherently_ambiguous"], t["kind"], t["transforms"]))
    for stage in ("grid", "fine"):
        r = [x for x in rows if x[0] == stage]
        print(stage, "wrong frame ahead:", sorted((x for x in r if x[1] < 0), key=lambda x: x[1])[:6])
        print(stage, "right frame's smallest leads (determinable):",
              sorted((x for x in r if x[1] >= 0 and x[4] == "no"), key=lambda x: x[1])[:6])
        print(stage, "largest gaps (inherent):", sorted((x[1], x[3], x[5]) for x in r if x[4] == "yes")[-6:])


if __name__ == "__main__":
    if len(sys.argv) < 3 or len(sys.argv) % 2 == 0:
        sys.exit(__doc__)
    main(sys.argv[1:])
