#!/usr/bin/env python3
"""Scores `kho dups --json` against an evaluation set written by `kho-dups-eval --write DIR`.

    kho-dups-eval --write /tmp/set                      # build the set (truth.tsv beside the images)
    kho --archive /tmp/arch ingest /tmp/set
    kho --archive /tmp/arch dups --json > /tmp/dups.json
    bench/dups_eval/score_dups.py /tmp/set/truth.tsv /tmp/dups.json

Same measures as kho-dups-eval (pairwise precision/recall with mirrored copies left out, per-transform
recall against the base, hard negatives grouped with another shot of their scene, precision when only
unrelated photos count as errors). Exact clusters (byte-identical files) join their files too.
Standard library only.
"""
import json
import os
import sys
from collections import defaultdict


def main(truth_path, dups_path):
    truth = {}
    with open(truth_path, encoding="utf-8") as f:
        next(f)
        for line in f:
            name, category, transform, group, scene = line.rstrip("\n").split("\t")
            truth[name] = (category, transform, int(group), int(scene))
    with open(dups_path, encoding="utf-8") as f:
        clusters = json.load(f)["clusters"]

    parent = {n: n for n in truth}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for c in clusters:
        names = [os.path.basename(p["path"]) for p in c["photos"]]
        names = [n for n in names if n in truth]
        for n in names[1:]:
            parent[find(n)] = find(names[0])

    names = sorted(truth)
    comp = {n: find(n) for n in names}
    tp = fp = fn = fp_unrelated = 0
    kept = [n for n in names if truth[n][0] != "mirror"]
    by_comp = defaultdict(list)
    for n in kept:
        by_comp[comp[n]].append(n)
    by_group = defaultdict(list)
    for n in kept:
        by_group[truth[n][2]].append(n)
    for members in by_comp.values():
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                if truth[a][2] == truth[b][2]:
                    tp += 1
                else:
                    fp += 1
                    if not (truth[a][3] >= 0 and truth[a][3] == truth[b][3]):
                        fp_unrelated += 1
    for members in by_group.values():
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                if comp[a] != comp[b]:
                    fn += 1
    base = {truth[n][2]: n for n in names if truth[n][0] == "base"}
    per = defaultdict(lambda: [0, 0])
    mirrors = mirror_grouped = 0
    for n in names:
        cat, transform, group, _ = truth[n]
        if cat not in ("positive", "mirror") or group not in base:
            continue
        together = comp[n] == comp[base[group]]
        if cat == "mirror":
            mirrors += 1
            mirror_grouped += together
        else:
            per[transform][0] += together
            per[transform][1] += 1
    scenes = defaultdict(lambda: defaultdict(int))
    for n in names:
        if truth[n][3] >= 0:
            scenes[comp[n]][truth[n][3]] += 1
    hard = [n for n in names if truth[n][3] >= 0]
    hard_grouped = sum(1 for n in hard if scenes[comp[n]][truth[n][3]] >= 2)

    def ratio(a, b):
        return a / b if b else 1.0

    print(json.dumps({
        "precision": round(ratio(tp, tp + fp), 4),
        "recall": round(ratio(tp, tp + fn), 4),
        "tp": tp, "fp": fp, "fn": fn,
        "precision_unrelated": round(ratio(tp, tp + fp_unrelated), 4),
        "hard_negatives_grouped": hard_grouped, "hard_negatives": len(hard),
        "hard_negative_rate": round(ratio(hard_grouped, len(hard)), 4),
        "mirror_grouped": mirror_grouped, "mirrors": mirrors,
        "per_transform": {t: round(g / n, 3) for t, (g, n) in sorted(per.items())},
    }))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
