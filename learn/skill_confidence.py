#!/usr/bin/env python3
"""Fits the confidence of skills found in text (query/skill_links.h).

Runs `skillsearch match --features --min-confidence 0` over the sentences of
the skills dev sets (skills_tech_dev, skills_house_dev: sentence -> gold
ESCO skills), and fits a logistic regression of "this skill is one of the
sentence's gold skills" on each found skill's features. The dev sets have
no train split, so the figures printed are 5-fold cross-validated (folds by
sentence, seed 7): the reliability table (of the skills given confidence
in [c, c + 0.1), the share that is right) and, per threshold, the
precision of the skills at or above it. The weights fitted on all the
sentences are printed last as params.h defaults (conf_*).

It also prints recall@5 (share of a sentence's gold skills among its five
most confident) next to that of `search --type skill` on the same
sentences, and the figures at the shipped weights.

usage: skill_confidence.py INDEX [EVAL_DIR]   (env BIN, default ./skillsearch)
Standard library only.
"""
import json
import math
import os
import random
import subprocess
import sys

BIN = os.environ.get("BIN", "./skillsearch")
SETS = ("skills_tech_dev", "skills_house_dev")
NAMES = ["pref", "alt", "hidden", "word1", "ranked", "score", "first", "lrank"]


def run(args, path):
    with open(path, "rb") as f:
        p = subprocess.run([BIN] + args, stdin=f, capture_output=True, check=True)
    return [json.loads(l) for l in p.stdout.decode().splitlines()]


def load(index, evaldir):
    rows, search_rec, items = [], [], []
    for s in SETS:
        path = os.path.join(evaldir, s + ".jsonl")
        gold = {}
        for line in open(path, encoding="utf-8"):
            d = json.loads(line)
            gold[d["id"]] = set(d["gold"])
        for o in run(["match", "--index", index, "--features", "--min-confidence", "0"], path):
            best = {}
            for k in o["skills"]:  # a skill found twice: its best evidence
                if k["uri"] not in best or k["confidence"] > best[k["uri"]]["confidence"]:
                    best[k["uri"]] = k
            for u, k in best.items():
                rows.append(((s, o["id"]), k["features"], u in gold[o["id"]], k["confidence"]))
            items.append(((s, o["id"]), gold[o["id"]], best))
        for o in run(["search", "--index", index, "--type", "skill", "--json", "--limit", "5"], path):
            g = gold[o["id"]]
            search_rec.append(len(g & {r["uri"] for r in o["results"][:5]}) / len(g))
    return rows, search_rec, items


def sigmoid(z):
    return 1 / (1 + math.exp(-max(-30, min(30, z))))


def fit(data, l2=1e-3, iters=300):
    """Logistic regression by Newton steps (weights: bias + features)."""
    n = len(data[0][0]) + 1
    w = [0.0] * n
    for _ in range(iters):
        g = [0.0] * n
        h = [[0.0] * n for _ in range(n)]
        for x, y in data:
            v = [1.0] + x
            p = sigmoid(sum(a * b for a, b in zip(w, v)))
            for i in range(n):
                g[i] += (p - y) * v[i]
                for j in range(n):
                    h[i][j] += p * (1 - p) * v[i] * v[j]
        for i in range(n):
            g[i] += l2 * w[i] * len(data)
            h[i][i] += l2 * len(data)
        step = solve(h, g)
        w = [a - b for a, b in zip(w, step)]
        if max(abs(s) for s in step) < 1e-9:
            break
    return w


def solve(a, b):
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        piv = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[piv] = m[piv], m[c]
        if abs(m[c][c]) < 1e-12:
            continue
        for r in range(n):
            if r != c:
                f = m[r][c] / m[c][c]
                m[r] = [x - f * y for x, y in zip(m[r], m[c])]
    return [m[i][n] / m[i][i] if abs(m[i][i]) > 1e-12 else 0 for i in range(n)]


def table(pairs, what):
    print(what)
    print("  confidence   skills  right")
    for lo in [i / 10 for i in range(10)]:
        x = [y for p, y in pairs if lo <= p < lo + 0.1 or (lo == 0.9 and p == 1)]
        if x:
            print("  %.1f-%.1f   %6d   %.2f" % (lo, lo + 0.1, len(x), sum(x) / len(x)))
    print("  threshold   skills  right")
    for c in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        x = [y for p, y in pairs if p >= c]
        print("  >= %.1f     %6d   %s" % (c, len(x), "%.2f" % (sum(x) / len(x)) if x else "-"))


def recall5(items, conf):
    tot = 0
    for key, gold, best in items:
        top = sorted(best.values(), key=lambda k: -conf(key, k))[:5]
        tot += len(gold & {k["uri"] for k in top}) / len(gold)
    return tot / len(items)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    index = sys.argv[1]
    evaldir = sys.argv[2] if len(sys.argv) > 2 else "../shared/eval"
    rows, search_rec, items = load(index, evaldir)
    keys = sorted({r[0] for r in rows})
    random.Random(7).shuffle(keys)
    fold = {k: i % 5 for i, k in enumerate(keys)}
    cv, cvconf = [], {}
    for f in range(5):
        w = fit([(r[1], r[2]) for r in rows if fold[r[0]] != f])
        for r in rows:
            if fold[r[0]] == f:
                p = sigmoid(w[0] + sum(a * b for a, b in zip(w[1:], r[1])))
                cv.append((p, r[2]))
                cvconf[(r[0], tuple(r[1]))] = p
    print("%d sentences, %d skills found (confidence 0 and up)" % (len(items), len(rows)))
    table(cv, "5-fold cross-validated reliability:")
    table([(r[3], r[2]) for r in rows], "at the shipped weights (fitted on all sentences):")
    print("recall@5: search --type skill %.3f; match, 5 most confident (cross-validated) %.3f,"
          " at the shipped weights %.3f" % (
              sum(search_rec) / len(search_rec),
              recall5(items, lambda key, k: cvconf.get((key, tuple(k["features"])), 0)),
              recall5(items, lambda key, k: k["confidence"])))
    w = fit([(r[1], r[2]) for r in rows])
    print("weights fitted on all sentences (params.h conf_*):")
    print("  conf_bias=%.4f," % w[0] + ",".join("conf_%s=%.4f" % (n, v) for n, v in zip(NAMES, w[1:])))


if __name__ == "__main__":
    main()
