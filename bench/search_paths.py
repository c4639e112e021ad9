"""Queries -> one URL-encoded /search path a line, for bench/wrk_search.lua
(bench/http_bench.sh, bench/cluster_bench.sh).
usage: search_paths.py DEV_JSONL SAMPLE_CSV OUT
The queries of DEV_JSONL ({"query": ...} lines) when it exists, else the
preferred labels of SAMPLE_CSV (occupations_en.csv)."""
import csv
import json
import os
import sys
import urllib.parse as up

dev, sample, out = sys.argv[1:]
if os.path.exists(dev):
    qs = [json.loads(l)["query"] for l in open(dev, encoding="utf-8") if l.strip()]
else:
    with open(sample, newline="", encoding="utf-8") as f:
        qs = [r["preferredLabel"] for r in csv.DictReader(f)]
with open(out, "w") as f:
    for q in qs:
        f.write("/search?q=" + up.quote(q, safe="") + "\n")
