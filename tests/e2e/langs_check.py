#!/usr/bin/env python3
"""One server for en, fr and nl ranks exactly as one server per language.

env: BIN, ESCO_INDEX (the full en index), ESCO_DIR (the en ESCO download;
     the French and Dutch ones are ../v1.1.1-fr and ../v1.2-nl beside it),
     WORK (scratch), EVAL (dev sets; default ESCO_DIR/../../eval).

Serves en+fr+nl from one `serve --index en=.. --index fr=.. --index nl=..`
and each language alone, sends the same queries to both over HTTP and
checks the rankings are identical (hence the MRR). Queries: en, the dev
sets of ../shared/eval (job titles and skills by GET /search, job ads by
POST /match); fr and nl, whose real queries stay held out, ESCO's own
alternative labels: one per occupation, SAMPLE occupations drawn with a
fixed seed, gold = the occupation's URI. Prints MRR@10 per language and
set; the last line is "N passed, N failed".
"""
import csv
import http.client
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

BIN = os.environ.get("BIN", "./skillsearch")
ESCO_INDEX = os.environ.get("ESCO_INDEX", "")
ESCO_DIR = os.environ.get("ESCO_DIR", "")
WORK = tempfile.mkdtemp(prefix="langs-", dir=os.environ.get("WORK") or None)
EVAL = os.environ.get("EVAL") or os.path.join(ESCO_DIR, "..", "..", "eval")
SAMPLE, SEED = 500, 17
FOLDERS = {"fr": "v1.1.1-fr", "nl": "v1.2-nl"}
passed = failed = 0


def report(ok, line):
    global passed, failed
    passed += ok
    failed += not ok
    print(("ok   " if ok else "FAIL ") + line, flush=True)


class Server:
    def __init__(self, *indexes):
        args = [BIN, "serve", "--port", "0", "--threads", "2",
                "--cache-mb", "0", "--web", ""]
        for ix in indexes:
            args += ["--index", ix]
        self.log = open(os.path.join(WORK, "serve-%d.log" % time.time_ns()),
                        "w+")
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL,
                                     stderr=self.log)
        self.port = None
        deadline = time.time() + 60
        while self.port is None and time.time() < deadline:
            self.log.seek(0)
            m = re.search(r"listening on http://[^ ]*:(\d+)/", self.log.read())
            if m:
                self.port = int(m.group(1))
            elif self.proc.poll() is not None:
                break
            else:
                time.sleep(0.05)
        if self.port is None:
            self.log.seek(0)
            raise RuntimeError("serve did not start: " + self.log.read()[-400:])
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port,
                                               timeout=60)

    def ask(self, method, path, body=None):
        try:
            self.conn.request(method, path, body=body)
            r = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError,
                BrokenPipeError):
            # idle past the server's 10 s timeout while the other server
            # was asked: a new connection
            self.conn.close()
            self.conn.request(method, path, body=body)
            r = self.conn.getresponse()
        data = r.read()
        if r.status != 200:
            raise RuntimeError("%s %s: %d %s" % (method, path[:80], r.status,
                                                 data[:200]))
        return json.loads(data)

    def stop(self):
        self.conn.close()
        self.proc.terminate()
        self.proc.wait(20)


def ranking(srv, lang, kind, query):
    """The URIs an endpoint ranks for one query; lang=None: no lang=."""
    suffix = "&lang=" + lang if lang else ""
    if kind == "match":
        d = srv.ask("POST", "/match?limit=10" + suffix,
                    query.encode("utf-8"))
    else:
        d = srv.ask("GET", "/search?limit=10&type=%s&q=%s%s" % (
            kind, urllib.parse.quote(query[:1000]), suffix))
        if lang:
            assert d["lang"] == lang, d["lang"]
    return [r["uri"] for r in d["results"]]


def mrr(queries, ranked):
    total = 0.0
    for (qid, _, gold), uris in zip(queries, ranked):
        for i, u in enumerate(uris[:10]):
            if u in gold:
                total += 1 / (i + 1)
                break
    return total / len(queries) if queries else 0.0


def dev_set(name):
    out = []
    for line in open(os.path.join(EVAL, name + ".jsonl"), encoding="utf-8"):
        g = json.loads(line)
        out.append((g["id"], g["query"], set(g["gold"])))
    return out


def label_set(folder, lang):
    """One alternative label of each of SAMPLE occupations (fixed seed)."""
    rows = []
    path = os.path.join(folder, "occupations_%s.csv" % lang)
    with open(path, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            alts = [a.strip() for a in (r.get("altLabels") or "").split("\n")
                    if a.strip() and a.strip() != r["preferredLabel"]]
            if alts:
                rows.append((r["conceptUri"], sorted(alts)))
    rows.sort()
    rnd = random.Random(SEED)
    picked = rnd.sample(rows, min(SAMPLE, len(rows)))
    return [("%s%d" % (lang, i), rnd.choice(alts), {uri})
            for i, (uri, alts) in enumerate(picked)]


def main():
    if not ESCO_INDEX or not ESCO_DIR:
        print("skipped: needs ESCO_INDEX and ESCO_DIR")
        print("0 passed, 0 failed")
        return 0
    indexes = {"en": ESCO_INDEX}
    sets = {"fr": [], "nl": [], "en": []}
    env = dict(os.environ, SKILLSEARCH_VECTORS="", SKILLSEARCH_MODELS="")
    for lang, sub in FOLDERS.items():
        folder = os.path.join(ESCO_DIR, "..", sub)
        if not os.path.isdir(folder):
            report(False, "%s: no ESCO folder at %s" % (lang, folder))
            continue
        out = os.path.join(WORK, "index-" + lang)
        subprocess.run([BIN, "index", "--esco", folder, "--lang", lang,
                        "--out", out, "--quiet"], check=True, env=env)
        indexes[lang] = out
        sets[lang].append(("esco_altlabels", "occupation",
                           label_set(folder, lang)))
    if os.path.isfile(os.path.join(EVAL, "score.py")):
        for name, kind in (("jobtitles_dev", "occupation"),
                           ("skills_tech_dev", "skill"),
                           ("skills_house_dev", "skill"),
                           ("jobads_dev", "match")):
            sets["en"].append((name, kind, dev_set(name)))
    else:
        print("no eval data at %s: en dev sets skipped" % EVAL)

    multi = Server(*("%s=%s" % kv for kv in indexes.items()))
    try:
        for lang, index in indexes.items():
            alone = Server(index)
            try:
                for name, kind, queries in sets[lang]:
                    t0 = time.time()
                    a = [ranking(multi, lang, kind, q) for _, q, _ in queries]
                    b = [ranking(alone, None, kind, q) for _, q, _ in queries]
                    diff = [q for (_, q, _), x, y in zip(queries, a, b)
                            if x != y]
                    report(not diff,
                           "%s %s: MRR@10 %.4f through the multi-language "
                           "server, %.4f alone, %d queries, %d rankings "
                           "differ%s (%.1f s)" %
                           (lang, name, mrr(queries, a), mrr(queries, b),
                            len(queries), len(diff),
                            ": %r" % diff[:3] if diff else "",
                            time.time() - t0))
            finally:
                alone.stop()
    finally:
        multi.stop()
    print("%d passed, %d failed" % (passed, failed))
    if not failed:
        shutil.rmtree(WORK, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
