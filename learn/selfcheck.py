#!/usr/bin/env python3
"""Self-retrieval: search every preferred label of the index (occupations
and skills) and count how many return their own concept first.

  selfcheck.py INDEX [--list N]     (env BIN: the skillsearch binary)

Prints one line per kind, "occupation: 2955 of 3007 first (98.27%)", and
with --list the first N misses (label -> what came first).
"""
import json, os, sqlite3, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("BIN") or os.path.join(ROOT, "skillsearch")


def main():
    index = sys.argv[1]
    show = int(sys.argv[sys.argv.index("--list") + 1]) if "--list" in sys.argv else 0
    db = sqlite3.connect("file:%s/catalog.sqlite?mode=ro" % index, uri=True)
    for kind, table in (("occupation", "occupation"), ("skill", "skill")):
        rows = db.execute("SELECT uri, label FROM %s ORDER BY uri" % table).fetchall()
        lines = "".join(json.dumps({"id": i, "query": l}) + "\n" for i, (_, l) in enumerate(rows))
        r = subprocess.run([BIN, "search", "--index", index, "--json", "--type", kind, "--limit", "1"],
                           input=lines.encode(), capture_output=True, check=True)
        miss = []
        for line in r.stdout.decode().splitlines():
            o = json.loads(line)
            uri, label = rows[o["id"]]
            got = o.get("results", [])
            if not got or got[0]["uri"] != uri:
                miss.append((label, got[0]["label"] if got else "-"))
        n = len(rows)
        print("%s: %d of %d first (%.2f%%)" % (kind, n - len(miss), n, 100.0 * (n - len(miss)) / max(n, 1)))
        for label, first in miss[:show]:
            print("  %s -> %s" % (label, first))


if __name__ == "__main__":
    main()
