#!/usr/bin/env python3
"""Properties of the career features on the full ESCO index, through HTTP.

usage: career_check.py   (env: BIN, ESCO_INDEX, WORK)

- self-fit: a profile of one occupation's essential skills (POST /fit)
  ranks it first, for every occupation whose essential set is not also
  another's; prints the count and the exceptions;
- robust fit: with 30% of them removed at random (seed 7), the occupation
  is in the top 3 for >= 90% of occupations;
- similar roles: the share of top-5 similar occupations in the same ISCO
  unit group, next to a random pick and a text pick (the occupation's
  label through /search); similar must beat both.
Prints ok/FAIL lines and "N passed, N failed" last.
"""
from urllib.parse import quote as urllib_quote
import collections, http.client, json, os, random, re, sqlite3, subprocess, sys, time

BIN, INDEX, WORK = os.environ["BIN"], os.environ["ESCO_INDEX"], os.environ.get("WORK", "/tmp")
log = open(os.path.join(WORK, "career_check.log"), "w+")
proc = subprocess.Popen([BIN, "serve", "--index", INDEX, "--port", "0", "--threads", "2",
                         "--cache-mb", "0"], stderr=log, stdout=subprocess.DEVNULL)
port, deadline = None, time.time() + 60
while port is None and time.time() < deadline:
    log.seek(0)
    m = re.search(r"listening on http://[^ ]*:(\d+)/", log.read())
    port = int(m.group(1)) if m else time.sleep(0.1)
passed = failed = 0

def report(name, ok, why=""):
    global passed, failed
    passed += ok
    failed += not ok
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else ": " + why), flush=True)

try:
    if port is None:
        raise SystemExit("FAIL server did not start\n0 passed, 1 failed")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def call(method, path, body=None):
        conn.request(method, path, body=body, headers={"Content-Type": "application/json"})
        r = conn.getresponse()
        data = r.read()
        assert r.status == 200, (path, r.status, data[:200])
        return json.loads(data)

    db = sqlite3.connect("file:%s/catalog.sqlite?mode=ro" % os.path.realpath(INDEX), uri=True)
    occ = {k: (l, i) for k, l, i in db.execute("SELECT key, label, isco FROM occupation")}
    ess = collections.defaultdict(list)
    for o, s in db.execute("SELECT o.key, s.key FROM occupation_skill os JOIN occupation o ON "
                           "o.id = os.occupation_id JOIN skill s ON s.id = os.skill_id "
                           "WHERE os.essential = 1 ORDER BY o.key, s.key"):
        ess[o].append(s)
    dupes = collections.Counter(frozenset(v) for v in ess.values())

    def rank(profile, key, depth):
        d = call("POST", "/fit", json.dumps({"skills": profile, "limit": depth}))
        ids = [r["id"] for r in d["results"]]
        return ids.index(key) + 1 if key in ids else None

    first = eligible = 0
    exceptions = []
    for key in sorted(ess):
        if dupes[frozenset(ess[key])] > 1:
            continue
        eligible += 1
        if rank(ess[key], key, 1) == 1:
            first += 1
        else:
            exceptions.append(occ[key][0])
    print("self-fit: %d of %d occupations first (%.2f%%); exceptions (%d): %s" %
          (first, eligible, 100.0 * first / eligible, len(exceptions), "; ".join(exceptions)))
    report("self-fit puts >= 97%% first (%d/%d)" % (first, eligible), first >= 0.97 * eligible)

    rnd = random.Random(7)
    top3 = n = 0
    for key in sorted(ess):
        keep = len(ess[key]) - round(0.3 * len(ess[key]))
        if keep < 1:
            continue
        n += 1
        r = rank(rnd.sample(ess[key], keep), key, 3)
        top3 += r is not None
    print("robust fit (30%% of essential skills removed, seed 7): top 3 for %d of %d (%.2f%%)" %
          (top3, n, 100.0 * top3 / n))
    report("robust fit >= 90%% in the top 3 (%.2f%%)" % (100.0 * top3 / n), top3 >= 0.9 * n)

    keys = sorted(occ)
    share = {"similar": [0, 0], "random": [0, 0], "text": [0, 0]}
    for key in sorted(ess):
        unit = occ[key][1][:4]
        sim = [r["id"] for r in call("GET", "/occupations/%s/similar?limit=5" % key)["results"]]
        txt = [r["id"] for r in call("GET", "/search?limit=6&q=" +
                                     urllib_quote(occ[key][0]))["results"] if r["id"] != key][:5]
        rnd_pick = rnd.sample([k for k in keys if k != key], 5)
        for name, ids in (("similar", sim), ("text", txt), ("random", rnd_pick)):
            share[name][0] += sum(occ[i][1][:4] == unit for i in ids)
            share[name][1] += len(ids)
    f = {k: v[0] / max(v[1], 1) for k, v in share.items()}
    print("top-5 neighbours in the same ISCO unit group: similar %.1f%%, text search %.1f%%, random %.1f%%" %
          (100 * f["similar"], 100 * f["text"], 100 * f["random"]))
    report("similar roles share the ISCO unit group more than text search and a random pick",
           f["similar"] > f["text"] and f["similar"] > 10 * f["random"])
finally:
    proc.terminate()
    proc.wait()
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
