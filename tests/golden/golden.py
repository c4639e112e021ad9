#!/usr/bin/env python3
"""Golden ranking tests: pinned top-10 lists, so that every change to an
order shows up as a diff.

  golden.py            check every suite that can run, print a diff per set
  golden.py --update   rewrite the pinned files (read the diff: git diff tests/golden)

Suites:
  sample  our own queries (sample_queries.jsonl) and ads (tests/data/ads)
          on the sample index at $INDEX;
  esco    every query of the dev sets in $EVAL (default ../shared/eval,
          beside $ESCO_DIR) on the full index at $ESCO_INDEX; job ads go
          through `match`, the rest through `search`.
Pinned files: <suite>.tsv, one line per query: set, query id, the ranked
result ids (first 8 hex digits of the URI's last segment), and for `match`
the skills found, after a '|'. Env: BIN (default ./skillsearch).
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BIN = os.environ.get("BIN") or os.path.join(ROOT, "skillsearch")


def short(uri):
    return uri.rsplit("/", 1)[-1][:8]


def run(args, lines):
    data = "".join(json.dumps(l) + "\n" for l in lines)
    p = subprocess.run([BIN] + args, input=data.encode(), capture_output=True)
    if p.returncode != 0:
        raise RuntimeError("%s exited %d: %s" % (" ".join(args), p.returncode,
                                                 p.stderr.decode()[-500:]))
    out = {}
    for line in p.stdout.decode().splitlines():
        o = json.loads(line)
        row = " ".join(short(r["uri"]) for r in o.get("results", []))
        if "skills" in o:
            row += " | " + " ".join(short(s["uri"]) for s in o["skills"][:10])
        if "error" in o:
            row = "error: " + o["error"]
        out[str(o["id"])] = row
    return out


def rank_set(index, name, kind, queries):
    if kind == "match":
        return run(["match", "--index", index, "--json", "--threads", "2"],
                   [{"id": q["id"], "text": q["query"]} for q in queries])
    return run(["search", "--index", index, "--json", "--type", kind],
               [{"id": q["id"], "query": q["query"]} for q in queries])


def load_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def sample_sets():
    index = os.environ.get("INDEX")
    if not index:
        return None, []
    qs = load_jsonl(os.path.join(HERE, "sample_queries.jsonl"))
    sets = [("sample-" + k, k, [q for q in qs if q["kind"] == k])
            for k in ("occupation", "skill")]
    ads_dir = os.path.join(ROOT, "tests", "data", "ads")
    ads = []
    for f in sorted(os.listdir(ads_dir)):
        with open(os.path.join(ads_dir, f), encoding="utf-8") as fh:
            ads.append({"id": f, "query": fh.read()})
    sets.append(("sample-ads", "match", ads))
    return index, sets


DEV = [("jobtitles_dev", "occupation"), ("seed_dev", "occupation"),
       ("skills_tech_dev", "skill"), ("skills_house_dev", "skill"),
       ("seed_skills_dev", "skill"), ("jobads_dev", "match")]


def esco_sets():
    index = os.environ.get("ESCO_INDEX")
    esco = os.environ.get("ESCO_DIR", "")
    ev = os.environ.get("EVAL") or os.path.join(os.path.dirname(esco), "..", "eval")
    if not index or not os.path.isdir(ev):
        return None, []
    return index, [(n, k, load_jsonl(os.path.join(ev, n + ".jsonl")))
                   for n, k in DEV if os.path.exists(os.path.join(ev, n + ".jsonl"))]


def read_pinned(path):
    pinned = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                s, q, row = line.rstrip("\n").split("\t", 2)
                pinned[(s, q)] = row
    return pinned


def main():
    update = "--update" in sys.argv[1:]
    passed = failed = 0
    for suite, (index, sets) in (("sample", sample_sets()), ("esco", esco_sets())):
        if not index:
            print("%s: skipped (no index)" % suite)
            continue
        path = os.path.join(HERE, suite + ".tsv")
        pinned = read_pinned(path)
        lines = []
        for name, kind, queries in sets:
            got = rank_set(index, name, kind, queries)
            diffs = []
            for q in queries:
                qid = str(q["id"])
                row = got.get(qid, "missing")
                lines.append("%s\t%s\t%s\n" % (name, qid, row))
                old = pinned.get((name, qid))
                if old != row:
                    diffs.append((qid, old, row))
            if update:
                print("%-18s %4d queries, %d changed" % (name, len(queries), len(diffs)))
            elif diffs:
                failed += 1
                print("FAIL %s: %d of %d rankings differ from %s.tsv" %
                      (name, len(diffs), len(queries), suite))
                for qid, old, row in diffs[:5]:
                    print("  %s\n    pinned: %s\n    now:    %s" % (qid, old, row))
            else:
                passed += 1
                print("ok   %s: %d rankings as pinned" % (name, len(queries)))
        if update:
            with open(path, "w", encoding="utf-8") as f:
                f.writelines(lines)
            print("wrote %s" % path)
    if not update:
        print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
