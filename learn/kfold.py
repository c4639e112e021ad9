#!/usr/bin/env python3
"""k-fold cross-validated score of the learned ranker on a labelled set
that has no train split (the skills dev sets, jobads_dev).

  kfold.py --index INDEX --set FILE.jsonl [--set FILE ...] --type skill
           [--folds 5] [--extra FILE.jsonl ...] [--labels LIST] [--match]
           [--rounds N] [--label-every N] [--esco-weight W]

Queries of the sets are dealt into folds by position (query i -> fold
i mod k, so the split is fixed), but near-duplicates (one's words, as
letters and digits, inside the other's: the same ad line with and without
its bullet) share the fold of the first, so that no fold is scored on a
sentence its model saw. For each fold, `skillsearch train` learns
on the other folds (plus --extra files and ESCO labels) and the fold is
searched with that model on a hard-linked copy of INDEX; the held-out
answers of all folds together are scored with score.py (MRR@10 and more),
per set. Nothing here trains on the fold it scores. Env: BIN.
"""
import argparse, json, os, re, shutil, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("BIN") or os.path.join(ROOT, "skillsearch")
MODEL = {"occupation": "rank-occupation.model", "skill": "rank-skill.model"}


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def folds_of(queries, k):
    """Fold of each query: its own position's, or that of the earlier
    query it near-duplicates."""
    norm = [" %s " % " ".join(re.findall(r"[a-z0-9]+", q["query"].lower()))
            for _, q in queries]
    fold = []
    for i, a in enumerate(norm):
        j = next((j for j in range(i) if a in norm[j] or norm[j] in a), i)
        fold.append(fold[j] if j < i else i % k)
    return fold


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--index", required=True)
    ap.add_argument("--set", action="append", required=True)
    ap.add_argument("--type", default="skill", choices=["occupation", "skill"])
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--extra", action="append", default=[])
    ap.add_argument("--labels", default="preferred,alternative")
    ap.add_argument("--rounds", default="200")
    ap.add_argument("--label-every", default="1")
    ap.add_argument("--esco-weight", default="1")
    ap.add_argument("--match", action="store_true", help="score through match")
    ap.add_argument("--score", default=None, help="score.py (default: beside the sets)")
    a = ap.parse_args()
    sets = {p: load(p) for p in a.set}
    queries = [(p, q) for p in a.set for q in sets[p]]
    work = tempfile.mkdtemp(prefix="kfold.")
    gen = os.path.realpath(a.index)
    out = {p: [] for p in a.set}
    fold = folds_of(queries, a.folds)
    try:
        for k in range(a.folds):
            train = [q for i, (_, q) in enumerate(queries) if fold[i] != k]
            test = [(p, q) for i, (p, q) in enumerate(queries) if fold[i] == k]
            tf = os.path.join(work, "train.jsonl")
            with open(tf, "w", encoding="utf-8") as f:
                for q in train:
                    f.write(json.dumps({"query": q["query"], "gold": q["gold"]}) + "\n")
            model = os.path.join(work, "fold.model")
            cmd = [BIN, "train", "--index", a.index, "--type", a.type, "--quiet",
                   "--labels", a.labels, "--rounds", a.rounds, "--out", model,
                   "--label-every", a.label_every, "--esco-weight", a.esco_weight,
                   "--queries", tf] + sum((["--queries", e] for e in a.extra), [])
            subprocess.run(cmd, check=True)
            ix = os.path.join(work, "ix%d" % k)
            # hard links where the filesystem allows them
            if subprocess.run(["cp", "-al", gen, ix], stderr=subprocess.DEVNULL).returncode:
                shutil.rmtree(ix, ignore_errors=True)
                subprocess.run(["cp", "-a", gen, ix], check=True)
            dst = os.path.join(ix, MODEL[a.type])
            if os.path.exists(dst):
                os.unlink(dst)
            shutil.copy(model, dst)
            lines = "".join(json.dumps({"id": q["id"], ("text" if a.match else "query"): q["query"]}) + "\n"
                            for _, q in test)
            args = (["match", "--index", ix, "--json"] if a.match else
                    ["search", "--index", ix, "--json", "--type", a.type])
            r = subprocess.run([BIN] + args, input=lines.encode(), capture_output=True, check=True)
            for (p, _), line in zip(test, r.stdout.decode().splitlines()):
                out[p].append(line)
            shutil.rmtree(ix)
            print("fold %d/%d: trained on %d, scored %d" % (k + 1, a.folds, len(train), len(test)),
                  file=sys.stderr)
        for p in a.set:
            rf = os.path.join(work, "results.jsonl")
            with open(rf, "w") as f:
                f.write("\n".join(out[p]) + "\n")
            score = a.score or os.path.join(os.path.dirname(p), "score.py")
            s = subprocess.run([sys.executable, score, p, rf, "--json"], capture_output=True, check=True)
            d = json.loads(s.stdout)
            print("%s %d-fold cross-validated MRR@10 %.4f" % (os.path.basename(p), a.folds, d["mrr10"]))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
