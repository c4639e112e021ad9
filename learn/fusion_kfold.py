#!/usr/bin/env python3
"""Could a learned fusion rank job ads better than match's fixed weights?

Runs `skillsearch match --features --limit 50` over jobads_dev (each
result's "fusion": what its score was fused from, query/match.h) and
`skillsearch search --limit 50` over each ad's title (the full title
search, learned ranker included), then fits a linear listwise model
(softmax over an ad's 50 candidates, L2) on those features and reranks the
50. jobads_dev has no train split, so the figure is 5-fold cross-validated
(folds by ad, seed 7), next to the shipped order and the in-sample fit,
for each feature set below. It is a measurement, not a shipped model: see
README, "Long texts".

usage: fusion_kfold.py INDEX [EVAL_DIR]   (env BIN, default ./skillsearch)
Standard library only; about a minute per feature set.
"""
import json
import math
import os
import random
import subprocess
import sys

BIN = os.environ.get("BIN", "./skillsearch")
DEPTH = 50
# per candidate: match's fusion inputs, match's own score and rank, and
# the full title search's score and rank
NAMES = ["title", "title_rr", "body", "body_rr", "skills", "essential",
         "exact_title", "fused", "fused_rr", "search", "search_rr"]
SETS = {
    "all": NAMES,
    "inputs + title search": ["title", "title_rr", "body", "body_rr",
                              "skills", "essential", "exact_title",
                              "search", "search_rr"],
    "fused + title search": ["fused", "fused_rr", "search", "search_rr"],
}


def run(args, lines):
    p = subprocess.run([BIN] + args, input="".join(lines).encode(),
                       capture_output=True, check=True)
    return [json.loads(l) for l in p.stdout.decode().splitlines()]


def rr(rank):
    return 1 / (1 + rank) if rank >= 0 else 0.0


def load(index, evaldir):
    lines = open(os.path.join(evaldir, "jobads_dev.jsonl"), encoding="utf-8").readlines()
    gold = {}
    for l in lines:
        d = json.loads(l)
        gold[d["id"]] = set(d["gold"])
    got = run(["match", "--index", index, "--features", "--limit", str(DEPTH)], lines)
    titles = [json.dumps({"id": o["id"], "query": o.get("title", {}).get("text", "")}) + "\n"
              for o in got]
    searched = {o["id"]: o for o in run(["search", "--index", index, "--json",
                                         "--limit", str(DEPTH)], titles)}
    ads = []
    for o in got:
        res = o["results"]
        top = res[0]["score"] if res and res[0]["score"] > 0 else 1
        sr = searched[o["id"]].get("results", [])
        stop = sr[0]["score"] if sr and sr[0]["score"] > 0 else 1
        srank = {x["uri"]: (i, x["score"] / stop) for i, x in enumerate(sr)}
        cands = []
        for i, r in enumerate(res):
            f = r["fusion"]
            s = srank.get(r["uri"])
            row = {"title": f["title"], "title_rr": rr(f["title_rank"]),
                   "body": f["body"], "body_rr": rr(f["body_rank"]),
                   "skills": f["skills"], "essential": math.log1p(f["essential_skills"]),
                   "exact_title": f["exact_title"], "fused": r["score"] / top,
                   "fused_rr": rr(i), "search": s[1] if s else 0.0,
                   "search_rr": rr(s[0]) if s else 0.0}
            cands.append((r["uri"] in gold[o["id"]], [row[n] for n in NAMES]))
        ads.append(cands)
    return ads


def mrr(ads, w, cols):
    total = 0.0
    for c in ads:
        order = sorted(range(len(c)), key=lambda i: -sum(w[k] * c[i][1][k] for k in cols))
        for r, i in enumerate(order[:10]):
            if c[i][0]:
                total += 1 / (r + 1)
                break
    return total / len(ads)


def fit(ads, cols, l2=0.01, steps=500, lr=1.0):
    """Gradient descent on the mean log-likelihood of the gold candidates."""
    w = [0.0] * len(NAMES)
    groups = [c for c in ads if any(y for y, _ in c)]
    for _ in range(steps):
        g = [0.0] * len(NAMES)
        for c in groups:
            z = [sum(w[k] * x[k] for k in cols) for _, x in c]
            mz = max(z)
            e = [math.exp(v - mz) for v in z]
            tot, ny = sum(e), sum(1 for y, _ in c if y)
            for (y, x), ev in zip(c, e):
                d = ev / tot - (1 / ny if y else 0)
                for k in cols:
                    g[k] += d * x[k]
        for k in cols:
            w[k] -= lr * (g[k] / len(groups) + l2 * w[k])
    return w


def kfold(ads, cols, k=5, seed=7):
    idx = list(range(len(ads)))
    random.Random(seed).shuffle(idx)
    total = 0.0
    for fold in range(k):
        test = [ads[i] for j, i in enumerate(idx) if j % k == fold]
        train = [ads[i] for j, i in enumerate(idx) if j % k != fold]
        total += mrr(test, fit(train, cols), cols) * len(test)
    return total / len(ads)


def main():
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        sys.exit(0 if len(sys.argv) > 1 else 2)
    evaldir = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "eval")
    ads = load(sys.argv[1], evaldir)
    shipped = [0.0] * len(NAMES)
    shipped[NAMES.index("fused")] = 1
    print(f"jobads_dev: {len(ads)} ads, {DEPTH} candidates each; "
          f"gold among them: {sum(any(y for y, _ in c) for c in ads)}")
    print(f"shipped order (match)          MRR@10 {mrr(ads, shipped, [NAMES.index('fused')]):.4f}")
    for name, feats in SETS.items():
        cols = [NAMES.index(n) for n in feats]
        print(f"learned, {name:22s} 5-fold {kfold(ads, cols):.4f}  "
              f"in-sample {mrr(ads, fit(ads, cols), cols):.4f}")


if __name__ == "__main__":
    main()
