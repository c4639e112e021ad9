#!/usr/bin/python3
"""Writes N synthetic job ads as match batch input ({"id", "text"} lines),
built from an ESCO directory's occupation descriptions (data/sample by
default), deterministic: the same N and directory give the same file.
Each ad is an occupation's label and description, part of another
occupation's description and one skill label, so that its answer is not
a copy of any other ad's. With --bad, two malformed lines (one not JSON,
one with a non-string text) and an empty line are put in the middle, to
check that bad lines are reported and keep their place.

usage: synth_ads.py [--esco DIR] [--bad] N > ads.jsonl"""
import argparse
import csv
import json
import os
import sys


def main():
    ap = argparse.ArgumentParser(description="Synthetic job ads for match batches.")
    ap.add_argument("--esco", default=os.path.join(os.path.dirname(__file__), "..", "data", "sample"))
    ap.add_argument("--bad", action="store_true", help="add two bad lines and an empty one")
    ap.add_argument("n", type=int)
    a = ap.parse_args()
    with open(os.path.join(a.esco, "occupations_en.csv"), newline="", encoding="utf-8") as f:
        occ = [r for r in csv.DictReader(f) if r["description"]]
    with open(os.path.join(a.esco, "skills_en.csv"), newline="", encoding="utf-8") as f:
        skills = [r["preferredLabel"] for r in csv.DictReader(f)]
    out = sys.stdout
    for i in range(a.n):
        if a.bad and i == a.n // 2:
            out.write('not json\n\n{"id": "bad-text", "text": 5}\n')
        o, p = occ[(i * 7) % len(occ)], occ[(i * 13 + 5) % len(occ)]
        text = (f"{o['preferredLabel']}\n{o['description']} {p['description'][:200]} "
                f"Skills: {skills[(i * 11) % len(skills)]}.")
        out.write(json.dumps({"id": f"ad{i:06d}", "text": text}) + "\n")


if __name__ == "__main__":
    main()
