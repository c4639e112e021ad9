#!/usr/bin/env python3
"""The language-identification test set (README, Language identification).

usage: langid_set.py ESCO_ROOT OUT [--per-lang N] [--seed S]

ESCO_ROOT holds v1.1.1-en, v1.1.1-fr and v1.2-nl. For each language this
samples N alternative or hidden labels of 1 to 4 words (fixed seed), a
third each of 1, 2 and 3-4 words (the buckets of the accuracy table), writes
them to OUT/set.tsv ("lang<TAB>label"), and writes OUT/esco-LANG/: the ESCO
folder with those labels deleted from every concept (the other files are
symlinks), so that an index built from it has never seen a test label and
vocabulary coverage is measured on words, not on remembered labels. Labels
equal to any preferred label are not sampled: those cannot be held out.
"""
import argparse
import csv
import os
import random
import sys

csv.field_size_limit(sys.maxsize)

# language -> (folder, concept files with labels)
SOURCES = {
    "en": ("v1.1.1-en", ["occupations_en.csv", "skills_en.csv"]),
    "fr": ("v1.1.1-fr", ["occupations_fr.csv"]),
    "nl": ("v1.2-nl", ["occupations_nl.csv"]),
}
LABEL_COLS = ("altLabels", "hiddenLabels")
BUCKETS = ((1, 1), (2, 2), (3, 4))  # words


def labels(field):
    return [s.strip() for s in (field or "").split("\n") if s.strip()]


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        r = csv.DictReader(f)
        return r.fieldnames, list(r)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("esco")
    ap.add_argument("out")
    ap.add_argument("--per-lang", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=17)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rng = random.Random(a.seed)
    rows_out = []
    for lang in sorted(SOURCES):
        folder, files = SOURCES[lang]
        src = os.path.join(a.esco, folder)
        tables = {f: read(os.path.join(src, f)) for f in files}
        preferred = set()
        pool = set()
        for _, rows in tables.values():
            for row in rows:
                preferred.add(row["preferredLabel"].strip().casefold())
                for col in LABEL_COLS:
                    for lab in labels(row.get(col)):
                        if 1 <= len(lab.split()) <= 4:
                            pool.add(lab)
        pool = sorted(p for p in pool if p.casefold() not in preferred)
        test = []
        for b, (lo, hi) in enumerate(BUCKETS):
            part = [p for p in pool if lo <= len(p.split()) <= hi]
            k = a.per_lang // len(BUCKETS) + (b < a.per_lang % len(BUCKETS))
            test += rng.sample(part, min(k, len(part)))
        held = {t.casefold() for t in test}
        dst = os.path.join(a.out, "esco-" + lang)
        os.makedirs(dst, exist_ok=True)
        for name in os.listdir(src):
            link = os.path.join(dst, name)
            if name not in tables and not os.path.lexists(link):
                os.symlink(os.path.join(os.path.abspath(src), name), link)
        for name, (fields, rows) in tables.items():
            for row in rows:
                for col in LABEL_COLS:
                    if col in row:
                        row[col] = "\n".join(
                            x for x in labels(row[col])
                            if x.casefold() not in held)
            with open(os.path.join(dst, name), "w", newline="",
                      encoding="utf-8") as f:
                w = csv.DictWriter(f, fieldnames=fields)
                w.writeheader()
                w.writerows(rows)
        rows_out += [(lang, t) for t in test]
        print(f"{lang}: {len(test)} test labels of {len(pool)}",
              file=sys.stderr)
    with open(os.path.join(a.out, "set.tsv"), "w", encoding="utf-8") as f:
        for lang, t in rows_out:
            f.write(f"{lang}\t{t}\n")


if __name__ == "__main__":
    main()
