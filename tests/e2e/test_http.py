#!/usr/bin/env python3
"""End-to-end tests of `skillsearch serve` (Python standard library only).

env: BIN (the skillsearch binary), INDEX (index built from data/sample),
     ESCO_INDEX (full ESCO index, or empty: those tests are skipped),
     ESCO_DIR (the en ESCO download: the French and Dutch ones beside it,
     ../v1.1.1-fr and ../v1.2-nl, make the multi-language server tests;
     empty: those are skipped),
     WORK (scratch folder; a temporary one when unset).

Each test prints 'ok NAME' or 'FAIL NAME: why'; the last line is
'N passed, N failed' and the exit status is non-zero on any failure.
Expected values come from the index's own catalogue (sqlite3), so the
tests hold for any sample data.
"""
import math
import atexit
import http.client
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

BIN = os.environ.get("BIN", "./skillsearch")
INDEX = os.environ.get("INDEX", "")
ESCO_INDEX = os.environ.get("ESCO_INDEX", "")
ESCO_DIR = os.environ.get("ESCO_DIR", "")
WORK = tempfile.mkdtemp(prefix="http-", dir=os.environ.get("WORK") or None)
TECHNICIAN = "26e1add0-da3f-4ed6-aa91-791cb550146f"
SECRET = "SECRET-MARKER-7f3a"

passed = failed = 0


def report(name, ok, why=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok", name, flush=True)
    else:
        failed += 1
        print("FAIL %s: %s" % (name, why), flush=True)


class Check(Exception):
    pass


def expect(cond, why):
    if not cond:
        raise Check(why)


def test(fn):
    """Runs fn now as one named test; exceptions are failures."""
    try:
        fn()
        report(fn.__name__, True)
    except Check as e:
        report(fn.__name__, False, str(e))
    except Exception as e:  # a crash of the test is a failure too
        report(fn.__name__, False, "%s: %s" % (type(e).__name__, e))
    return fn


# ---------------------------------------------------------------- server

class Server:
    """`skillsearch serve` on a free loopback port; stderr goes to a log."""
    started = []

    def __init__(self, index, *extra, wait=True, threads=4):
        Server.started.append(self)
        self.log = tempfile.NamedTemporaryFile(
            "w+", dir=WORK, prefix="serve-", suffix=".log", delete=False)
        self.proc = subprocess.Popen(
            [BIN, "serve", "--index", index, "--port", "0", "--threads",
             str(threads)] + list(extra),
            stdout=subprocess.DEVNULL, stderr=self.log)
        self.port = None
        deadline = time.time() + 20
        while time.time() < deadline and self.port is None:
            m = re.search(r"listening on http://[^ ]*:(\d+)/", self.text())
            if m:
                self.port = int(m.group(1))
            elif self.proc.poll() is not None:
                raise Check("serve exited %s: %s" %
                            (self.proc.returncode, self.text()[-500:]))
            else:
                time.sleep(0.05)
        if self.port is None:
            self.stop()
            raise Check("serve did not start: " + self.text()[-500:])
        if wait:
            self.wait_status(200)

    def text(self):
        with open(self.log.name, encoding="utf-8", errors="replace") as f:
            return f.read()

    def wait_status(self, status, path="/health", timeout=10):
        deadline = time.time() + timeout
        last = None
        while time.time() < deadline:
            try:
                last = get(self, path)[0]
                if last == status:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise Check("%s never answered %d (last %s)" % (path, status, last))

    def stop(self, sig=signal.SIGTERM):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


@atexit.register
def _no_strays():
    for srv in Server.started:
        if srv.proc.poll() is None:
            srv.proc.kill()
            srv.proc.wait()


def request(srv, method, path, body=None, headers=None, timeout=30):
    """(status, {lower-case header: value}, body bytes)"""
    c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=timeout)
    try:
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        data = r.read()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, data
    finally:
        c.close()


def get(srv, path, **kw):
    return request(srv, "GET", path, **kw)


def get_json(srv, path, status=200):
    st, hdr, body = get(srv, path)
    expect(st == status, "GET %s: status %d, want %d: %s" %
           (path, st, status, body[:200]))
    expect(hdr.get("content-type", "").startswith("application/json"),
           "GET %s: content-type %s" % (path, hdr.get("content-type")))
    return json.loads(body)


def expect_error(srv, method, path, status, code, body=None, headers=None):
    st, hdr, data = request(srv, method, path, body=body, headers=headers)
    expect(st == status, "%s %s: status %d, want %d: %s" %
           (method, path[:80], st, status, data[:200]))
    err = json.loads(data).get("error", {})
    expect(err.get("code") == code and err.get("message"),
           "%s %s: error %r, want code %s" % (method, path[:80], err, code))
    return hdr


def raw(srv, data, timeout=10, shutdown=False):
    """Sends bytes as they are and returns everything read until close."""
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=timeout)
    try:
        try:
            s.sendall(data)
            if shutdown:
                s.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # the server may answer and close before reading it all
        out = b""
        while True:
            try:
                chunk = s.recv(65536)
            except (ConnectionResetError, socket.timeout):
                break
            if not chunk:
                break
            out += chunk
        return out
    finally:
        s.close()


def raw_status(resp):
    m = re.match(rb"HTTP/1\.[01] (\d{3})", resp)
    return int(m.group(1)) if m else None


def q(s):
    return urllib.parse.quote(s, safe="")


def catalog(index):
    db = sqlite3.connect("file:%s?mode=ro" % os.path.join(index, "catalog.sqlite"),
                         uri=True)
    db.row_factory = sqlite3.Row
    return db


def metric(text, name, labels=None):
    """Value of one sample in Prometheus text, or None."""
    for line in text.splitlines():
        if line.startswith("#") or not line.startswith(name):
            continue
        m = re.match(r"([a-z_]+)(\{[^}]*\})? (\S+)$", line)
        if not m or m.group(1) != name:
            continue
        if labels and any('%s="%s"' % kv not in (m.group(2) or "")
                          for kv in labels.items()):
            continue
        return float(m.group(3))
    return None


def swap_link(link, target):
    """Points link at target atomically (what the indexer does)."""
    tmp = link + ".tmp"
    if os.path.lexists(tmp):
        os.unlink(tmp)
    os.symlink(target, tmp)
    os.replace(tmp, link)


# -------------------------------------------------------------- fixtures

if not INDEX or not os.path.isdir(INDEX):
    print("FAIL setup: INDEX=%r is not an index" % INDEX)
    print("0 passed, 1 failed")
    sys.exit(1)

# A web folder with a secret beside it and a symlink pointing out of it.
WEB = os.path.join(WORK, "web")
os.makedirs(os.path.join(WEB, "sub"))
for name, text in [("index.html", "<!doctype html><title>t</title>home"),
                   ("app.js", "console.log('app');"),
                   ("style.css", "body{}"), ("sub/page.html", "sub page"),
                   ("sub/index.html", "sub index"),
                   (".hidden.html", SECRET), ("notes.xyz", SECRET)]:
    with open(os.path.join(WEB, name), "w") as f:
        f.write(text)
with open(os.path.join(WEB, "logo.png"), "wb") as f:
    f.write(b"\x89PNG\r\n\x1a\n")
with open(os.path.join(WORK, "secret.txt"), "w") as f:
    f.write(SECRET)
os.symlink(os.path.join(WORK, "secret.txt"), os.path.join(WEB, "link.txt"))

CAT = catalog(INDEX)
OCC = CAT.execute(
    "SELECT o.id, o.key, o.label, o.isco, count(os.skill_id) AS n "
    "FROM occupation o JOIN occupation_skill os ON os.occupation_id = o.id "
    "GROUP BY o.id ORDER BY n DESC, length(o.label) DESC LIMIT 1").fetchone()
SKILL = CAT.execute(
    "SELECT s.id, s.key, s.label, count(os.occupation_id) AS n FROM skill s "
    "JOIN occupation_skill os ON os.skill_id = s.id "
    "GROUP BY s.id ORDER BY n DESC LIMIT 1").fetchone()
CORS = "http://example.test"

try:
    SRV = Server(INDEX, "--web", WEB, "--cors", CORS)
except Check as e:
    print("FAIL setup: %s" % e)
    print("0 passed, 1 failed")
    sys.exit(1)

# ------------------------------------------------------------ endpoints


@test
def health():
    d = get_json(SRV, "/health")
    expect(d.get("status") == "ok", d)
    expect(isinstance(d.get("documents"), int) and d["documents"] > 0, d)
    expect(isinstance(d.get("generation"), str), d)
    # published by this process, which started at most an hour ago
    now = time.time() * 1000
    expect(isinstance(d.get("loaded_at_ms"), int) and
           now - 3600e3 < d["loaded_at_ms"] <= now + 1000, d)
    expect(d["languages"][0]["loaded_at_ms"] == d["loaded_at_ms"], d)
    # every document is an occupation or a skill, counted from the catalogue
    with sqlite3.connect(os.path.join(INDEX, "catalog.sqlite")) as db:
        occ = db.execute("SELECT count(*) FROM occupation").fetchone()[0]
        sk = db.execute("SELECT count(*) FROM skill").fetchone()[0]
    expect((d.get("occupations"), d.get("skills")) == (occ, sk), (d, occ, sk))
    expect(d["occupations"] + d["skills"] == d["documents"], d)
    expect(d["languages"][0]["skills"] == sk, d)


@test
def head_health():
    st, hdr, body = request(SRV, "HEAD", "/health")
    expect(st == 200 and body == b"", (st, body))


@test
def search_shape():
    d = get_json(SRV, "/search?q=" + q(OCC["label"]))
    for k in ("query", "type", "total_estimate", "offset", "limit",
              "results", "facets", "suggestion"):
        expect(k in d, "missing key %s in %s" % (k, list(d)))
    expect(d["query"] == OCC["label"] and d["type"] == "occupation", d)
    expect(d["offset"] == 0 and d["limit"] == 10, d)
    expect(0 < len(d["results"]) <= 10, "results: %d" % len(d["results"]))
    for r in d["results"]:
        for k in ("uri", "id", "label", "type", "isco", "score", "matched",
                  "reasons"):
            expect(k in r, "hit lacks %s: %s" % (k, r))
        expect(r["uri"].rsplit("/", 1)[-1] == r["id"], r)
        expect(r["type"] == "occupation", r)
    expect(isinstance(d["facets"].get("isco"), list), d["facets"])
    for f in d["facets"]["isco"]:
        expect(set(f) >= {"key", "label", "count"}, f)


@test
def search_finds_label():
    d = get_json(SRV, "/search?q=" + q(OCC["label"]) + "&limit=3")
    ids = [r["id"] for r in d["results"]]
    expect(OCC["key"] in ids, "%s not in top 3 %s" % (OCC["key"], ids))


@test
def search_plus_is_space():
    a = get_json(SRV, "/search?q=" + OCC["label"].replace(" ", "+"))
    b = get_json(SRV, "/search?q=" + q(OCC["label"]))
    expect([r["id"] for r in a["results"]] ==
           [r["id"] for r in b["results"]], "'+' and %20 differ")


@test
def search_skills():
    d = get_json(SRV, "/search?type=skill&q=" + q(SKILL["label"]))
    expect(d["type"] == "skill" and d["results"], d)
    expect(all(r["type"] == "skill" for r in d["results"]), d["results"])
    expect(SKILL["key"] in [r["id"] for r in d["results"]], "skill missing")
    expect(isinstance(d["facets"].get("skill_type"), list), d["facets"])


SKILL_TYPES = {"knowledge": "knowledge", "skill": "skill/competence",
               "competence": "skill/competence",
               "skill/competence": "skill/competence"}
REUSE = ("transversal", "cross-sector", "sector-specific",
         "occupation-specific")


def skill_row(key):
    return CAT.execute("SELECT skill_type, reuse_level FROM skill WHERE "
                       "key = ?", (key,)).fetchone()


@test
def search_skill_filters():
    path = "/search?type=skill&limit=100&q=" + q("systems")
    full = get_json(SRV, path)
    fac = {dim: {f["key"]: f["count"] for f in full["facets"][dim]}
           for dim in ("skill_type", "reuse")}
    # without filters, each dimension counts every typed hit once
    rows = [skill_row(r["id"]) for r in full["results"]]
    expect(sum(fac["skill_type"].values()) == sum(1 for t, _ in rows if t),
           fac)
    expect(sum(fac["reuse"].values()) == sum(1 for _, u in rows if u), fac)
    expect(full["facets"]["isco"] == [], full["facets"])
    for name, value in list(SKILL_TYPES.items()) + [(r, r) for r in REUSE]:
        dim = "reuse" if name in REUSE else "skill_type"
        arg = "reuse" if dim == "reuse" else "skilltype"
        d = get_json(SRV, path + "&%s=%s" % (arg, q(name)))
        got = [skill_row(r["id"])[dim == "reuse"] for r in d["results"]]
        expect(all(g == value for g in got), (name, got))
        expect(len(got) == fac[dim].get(value, 0),
               "%s=%s: %d hits, facet said %s" % (arg, name, len(got),
                                                   fac[dim].get(value)))
        # the filter's own facet keeps counting the other values
        own = {f["key"]: f["count"] for f in d["facets"][dim]}
        expect(own == fac[dim], (name, own, fac[dim]))
    d = get_json(SRV, path + "&skilltype=knowledge&reuse=sector-specific")
    expect(all(tuple(skill_row(r["id"])) == ("knowledge", "sector-specific")
               for r in d["results"]) and d["results"], d["results"])
    for bad in ("&skilltype=attitude", "&reuse=global", "&reuse=",
                "&skilltype=knowledge%00x", "&reuse=transversal&reuse=transversal"):
        expect_error(SRV, "GET", path + bad, 400, "bad_request")
    st, _, body = get(SRV, path + "&reuse=global")
    expect(b"transversal, cross-sector, sector-specific, occupation-specific"
           in body, body)
    # the filters are for skills
    expect_error(SRV, "GET", "/search?q=systems&skilltype=knowledge", 400,
                 "bad_request")
    st, _, body = get(SRV, "/search?q=systems&reuse=transversal")
    expect(b"type=skill" in body, body)


@test
def occupation_skill_filters():
    key = OCC["key"]
    for arg, col, values in (("skilltype", "skill_type", SKILL_TYPES),
                             ("reuse", "reuse_level", {r: r for r in REUSE})):
        for name, value in values.items():
            for group in ("", "&group=skillgroup"):
                d = get_json(SRV, "/occupations/%s?%s=%s%s" %
                             (key, arg, q(name), group))
                skills = [s for g in d["skill_groups"] for s in g["skills"]]
                expect(all(s[col] == value for s in skills), (name, skills))
                want = CAT.execute(
                    "SELECT count(*) FROM occupation_skill os JOIN skill s ON"
                    " s.id = os.skill_id JOIN occupation o ON"
                    " o.id = os.occupation_id WHERE o.key = ? AND s.%s = ?"
                    % col, (key, value)).fetchone()[0]
                expect(len(skills) == want == d["counts"]["total"],
                       "%s=%s: %d skills, %s counted, catalogue %d" %
                       (arg, name, len(skills), d["counts"], want))
    for bad in ("?skilltype=x", "?reuse=", "?reuse=cross-sector%00",
                "?skilltype=knowledge&skilltype=knowledge"):
        expect_error(SRV, "GET", "/occupations/" + key + bad, 400,
                     "bad_request")


@test
def search_limit_offset():
    two = get_json(SRV, "/search?q=" + q(OCC["label"]) + "&limit=2")
    one = get_json(SRV, "/search?q=" + q(OCC["label"]) + "&limit=1&offset=1")
    expect(len(two["results"]) == 2, "need 2 results for this test")
    expect(len(one["results"]) == 1 and one["offset"] == 1, one)
    expect(one["results"][0]["id"] == two["results"][1]["id"],
           "offset=1 is not the second hit")
    get_json(SRV, "/search?q=a&limit=100&offset=10000")


@test
def search_isco_filter():
    major = OCC["isco"][:1]
    d = get_json(SRV, "/search?q=" + q(OCC["label"]) + "&isco=" + major)
    expect(d["results"], "no results with isco=" + major)
    expect(all(r["isco"].startswith(major) for r in d["results"]),
           [r["isco"] for r in d["results"]])


@test
def search_empty_and_punctuation():
    for text in ("", "   ", "!!! ???"):
        d = get_json(SRV, "/search?q=" + q(text))
        expect(d["results"] == [], "q=%r gave results" % text)


@test
def search_q_limit():
    get_json(SRV, "/search?q=" + "a" * 1000)
    expect_error(SRV, "GET", "/search?q=" + "a" * 1001, 414, "uri_too_long")
    # multi-byte: 1001 bytes after decoding even though < 1001 characters
    expect_error(SRV, "GET", "/search?q=" + q("é" * 500 + "a"), 414,
                 "uri_too_long")


@test
def search_syntax():
    """syntax=1: boolean queries (query/syntax.c), same answer shape."""
    d = get_json(SRV, "/search?syntax=1&q=" + q("nurse NOT specialist"))
    labels = [r["label"] for r in d["results"]]
    expect(d["total_estimate"] == 2 and "specialist nurse" not in labels,
           labels)
    for k in ("query", "type", "total_estimate", "offset", "limit",
              "results", "facets", "suggestion"):
        expect(k in d, "missing key %s in %s" % (k, list(d)))
    for r in d["results"]:
        for k in ("uri", "id", "label", "type", "isco", "score", "matched",
                  "reasons"):
            expect(k in r, "hit lacks %s: %s" % (k, r))
    expect(d["results"][0]["matched"] == ["nurse"], d["results"][0])
    # free text reads the same words as words
    f = get_json(SRV, "/search?syntax=0&q=" + q("nurse NOT specialist"))
    expect("specialist nurse" in [r["label"] for r in f["results"]], f)
    d = get_json(SRV, "/search?syntax=1&type=skill&q=" +
                 q('"wear cleanroom suit" OR reuse:transversal'))
    expect(d["type"] == "skill" and len(d["results"]) >= 2 and
           all(r["type"] == "skill" for r in d["results"]), d)
    d = get_json(SRV, "/search?syntax=1&isco=2221&q=" +
                 q("label:nurse type:occupation"))
    expect(sorted(r["isco"] for r in d["results"]) == ["2221", "2221"], d)


@test
def search_syntax_errors():
    for text, msg in [("nurse AND", "Syntax: <expression> AND <expression>"),
                      ("OR", "Syntax: <expression> OR <expression>"),
                      ("title:nurse", "unknown field 'title:'"),
                      ("type:job", "type: unknown value 'job'"),
                      ("isco:x1", "isco: 'x1' is not 1 to 4 digits"),
                      ("(" * 40 + "nurse", "nested more than 32 deep")]:
        st, hdr, data = get(SRV, "/search?syntax=1&q=" + q(text))
        expect(st == 400, "%r: %d" % (text, st))
        err = json.loads(data)["error"]
        expect(err["code"] == "bad_request" and msg in err["message"],
               "%r: %r" % (text, err))
    for v in ("2", "yes", "", "-1"):
        expect_error(SRV, "GET", "/search?q=nurse&syntax=" + v, 400,
                     "bad_request")
    # hostile text that is no error
    for text in ('"unbalanced', "(nurse OR baker", "*", "nurse)", "\u00e9*",
                 "a" * 1000):
        get_json(SRV, "/search?syntax=1&q=" + q(text))


@test
def bad_parameters():
    base = "/search?q=test"
    for path in ["/search", base + "&limit=0", base + "&limit=101",
                 base + "&limit=abc", base + "&limit=-1", base + "&limit=",
                 base + "&limit=99999999999", base + "&offset=10001",
                 base + "&offset=x", base + "&type=job", base + "&type=",
                 base + "&isco=12345", base + "&isco=3a", base + "&lang=xx",
                 base + "&unknown=1", base + "&q=again", "/search?q=%ff%fe",
                 "/search?q=a%00b", "/search?q=%c3%28", "/suggest",
                 "/suggest?q=ab&limit=11", "/suggest?q=%80",
                 "/suggest?q=ab&x=1", "/suggest?q=ab&type=job",
                 "/suggest?q=ab&type=skill&type=skill"]:
        expect_error(SRV, "GET", path, 400, "bad_request")


@test
def not_found():
    for path in ["/nope", "/search/extra", "/occupations/",
                 "/occupations/no-such-id", "/occupations/a%2Fb",
                 "/skills/no-such-id", "/skills/" + q("ü ü"), "/index.htm",
                 "/sub/missing.js", "/notes.xyz", "/link.txt", "/etc/passwd",
                 "/healthz", "/health/", "/metrics/x", "/occupations",
                 "/SEARCH?q=a", "/suggestions?q=a"]:
        st, hdr, data = get(SRV, path)
        expect(st == 404, "%s: %d" % (path, st))
        expect(json.loads(data)["error"]["code"] == "not_found", data)


@test
def unknown_path_is_not_an_endpoint():
    # a path outside the route table is a 404 counted as a static file,
    # never an answer of another endpoint (it used to fall to /health)
    def count(text, ep, status):
        return metric(text, "skillsearch_requests_total",
                      {"endpoint": ep, "status": status}) or 0
    before = get(SRV, "/metrics")[2].decode()
    st, hdr, data = get(SRV, "/no-such-endpoint")
    expect(st == 404 and b"documents" not in data, (st, data))
    after = get(SRV, "/metrics")[2].decode()
    expect(count(after, "static", "404") == count(before, "static", "404") + 1,
           "404 not counted as static")
    expect(count(after, "health", "200") == count(before, "health", "200"),
           "counted as /health")
    # every endpoint of the table has its histogram in /metrics
    for ep in ("search", "suggest", "match", "occupation", "skill", "health",
               "metrics", "static", "other"):
        expect(metric(after, "skillsearch_request_duration_seconds_count",
                      {"endpoint": ep}) is not None, ep)


@test
def wrong_method():
    hdr = expect_error(SRV, "POST", "/search?q=a", 405, "method_not_allowed",
                       body=b"x")
    expect("GET" in hdr.get("allow", ""), hdr)
    hdr = expect_error(SRV, "GET", "/match", 405, "method_not_allowed")
    expect("POST" in hdr.get("allow", ""), hdr)
    for m in ("PUT", "DELETE", "PATCH"):
        expect_error(SRV, m, "/health", 405, "method_not_allowed")


@test
def suggest_prefix():
    label = OCC["label"]
    typed = label[:max(3, len(label) - 2)]
    d = get_json(SRV, "/suggest?q=" + q(typed))
    expect(d["query"] == typed, d)
    ids = [s["id"] for s in d["suggestions"]]
    expect(OCC["key"] in ids, "%r: %s not in %s" % (typed, OCC["key"], ids))
    expect(len(d["suggestions"]) <= 10, "more than 10")
    for s in d["suggestions"]:
        expect(set(s) >= {"label", "type", "id", "uri"}, s)
        expect(s["type"] in ("occupation", "skill"), s)
    d = get_json(SRV, "/suggest?q=" + q(typed.upper()))
    expect(OCC["key"] in [s["id"] for s in d["suggestions"]], "case")
    d = get_json(SRV, "/suggest?q=e&limit=3")
    expect(len(d["suggestions"]) <= 3, d)
    d = get_json(SRV, "/suggest?q=")
    expect(d["suggestions"] == [], d)


@test
def suggest_one_typo():
    words = OCC["label"].split()
    i = max(range(len(words)), key=lambda k: len(words[k]))
    w = words[i]
    expect(len(w) >= 5, "need a word of 5+ letters in %r" % OCC["label"])
    typo = w[0] + w[2] + w[1] + w[3:]  # swap two neighbours
    typed = " ".join(words[:i] + [typo])
    d = get_json(SRV, "/suggest?q=" + q(typed))
    ids = [s["id"] for s in d["suggestions"]]
    expect(OCC["key"] in ids, "%r: %s not in %s" % (typed, OCC["key"], ids))


@test
def suggest_one_kind():
    # type= limits the suggestions to skills (the page's skill picker) or
    # occupations; occupations rank first, so filtering the mixed list
    # afterwards could leave no skill at all
    cases = {"skill": [("micro", "microassembly")],
             "occupation": [("micro", "microsystem engineer")]}
    for kind, pairs in cases.items():
        for typed, want in pairs:
            d = get_json(SRV, "/suggest?type=%s&q=%s" % (kind, q(typed)))
            got = d["suggestions"]
            expect(got and all(s["type"] == kind for s in got), (kind, got))
            expect(want in [s["label"] for s in got], (kind, want, got))
    mixed = get_json(SRV, "/suggest?q=micro&limit=2")["suggestions"]
    expect([s["type"] for s in mixed] == ["occupation"] * 2, mixed)
    only = get_json(SRV, "/suggest?q=micro&limit=2&type=skill")["suggestions"]
    expect(len(only) == 2 and all(s["type"] == "skill" for s in only), only)


@test
def suggest_ranking():
    d = get_json(SRV, "/suggest?q=" + q(OCC["label"]))
    expect(d["suggestions"] and d["suggestions"][0]["id"] == OCC["key"],
           "exact preferred label is not first: %s" % d["suggestions"][:2])


def check_groups(d, db, occ_rowid):
    c = d["counts"]
    groups = d["skill_groups"]
    n_ess = sum(len(g["skills"]) for g in groups if g["relation"] == "essential")
    n_opt = sum(len(g["skills"]) for g in groups if g["relation"] == "optional")
    expect(c["total"] == c["essential"] + c["optional"], c)
    expect((c["essential"], c["optional"]) == (n_ess, n_opt),
           "counts %s vs groups %d/%d" % (c, n_ess, n_opt))
    want = db.execute("SELECT sum(essential != 0), sum(essential = 0) FROM "
                      "occupation_skill WHERE occupation_id = ?",
                      (occ_rowid,)).fetchone()
    expect((c["essential"], c["optional"]) == (want[0] or 0, want[1] or 0),
           "counts %s vs catalogue %s" % (c, tuple(want)))
    type_rank = {"knowledge": 0, "skill/competence": 1}
    reuse_rank = {"occupation-specific": 0, "sector-specific": 1,
                  "cross-sector": 2, "transversal": 3}
    keys = [(g["relation"] != "essential", type_rank.get(g["skill_type"], 2),
             reuse_rank.get(g["reuse_level"], 4)) for g in groups]
    expect(keys == sorted(keys), "groups out of order: %s" % keys)
    expect(len(set(keys)) == len(keys), "a group appears twice")
    for g in groups:
        expect(g["skills"], "empty group %s" % g)
        for s in g["skills"]:
            expect(s["skill_type"] == g["skill_type"] and
                   s["reuse_level"] == g["reuse_level"], s)
            expect(set(s) >= {"uri", "id", "label", "description"}, s)


@test
def occupation_detail():
    d = get_json(SRV, "/occupations/" + OCC["key"])
    for k in ("uri", "id", "label", "code", "isco", "isco_path",
              "alt_labels", "description", "counts", "skill_groups"):
        expect(k in d, "missing " + k)
    expect(d["id"] == OCC["key"] and d["label"] == OCC["label"], d["label"])
    codes = [p["code"] for p in d["isco_path"]]
    expect(all(OCC["isco"].startswith(c) for c in codes), codes)
    check_groups(d, CAT, OCC["id"])


@test
def skill_detail():
    d = get_json(SRV, "/skills/" + SKILL["key"])
    for k in ("uri", "id", "label", "skill_type", "reuse_level",
              "alt_labels", "description", "occupations", "related"):
        expect(k in d, "missing " + k)
    occ = d["occupations"]
    expect(len(occ["essential"]) + len(occ["optional"]) == SKILL["n"],
           "occupations %d+%d, catalogue %d" %
           (len(occ["essential"]), len(occ["optional"]), SKILL["n"]))
    for o in occ["essential"] + occ["optional"]:
        expect(set(o) >= {"uri", "id", "label", "isco"}, o)
    for r in d["related"]:
        expect(r["relation"] in ("essential", "optional"), r)


def walk_broader(cat, uri, to_group=False):
    """The chain /skills/{id} should give, walked here independently."""
    chain, cur = [], uri
    while len(chain) < 16:
        row = cat.execute(
            "SELECT b.broader_uri, s.label, g.label, g.code FROM skill_broader "
            "b LEFT JOIN skill s ON s.uri = b.broader_uri LEFT JOIN "
            "skill_group g ON g.uri = b.broader_uri WHERE b.uri = ? AND "
            "(s.uri IS NOT NULL OR g.uri IS NOT NULL) "
            "ORDER BY b.broader_uri LIMIT 1", (cur,)).fetchone()
        if not row or row[0] == uri or row[0] in [c["uri"] for c in chain]:
            break
        group = row[2] is not None
        chain.insert(0, {"uri": row[0], "id": row[0].rsplit("/", 1)[-1],
                         "label": row[2] if group else row[1],
                         "kind": "group" if group else "skill",
                         "code": row[3] if group else ""})
        if group and to_group:
            break
        cur = row[0]
    return chain


def check_flags(d):
    for g in d["skill_groups"]:
        for s in g["skills"]:
            expect(s["cross_sector"] is (s["reuse_level"] == "cross-sector")
                   and s["transversal"] is (s["reuse_level"] == "transversal"),
                   s)


def check_by_skill_group(srv, key, cat):
    plain = get_json(srv, "/occupations/" + key)
    check_flags(plain)
    st, _, by_rel = get(srv, "/occupations/" + key + "?group=relation")
    expect(st == 200 and by_rel == get(srv, "/occupations/" + key)[2],
           "group=relation differs from the default")
    d = get_json(srv, "/occupations/" + key + "?group=skillgroup")
    check_flags(d)
    expect(d["counts"] == plain["counts"], d["counts"])
    rel = {s["uri"]: g["relation"] for g in plain["skill_groups"]
           for s in g["skills"]}
    seen, groups = {}, d["skill_groups"]
    expect(len({g["group"]["uri"] for g in groups}) == len(groups),
           "a group appears twice")
    for i, g in enumerate(groups):
        expect(set(g["group"]) == {"uri", "code", "label"} and g["skills"], g)
        if g["group"]["uri"] == "":
            expect(g["group"]["label"] == "other" and i == len(groups) - 1,
                   "'other' must be the last group: %s" % g["group"])
        for s in g["skills"]:
            near = walk_broader(cat, s["uri"], to_group=True)
            want = near[0]["uri"] if near and near[0]["kind"] == "group" \
                else ""
            expect(g["group"]["uri"] == want,
                   "%s in %s, nearest group %r" % (s["label"], g["group"],
                                                   want))
            expect(s["relation"] == rel.get(s["uri"]), s)
            seen[s["uri"]] = s
    expect(set(seen) == set(rel) and
           sum(len(g["skills"]) for g in groups) == len(rel),
           "grouped skills differ from the default list")
    return d


@test
def occupation_by_skill_group():
    d = check_by_skill_group(SRV, OCC["key"], CAT)
    # the sample has the hierarchy: OCC's skills sit in real groups
    expect(any(g["group"]["uri"] for g in d["skill_groups"]), d)
    # the sample has no occupation skill outside the hierarchy; a skill
    # with no broader row must land in "other"
    key = OCC["key"]
    other = [r[0] for r in CAT.execute(
        "SELECT s.uri FROM occupation_skill os JOIN skill s ON "
        "s.id = os.skill_id JOIN occupation o ON o.id = os.occupation_id "
        "WHERE o.key = ? AND s.uri NOT IN (SELECT uri FROM skill_broader)",
        (key,))]
    last = d["skill_groups"][-1]
    expect(bool(other) == (last["group"]["uri"] == ""), (other, last))
    for bad in ("?group=x", "?group=skillgroup%00", "?group=",
                "?group=relation&group=relation", "?grouping=skillgroup"):
        expect_error(SRV, "GET", "/occupations/" + key + bad, 400,
                     "bad_request")
    st, _, body = get(SRV, "/occupations/" + key + "?group=x")
    expect(b"relation or skillgroup" in body, body)


@test
def skill_broader_chain():
    uri, key = CAT.execute(
        "SELECT s.uri, s.key FROM skill s WHERE s.uri IN "
        "(SELECT uri FROM skill_broader) ORDER BY s.uri LIMIT 1").fetchone()
    d = get_json(SRV, "/skills/" + key)
    want = walk_broader(CAT, uri)
    expect(d["broader"] == want and len(want) >= 2, (d["broader"], want))
    expect(want[-1]["uri"] == CAT.execute(
        "SELECT min(broader_uri) FROM skill_broader WHERE uri = ?",
        (uri,)).fetchone()[0], "the chain must end at the skill's parent")
    # the top has no broader concept of its own
    expect(not walk_broader(CAT, want[0]["uri"]), want[0])
    expect(get_json(SRV, "/skills/" + SKILL["key"])["broader"] ==
           walk_broader(CAT, "http://data.europa.eu/esco/skill/" +
                        SKILL["key"]), "broader of the most used skill")


@test
def show_prints_the_http_body():
    # `skillsearch show --json` and the two pages are built by the same
    # code (query/detail.c): the same bytes, whatever the parameters
    for path, args in (
            ("/occupations/" + OCC["key"], []),
            ("/occupations/%s?group=skillgroup" % OCC["key"],
             ["--group", "skillgroup"]),
            ("/occupations/%s?skilltype=knowledge&reuse=sector-specific" %
             OCC["key"], ["--skilltype", "knowledge", "--reuse",
                          "sector-specific"]),
            ("/occupations/%s?group=skillgroup&reuse=cross-sector" %
             OCC["key"], ["--group", "skillgroup", "--reuse", "cross-sector"]),
            ("/skills/" + SKILL["key"], [])):
        st, _, body = get(SRV, path)
        p = subprocess.run([BIN, "show", "--index", INDEX, "--json"] + args +
                           [path.split("/")[2].split("?")[0]],
                           capture_output=True, timeout=60)
        expect(st == 200 and p.returncode == 0, (path, st, p.stderr[-300:]))
        expect(p.stdout == body + b"\n", "%s: CLI %r, HTTP %r" %
               (path, p.stdout[:120], body[:120]))
    p = subprocess.run([BIN, "show", "--index", INDEX, "no-such-id"],
                       capture_output=True, timeout=60)
    expect(p.returncode == 2 and b"'no-such-id'" in p.stderr, p.stderr)


@test
def match_text_and_json():
    text = "We are hiring: " + OCC["label"] + ". " + SKILL["label"] + "."
    st, hdr, body = request(SRV, "POST", "/match", body=text.encode(),
                            headers={"Content-Type": "text/plain"})
    expect(st == 200, (st, body[:200]))
    d = json.loads(body)
    expect(isinstance(d.get("results"), list) and d["results"], d)
    expect(isinstance(d.get("skills"), list), d)
    # the skill named in the text is found, with a span that points at it
    raw = text.encode()
    spans = [x for x in d["skills"] if x["id"] == SKILL["key"]]
    expect(spans, "skill %s not found: %s" % (SKILL["label"], d["skills"]))
    for x in spans:
        expect(raw[x["start"]:x["end"]].decode() == x["text"], x)
    st, hdr, body = request(SRV, "POST", "/match",
                            body=json.dumps({"text": text}).encode(),
                            headers={"Content-Type": "application/json"})
    expect(st == 200, (st, body[:200]))
    expect([r["id"] for r in json.loads(body)["results"]] ==
           [r["id"] for r in d["results"]], "JSON and plain text differ")
    big = (text + "\n") * (1000 * 1024 // len(text))  # just under 1 MB
    t0 = time.time()
    st, _, body = request(SRV, "POST", "/match", body=big.encode())
    expect(st == 200, "1 MB body: %d %s" % (st, body[:200]))
    expect(json.loads(body)["results"], "no results for 1 MB")
    expect(time.time() - t0 < 10, "1 MB body took %.1fs" % (time.time() - t0))


@test
def match_bad_bodies():
    for body, ctype in [(b"\xff\xfe bad", "text/plain"),
                        (b"a\x00b", "text/plain"),
                        (b"{not json", "application/json"),
                        (b'{"txt": "x"}', "application/json"),
                        (b'{"text": 5}', "application/json"),
                        (b'["text"]', "application/json")]:
        expect_error(SRV, "POST", "/match", 400, "bad_request", body=body,
                     headers={"Content-Type": ctype})


@test
def match_empty_document():
    # an empty or blank document is answered, with nothing found (issue
    # 15: no skills, no error), as the CLI does
    for body, ctype in [(b"", "text/plain"), (b"  \n", "text/plain"),
                        (b'{"text": ""}', "application/json"),
                        (b'{"text": " \\n "}', "application/json")]:
        st, _, data = request(SRV, "POST", "/match", body=body,
                              headers={"Content-Type": ctype})
        d = json.loads(data) if st == 200 else {}
        expect(st == 200 and d.get("results") == [] and
               d.get("skills") == [], (body, st, data[:200]))


@test
def match_too_large():
    body = b"a " * (512 * 1024 + 1)  # 1 MB + 2 bytes
    resp = raw(SRV, b"POST /match HTTP/1.1\r\nHost: x\r\nContent-Type: "
               b"text/plain\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
    expect(raw_status(resp) == 413, resp[:200])
    expect(b'"payload_too_large"' in resp, resp[:300])
    # /fit has the same limit: a CV over 1 MB inside the JSON
    fit = b'{"text": "' + b"a " * (512 * 1024) + b'"}'
    resp = raw(SRV, b"POST /fit HTTP/1.1\r\nHost: x\r\nContent-Type: "
               b"application/json\r\nContent-Length: %d\r\n\r\n" % len(fit)
               + fit)
    expect(raw_status(resp) == 413, resp[:200])
    expect(b'"payload_too_large"' in resp, resp[:300])
    # declared size alone is enough: answered before the body is sent
    resp = raw(SRV, b"POST /match HTTP/1.1\r\nHost: x\r\nContent-Length: "
               b"5000000\r\n\r\n")
    expect(raw_status(resp) == 413, resp[:200])
    # chunked, no length: counted while reading
    chunk = b"b" * 65536
    parts = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(17))
    resp = raw(SRV, b"POST /match HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
               b"chunked\r\n\r\n" + parts + b"0\r\n\r\n")
    expect(raw_status(resp) == 413, resp[:200])


# A text naming skills at several confidences on the sample: a label
# (1.0), an alternative label (0.8), one-word labels (0.7, 0.56) and a
# one-word hidden label (0.42, under the default 0.5).
CONF_TEXT = ("Microsystem technician\nYou perform wire bonding, run thermal "
             "cycling, know semiconductors and soldering, and some cplusplus.")


def post_match(path, text=CONF_TEXT, fields=None, status=200):
    """POST /match as JSON ({"text": text} plus fields, or as plain text when
    fields is None); the answer decoded."""
    if fields is None:
        body, ctype = text.encode(), "text/plain"
    else:
        body = json.dumps(dict(fields, text=text)).encode()
        ctype = "application/json"
    st, _, data = request(SRV, "POST", path, body=body,
                          headers={"Content-Type": ctype})
    expect(st == status, "POST %s %s: status %d, want %d: %s" %
           (path, fields, st, status, data[:200]))
    return json.loads(data)


def confidences(d):
    return sorted(s["confidence"] for s in d["skills"])


@test
def match_min_confidence():
    every = confidences(post_match("/match?min_confidence=0"))
    expect(len(set(every)) >= 3 and min(every) < 0.5 and max(every) >= 0.5,
           "the text should find skills on both sides of 0.5: %s" % every)
    # the default is 0.5; the threshold keeps exactly the skills at it or over
    expect(confidences(post_match("/match")) == [c for c in every if c >= 0.5],
           "default threshold")
    for x in ("0.9", "0.2", "0.56", "1"):
        want = [c for c in every if c >= float(x) - 1e-9]
        expect(confidences(post_match("/match?min_confidence=" + x)) == want,
               "query min_confidence=%s" % x)
        expect(confidences(post_match("/match", fields={
            "min_confidence": float(x)})) == want,
            "body min_confidence %s" % x)
    # the body's field wins over the query argument, both ways
    expect(confidences(post_match("/match?min_confidence=0", fields={
        "min_confidence": 0.5})) == [c for c in every if c >= 0.5],
        "body 0.5 over query 0")
    expect(confidences(post_match("/match?min_confidence=0.9", fields={
        "min_confidence": 0})) == every, "body 0 over query 0.9")
    # a skill under the threshold does not rank occupations either: the
    # reasons stop citing it as found
    low = post_match("/match", text="We use cplusplus every day at work.")
    found = post_match("/match?min_confidence=0",
                       text="We use cplusplus every day at work.")
    expect(not low["skills"] and found["skills"], (low["skills"],
                                                   found["skills"]))
    cites = lambda d: [x for r in d["results"] for x in r["reasons"]
                       if "skill found" in x]
    expect(not cites(low) and cites(found), (cites(low), cites(found)))


@test
def match_min_confidence_bad():
    msg = "min_confidence must be a number from 0 to 1"
    for bad in ("2", "-1", "abc", "", "nan", "0.5x", "%200.5", "1e3"):
        path = "/match?min_confidence=" + bad
        expect_error(SRV, "POST", path, 400, "bad_request",
                     body=CONF_TEXT.encode(),
                     headers={"Content-Type": "text/plain"})
        err = post_match(path, status=400)["error"]
        expect(msg in err["message"], (bad, err))
    for bad in (2, -0.1, "0.5", None, True, [0.5]):
        err = post_match("/match", fields={"min_confidence": bad},
                         status=400)["error"]
        expect(err["code"] == "bad_request" and msg in err["message"],
               (bad, err))
    # a bad body field is refused even when the query argument is good
    post_match("/match?min_confidence=0.5", fields={"min_confidence": 7},
               status=400)


@test
def match_read_as():
    titled = OCC["label"] + "\n" + "You " + SKILL["label"] + " every day."
    untitled = ("- " + SKILL["label"] + " every day\n- keep the records "
                "up to date\n- talk with the team")
    # what the program decides alone, for both texts, plain and JSON
    expect(post_match("/match", text=titled)["read_as"] == "titled", titled)
    expect(post_match("/match", text=untitled)["read_as"] == "untitled",
           untitled)
    expect(post_match("/match", text=titled, fields={})["read_as"] ==
           "titled", "JSON body")
    # where the title was read: the first line, or a field declaring it
    d = post_match("/match", text=titled)
    expect(d.get("title") == {"start": 0, "end": len(OCC["label"].encode()),
                              "text": OCC["label"]}, d.get("title"))
    declared = ("We are hiring in the old town.\nPosition: " + OCC["label"] +
                " Salary: negotiable\nYou " + SKILL["label"] + " every day.")
    d = post_match("/match", text=declared)
    expect(d["read_as"] == "titled" and
           d.get("title", {}).get("text") == OCC["label"], d.get("title"))
    d = post_match("/match?read_as=untitled", text=declared)
    expect(d["read_as"] == "untitled" and "title" not in d, d.get("title"))
    for how in ("titled", "untitled"):
        for text in (titled, untitled):
            d = post_match("/match?read_as=" + how, text=text)
            expect(d["read_as"] == how, ("query", how, text))
            expect(d["results"], ("no results", how, text))
            d = post_match("/match", text=text, fields={"read_as": how})
            expect(d["read_as"] == how, ("body", how, text))
        expect(post_match("/match?read_as=auto", text=titled)["read_as"] ==
               "titled", "auto")
    # the body's field wins over the query argument
    expect(post_match("/match?read_as=untitled", text=titled,
                      fields={"read_as": "titled"})["read_as"] == "titled",
           "body titled over query untitled")
    expect(post_match("/match?read_as=titled", text=titled,
                      fields={"read_as": "auto"})["read_as"] == "titled",
           "body auto over query titled")
    expect(post_match("/match?read_as=titled", text=untitled,
                      fields={"read_as": "untitled"})["read_as"] ==
           "untitled", "body untitled over query titled")
    # a given "title" makes the reading titled whatever read_as says (the
    # body names one of the occupation's own skills: on the sample, a skill
    # essential to many other occupations outranks even an exact title)
    own = CAT.execute(
        "SELECT s.label FROM skill s JOIN occupation_skill os ON "
        "os.skill_id = s.id WHERE os.occupation_id = ? AND os.essential "
        "ORDER BY s.label LIMIT 1", (OCC["id"],)).fetchone()[0]
    d = post_match("/match", text="You " + own + " every day.",
                   fields={"title": OCC["label"], "read_as": "untitled"})
    expect(d["read_as"] == "titled", d.get("read_as"))
    expect(d["results"][0]["id"] == OCC["key"], d["results"][:1])
    # both options together
    d = post_match("/match?read_as=untitled&min_confidence=0.9",
                   fields={"min_confidence": 0})
    expect(d["read_as"] == "untitled" and
           confidences(d) == confidences(post_match("/match?min_confidence=0")),
           "both options")


@test
def match_read_as_bad():
    msg = 'read_as must be "titled", "untitled" or "auto"'
    for bad in ("sideways", "", "TITLED", "title", "auto%00"):
        err = post_match("/match?read_as=" + bad, status=400)["error"]
        expect(err["code"] == "bad_request" and msg in err["message"],
               (bad, err))
    for bad in ("sideways", "", 5, None, ["titled"]):
        err = post_match("/match", fields={"read_as": bad},
                         status=400)["error"]
        expect(err["code"] == "bad_request" and msg in err["message"],
               (bad, err))
    post_match("/match?read_as=titled", fields={"read_as": "nope"},
               status=400)
    # an unknown argument next to them is still refused
    expect_error(SRV, "POST", "/match?read-as=titled", 400, "bad_request",
                 body=CONF_TEXT.encode(),
                 headers={"Content-Type": "text/plain"})


@test
def similar_occupations():
    # the same ranking computed here from the catalogue in SQL: sum of
    # idf over shared essential skills, idf = ln((N+1)/(n+1)) + 1
    n_occ = CAT.execute("SELECT count(*) FROM occupation").fetchone()[0]
    rows = CAT.execute(
        "SELECT b.occupation_id AS o, a.skill_id AS s, "
        "(SELECT count(*) FROM occupation_skill x WHERE x.skill_id = "
        "a.skill_id) AS n FROM occupation_skill a JOIN occupation_skill b "
        "ON b.skill_id = a.skill_id AND b.essential = 1 AND "
        "b.occupation_id != a.occupation_id "
        "WHERE a.occupation_id = ? AND a.essential = 1", (OCC["id"],))
    want = {}
    for r in rows:
        want[r["o"]] = want.get(r["o"], 0) + math.log((n_occ + 1) / (r["n"] + 1)) + 1
    d = get_json(SRV, "/occupations/%s/similar?limit=100" % OCC["key"])
    expect(d["occupation"]["id"] == OCC["key"], d["occupation"])
    got = [(CAT.execute("SELECT id FROM occupation WHERE key = ?",
                        (h["id"],)).fetchone()[0], h["score"])
           for h in d["results"]]
    expect(len(got) == len(want), "%d results, want %d" % (len(got), len(want)))
    for o, sc in got:
        expect(abs(want.get(o, -1) - sc) < 1e-3, "occupation %d: %s vs %s" %
               (o, sc, want.get(o)))
    expect([sc for _, sc in got] == sorted((sc for _, sc in got), reverse=True),
           "not in score order")
    for h in d["results"]:
        ess = {r[0] for r in CAT.execute(
            "SELECT s.key FROM occupation_skill os JOIN skill s ON s.id = "
            "os.skill_id WHERE os.essential = 1 AND os.occupation_id = "
            "(SELECT id FROM occupation WHERE key = ?)", (h["id"],))}
        shared = {x["id"] for x in h["shared"]}
        learn = {x["id"] for x in h["to_learn"]}
        expect(shared and shared | learn == ess and not shared & learn, h["id"])
    d = get_json(SRV, "/occupations/%s/similar?limit=1" % OCC["key"])
    expect(len(d["results"]) == 1, len(d["results"]))
    expect_error(SRV, "GET", "/occupations/no-such-id/similar", 404,
                 "not_found")
    expect_error(SRV, "GET", "/occupations/%s/similar" % SKILL["key"], 404,
                 "not_found")
    for bad in ("limit=0", "limit=101", "limit=x", "lmit=3",
                "limit=2&limit=3"):
        expect_error(SRV, "GET", "/occupations/%s/similar?%s" %
                     (OCC["key"], bad), 400, "bad_request")
    expect_error(SRV, "POST", "/occupations/%s/similar" % OCC["key"], 405,
                 "method_not_allowed")


@test
def fit_profile():
    ess = [r[0] for r in CAT.execute(
        "SELECT s.key FROM occupation_skill os JOIN skill s ON s.id = "
        "os.skill_id WHERE os.occupation_id = ? AND os.essential = 1 "
        "ORDER BY s.key", (OCC["id"],))]
    hdr = {"Content-Type": "application/json"}
    st, _, body = request(SRV, "POST", "/fit",
                          body=json.dumps({"skills": ess}), headers=hdr)
    expect(st == 200, body[:200])
    d = json.loads(body)
    expect(d["results"][0]["id"] == OCC["key"], d["results"][0]["label"])
    top = d["results"][0]
    expect(top["essential"]["has"] == len(ess) and
           top["essential"]["lacks"] == 0, top["essential"])
    expect(all(x["status"] == "has" for x in top["skills"]
               if x["relation"] == "essential"), "essential not all has")
    expect([x["how"] for x in d["profile"]] == ["given"] * len(ess),
           d["profile"])
    # one occupation, half its essential skills: coverage below 1
    st, _, body = request(SRV, "POST", "/fit", body=json.dumps(
        {"skills": ess[:len(ess) // 2], "occupation": OCC["key"]}),
        headers=hdr)
    d = json.loads(body)
    expect(st == 200 and len(d["results"]) == 1 and
           0 < d["results"][0]["coverage"] < 1 and d["gaps"] == [], body[:200])
    # text: spans point at the words as written
    text = "Über uns. I " + SKILL["label"] + " every day."
    st, _, body = request(SRV, "POST", "/fit",
                          body=json.dumps({"text": text}), headers=hdr)
    d = json.loads(body)
    expect(st == 200 and d["profile"], body[:200])
    p = d["profile"][0]
    expect(text.encode()[p["start"]:p["end"]].decode() == p["text"], p)
    for bad, status in (("", 400), ("[]", 400), ("{", 400),
                        ('{"skills": "x"}', 400), ('{"limit": 0, "skills":'
                        ' ["%s"]}' % ess[0], 400), ('{"skils": []}', 400),
                        ('{"skills": [1]}', 400), ('{"skills": []}', 400),
                        ('{"text": "no skill named"}', 400),
                        ('{"skills": ["no-such-skill"]}', 404),
                        ('{"skills": ["%s"], "occupation": "nope"}' % ess[0],
                         404)):
        expect_error(SRV, "POST", "/fit", status,
                     "bad_request" if status == 400 else "not_found",
                     body=bad, headers=hdr)
    expect_error(SRV, "GET", "/fit", 405, "method_not_allowed")
    expect_error(SRV, "POST", "/fit?x=1", 400, "bad_request",
                 body='{"skills": ["%s"]}' % ess[0], headers=hdr)
    # at most 1,000 skills (SS_FIT_MAX_SKILLS, README): 1,000 is fine
    # (repeats are skipped), one more is a 400 that says the limit
    st, _, body = request(SRV, "POST", "/fit", body=json.dumps(
        {"skills": [ess[0]] * 1000, "occupation": OCC["key"]}), headers=hdr)
    expect(st == 200 and len(json.loads(body)["profile"]) == 1, body[:200])
    over = json.dumps({"skills": ess * (1001 // len(ess) + 1)})
    expect(len(json.loads(over)["skills"]) > 1000, "not over the limit")
    expect_error(SRV, "POST", "/fit", 400, "bad_request", body=over,
                 headers=hdr)
    st, _, body = request(SRV, "POST", "/fit", body=json.dumps(
        {"skills": [ess[0]] * 1001}), headers=hdr)
    msg = json.loads(body)["error"]["message"]
    expect(st == 400 and "at most 1000" in msg, (st, msg))


@test
def oversized_request_line_and_headers():
    resp = raw(SRV, b"GET /search?q=" + b"a" * 100000 + b" HTTP/1.1\r\n"
               b"Host: x\r\n\r\n")
    expect(raw_status(resp) == 414, resp[:200])  # MHD's own answer
    resp = raw(SRV, b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " +
               b"b" * 100000 + b"\r\n\r\n")
    expect(raw_status(resp) == 431, resp[:200])
    resp = raw(SRV, b"GET /health HTTP/1.1\r\nHost: x\r\n" +
               b"".join(b"X-H%d: v\r\n" % i for i in range(5000)) + b"\r\n")
    expect(raw_status(resp) == 431, resp[:200])
    get_json(SRV, "/health")  # still serving


@test
def static_files():
    for path, ctype, text in [("/", "text/html", b"home"),
                              ("/index.html", "text/html", b"home"),
                              ("/app.js", "text/javascript", b"console"),
                              ("/style.css", "text/css", b"body"),
                              ("/logo.png", "image/png", b"PNG"),
                              ("/sub/", "text/html", b"sub index"),
                              ("/sub/page.html", "text/html", b"sub page"),
                              ("/index.html?v=3", "text/html", b"home")]:
        st, hdr, body = get(SRV, path)
        expect(st == 200, "%s: %d" % (path, st))
        expect(hdr.get("content-type", "").startswith(ctype),
               "%s: %s" % (path, hdr.get("content-type")))
        expect(text in body, path)
        expect(hdr.get("x-content-type-options") == "nosniff", hdr)


@test
def static_traversal():
    for path in [b"/../secret.txt", b"/sub/../../secret.txt",
                 b"/%2e%2e/secret.txt", b"/%2E%2E%2Fsecret.txt",
                 b"/..%2fsecret.txt", b"/sub/%2e%2e/%2e%2e/secret.txt",
                 b"/%252e%252e/secret.txt", b"//etc/passwd",
                 b"/%2Fetc%2Fpasswd", b"/..\\secret.txt", b"/link.txt",
                 b"/.hidden.html", b"/index.html%00.png", b"/%00",
                 b"/%zz", b"/notes.xyz", b"/" + b"../" * 20 + b"etc/passwd",
                 b"http://127.0.0.1/../secret.txt", b"/sub/./page.html"]:
        resp = raw(SRV, b"GET " + path + b" HTTP/1.1\r\nHost: x\r\n"
                   b"Connection: close\r\n\r\n")
        st = raw_status(resp)
        expect(st in (400, 404), "%s: status %s" % (path, st))
        expect(SECRET.encode() not in resp and b"root:" not in resp,
               "%s leaked a file" % path)


@test
def cors():
    st, hdr, _ = get(SRV, "/health")
    expect(hdr.get("access-control-allow-origin") == CORS, hdr)
    st, hdr, _ = request(SRV, "OPTIONS", "/search",
                         headers={"Origin": CORS,
                                  "Access-Control-Request-Method": "GET"})
    expect(st == 204, st)
    expect(hdr.get("access-control-allow-origin") == CORS, hdr)
    expect("GET" in hdr.get("access-control-allow-methods", ""), hdr)
    st, hdr, _ = request(SRV, "OPTIONS", "/match",
                         headers={"Origin": CORS,
                                  "Access-Control-Request-Method": "POST",
                                  "Access-Control-Request-Headers":
                                      "content-type"})
    expect(st == 204 and "POST" in hdr.get("access-control-allow-methods",
                                           ""), (st, hdr))
    expect("content-type" in hdr.get("access-control-allow-headers",
                                     "").lower(), hdr)
    st, hdr, _ = get(SRV, "/nope")
    expect(hdr.get("access-control-allow-origin") == CORS, "on errors too")


@test
def concurrent_requests():
    errors = []
    paths = ["/search?q=" + q(OCC["label"]), "/suggest?q=" + q(OCC["label"][:4]),
             "/occupations/" + OCC["key"], "/skills/" + SKILL["key"],
             "/health", "/"]

    def worker(k):
        c = http.client.HTTPConnection("127.0.0.1", SRV.port, timeout=30)
        for i in range(40):
            try:
                c.request("GET", paths[(i + k) % len(paths)])
                r = c.getresponse()
                r.read()
                if r.status != 200:
                    errors.append(r.status)
            except Exception as e:  # keep-alive reuse must work too
                errors.append(repr(e))
                c.close()
                c = http.client.HTTPConnection("127.0.0.1", SRV.port,
                                               timeout=30)
        c.close()
    ts = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    expect(not errors, errors[:5])


@test
def slow_client_is_cut_off():
    # a client that starts a request and then dribbles nothing more is
    # closed after the 10 s inactivity timeout; others are served meanwhile
    s = socket.create_connection(("127.0.0.1", SRV.port), timeout=30)
    t0 = time.time()
    closed = False
    try:
        s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: a")
        expect(get(SRV, "/health")[0] == 200, "others starved")
        s.settimeout(1)
        while time.time() - t0 < 15 and not closed:
            try:
                closed = s.recv(1) == b""
            except socket.timeout:
                pass
            except OSError:
                closed = True
    finally:
        s.close()
    expect(closed, "an idle half-sent request kept its connection 15 s")
    expect(time.time() - t0 >= 8, "cut off too early: %.1fs" % (time.time() - t0))


@test
def thousand_idle_connections():
    socks = []
    try:
        for _ in range(1000):
            try:
                socks.append(socket.create_connection(("127.0.0.1", SRV.port),
                                                      timeout=5))
            except OSError:
                break
        expect(len(socks) >= 900, "only %d connections opened" % len(socks))
        # the server still answers a real client (it may have refused the
        # idle ones beyond its limit: that is the point of the limit)
        c = http.client.HTTPConnection("127.0.0.1", SRV.port, timeout=15)
        for _ in range(3):
            try:
                c.request("GET", "/health")
                r = c.getresponse()
                r.read()
                break
            except OSError:
                c.close()
                time.sleep(1)
                c = http.client.HTTPConnection("127.0.0.1", SRV.port,
                                               timeout=15)
        else:
            r = None
        expect(r is not None and r.status == 200, "no answer with idle peers")
        c.close()
    finally:
        for x in socks:
            x.close()
    time.sleep(0.5)
    expect(get(SRV, "/health")[0] == 200, "not serving after the idle ones left")


@test
def metrics():
    get_json(SRV, "/health")
    st, hdr, body = get(SRV, "/metrics")
    expect(st == 200 and hdr.get("content-type", "").startswith("text/plain"),
           (st, hdr))
    text = body.decode()
    ok = metric(text, "skillsearch_requests_total",
                {"endpoint": "search", "status": "200"})
    expect(ok and ok >= 1, "no search 200 counter")
    expect(metric(text, "skillsearch_requests_total",
                  {"endpoint": "search", "status": "400"}), "no 400 counter")
    for le in ("0.0005", "1", "+Inf"):
        expect(metric(text, "skillsearch_request_duration_seconds_bucket",
                      {"endpoint": "search", "le": le}) is not None, le)
    expect(metric(text, "skillsearch_request_duration_seconds_count",
                  {"endpoint": "search"}) >= ok, "count < requests")
    docs = get_json(SRV, "/health")["documents"]
    expect(metric(text, "skillsearch_index_documents") == docs, "documents")
    expect(metric(text, "skillsearch_index_generation") is not None, "gen")
    expect(metric(text, "skillsearch_reloads_total") is not None, "reloads")


@test
def usage_errors():
    r = subprocess.run([BIN, "serve", "--help"], capture_output=True,
                       timeout=10)
    expect(r.returncode == 0 and b"--index" in r.stdout, r.returncode)
    for args in (["--port", "70000"], ["--port", "x"], ["--threads", "0"],
                 ["--drain-ms", "-1"], ["--drain-ms", "700000"], ["--bogus"],
                 ["extra"]):
        r = subprocess.run([BIN, "serve", "--index", INDEX] + args,
                           capture_output=True, timeout=10)
        expect(r.returncode == 2, "%s: exit %d" % (args, r.returncode))
    # the port is taken
    r = subprocess.run([BIN, "serve", "--index", INDEX, "--port",
                        str(SRV.port)], capture_output=True, timeout=10)
    expect(r.returncode == 1 and b"listen" in r.stderr, r.stderr[-200:])


# ------------------------------------------------------ reload, signals


def copy_generation(name):
    dst = os.path.join(WORK, name)
    shutil.copytree(os.path.realpath(INDEX), dst, symlinks=True)
    return dst


@test
def unavailable_until_index_appears():
    link = os.path.join(WORK, "later-index")
    srv = Server(link, "--web", WEB, wait=False)
    try:
        expect_error(srv, "GET", "/health", 503, "unavailable")
        expect_error(srv, "GET", "/search?q=x", 503, "unavailable")
        expect_error(srv, "GET", "/suggest?q=x", 503, "unavailable")
        expect_error(srv, "GET", "/occupations/" + OCC["key"], 503,
                     "unavailable")
        expect(get(srv, "/")[0] == 200, "static files need no index")
        swap_link(link, os.path.realpath(INDEX))
        srv.wait_status(200, timeout=10)
        d = get_json(srv, "/search?q=" + q(OCC["label"]))
        expect(d["results"], "no results after the index appeared")
    finally:
        srv.stop()


@test
def reload_on_swap_without_errors():
    link = os.path.join(WORK, "swap-index")
    gen_a, gen_b = copy_generation("swap-a"), copy_generation("swap-b")
    swap_link(link, gen_a)
    srv = Server(link)
    stop = threading.Event()
    errors, count = [], [0]

    def hammer():
        while not stop.is_set():
            try:
                st, _, body = get(srv, "/search?q=" + q(OCC["label"]))
                if st != 200 or not json.loads(body)["results"]:
                    errors.append((st, body[:100]))
                st, _, _ = get(srv, "/suggest?q=" + q(OCC["label"][:3]))
                if st != 200:
                    errors.append(st)
                count[0] += 1
            except Exception as e:
                errors.append(repr(e))
    try:
        expect(get_json(srv, "/health")["generation"].endswith("swap-a"),
               "starts on generation a")
        ts = [threading.Thread(target=hammer) for _ in range(4)]
        for t in ts:
            t.start()
        for target, name in ((gen_b, "swap-b"), (gen_a, "swap-a"),
                             (gen_b, "swap-b")):
            time.sleep(0.3)
            swap_link(link, target)
            deadline = time.time() + 5
            while time.time() < deadline and not get_json(
                    srv, "/health")["generation"].endswith(name):
                time.sleep(0.05)
            expect(get_json(srv, "/health")["generation"].endswith(name),
                   "did not reload to " + name)
        # the old generation disappears while workers may still hold it
        swap_link(link, gen_b)
        time.sleep(0.5)
        shutil.rmtree(gen_a)
        time.sleep(0.5)
        stop.set()
        for t in ts:
            t.join()
        expect(not errors, "%d errors during reloads: %s" %
               (len(errors), errors[:3]))
        expect(count[0] > 10, "too few requests: %d" % count[0])
        text = get(srv, "/metrics")[2].decode()
        expect(metric(text, "skillsearch_reloads_total") >= 3, "reloads")
    finally:
        stop.set()
        srv.stop()


@test
def sighup_forces_reload():
    srv = Server(INDEX)
    try:
        before = metric(get(srv, "/metrics")[2].decode(),
                        "skillsearch_reloads_total")
        srv.proc.send_signal(signal.SIGHUP)
        deadline = time.time() + 5
        after = before
        while time.time() < deadline and after == before:
            time.sleep(0.05)
            after = metric(get(srv, "/metrics")[2].decode(),
                           "skillsearch_reloads_total")
        expect(after == before + 1, "reloads %s -> %s" % (before, after))
        expect(srv.proc.poll() is None, "SIGHUP killed the server")
        get_json(srv, "/search?q=" + q(OCC["label"]))
        expect("SIGHUP" in srv.text(), "not logged")
    finally:
        srv.stop()


@test
def sigterm_finishes_in_flight_then_exits_0():
    srv = Server(INDEX)
    try:
        body = (OCC["label"] + " ").encode() * 100
        s = socket.create_connection(("127.0.0.1", srv.port), timeout=15)
        # request in flight: headers and half the body sent
        s.sendall(b"POST /match HTTP/1.1\r\nHost: x\r\nContent-Type: "
                  b"text/plain\r\nContent-Length: %d\r\n\r\n" % len(body) +
                  body[:len(body) // 2])
        time.sleep(0.3)
        srv.proc.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        expect(srv.proc.poll() is None, "exited with a request in flight")
        # new connections are refused once quiesced
        refused = False
        try:
            socket.create_connection(("127.0.0.1", srv.port), timeout=2).close()
        except OSError:
            refused = True
        expect(refused, "still accepting after SIGTERM")
        s.sendall(body[len(body) // 2:])
        resp = b""
        while b"\r\n\r\n" not in resp or not resp.rstrip().endswith(b"}"):
            chunk = s.recv(65536)
            if not chunk:
                break
            resp += chunk
        s.close()
        expect(raw_status(resp) == 200, resp[:200])
        expect(b'"results"' in resp, resp[:200])
        rc = srv.proc.wait(15)
        expect(rc == 0, "exit status %d" % rc)
    finally:
        srv.stop()


@test
def sigterm_drains_with_health_503():
    srv = Server(INDEX, "--drain-ms", "1500")
    try:
        t0 = time.time()
        srv.proc.send_signal(signal.SIGTERM)
        srv.wait_status(503, timeout=1)
        st, hdr, body = get(srv, "/health")
        expect(st == 503 and b"draining" in body, "%d %s" % (st, body[:200]))
        # other requests are still served, each closing its connection
        st, hdr, body = get(srv, "/search?q=" + q(OCC["label"]))
        expect(st == 200, "search while draining: %d" % st)
        expect(hdr.get("connection", "").lower() == "close",
               "no Connection: close while draining: %s" % hdr)
        expect(srv.proc.poll() is None, "exited before the drain ended")
        rc = srv.proc.wait(15)
        took = time.time() - t0
        expect(rc == 0, "exit status %d" % rc)
        expect(1.4 <= took < 5, "exited after %.2f s, want ~1.5" % took)
        expect("draining for 1500 ms" in srv.text(), "drain not logged")
    finally:
        srv.stop()


@test
def second_sigterm_cuts_the_drain_short():
    srv = Server(INDEX, "--drain-ms", "60000")
    try:
        srv.proc.send_signal(signal.SIGTERM)
        srv.wait_status(503, timeout=2)
        t0 = time.time()
        srv.proc.send_signal(signal.SIGTERM)
        rc = srv.proc.wait(15)
        expect(rc == 0, "exit status %d" % rc)
        expect(time.time() - t0 < 5, "drain not cut short")
    finally:
        srv.stop()


@test
def sigint_exits_0():
    srv = Server(INDEX)
    rc = srv.stop(signal.SIGINT)
    expect(rc == 0, "exit status %s" % rc)


# ------------------------------------------------------------ full ESCO

ESRV = None
if ESCO_INDEX:
    try:
        ESRV = Server(ESCO_INDEX)
        ECAT = catalog(ESCO_INDEX)
    except Check as e:
        report("esco_server_starts", False, str(e))
if ESRV:

    @test
    def esco_technician_by_title():
        # "wire bonding cleanroom" does not reach the top 3 on full ESCO yet
        # (known gap, see README); the title itself must.
        d = get_json(ESRV, "/search?q=microsystem+engineering+technician")
        ids = [r["id"] for r in d["results"][:3]]
        expect(TECHNICIAN in ids, "top 3: %s" %
               [r["label"] for r in d["results"][:3]])
        uri = "http://data.europa.eu/esco/occupation/" + TECHNICIAN
        expect(any(r["uri"] == uri for r in d["results"][:3]), "uri")

    @test
    def esco_technician_detail():
        d = get_json(ESRV, "/occupations/" + TECHNICIAN)
        expect(d["label"] == "microsystem engineering technician", d["label"])
        expect(d["isco"] == "3114" and
               [p["code"] for p in d["isco_path"]] == ["3", "31", "311", "3114"],
               d["isco_path"])
        rowid = ECAT.execute("SELECT id FROM occupation WHERE key = ?",
                             (TECHNICIAN,)).fetchone()[0]
        check_groups(d, ECAT, rowid)

    @test
    def esco_suggest():
        d = get_json(ESRV, "/suggest?q=microsys")
        labels = [s["label"] for s in d["suggestions"]]
        expect("microsystem engineer" in labels, labels)
        d = get_json(ESRV, "/suggest?q=mircosystem+eng")  # one typo
        expect(TECHNICIAN in [s["id"] for s in d["suggestions"]],
               [s["label"] for s in d["suggestions"]])

    @test
    def esco_suggest_fast():
        text = get(ESRV, "/metrics")[2].decode()
        fast0 = metric(text, "skillsearch_request_duration_seconds_bucket",
                       {"endpoint": "suggest", "le": "0.001"}) or 0
        all0 = metric(text, "skillsearch_request_duration_seconds_count",
                      {"endpoint": "suggest"}) or 0
        c = http.client.HTTPConnection("127.0.0.1", ESRV.port, timeout=10)
        words = ["a", "e", "s", "co", "man", "engin", "softw", "nurs",
                 "teach", "mircos", "weld", "wire b", "data sc", "acc"]
        for i in range(200):
            c.request("GET", "/suggest?q=" + q(words[i % len(words)]))
            r = c.getresponse()
            r.read()
            expect(r.status == 200, r.status)
        c.close()
        text = get(ESRV, "/metrics")[2].decode()
        fast = metric(text, "skillsearch_request_duration_seconds_bucket",
                      {"endpoint": "suggest", "le": "0.001"}) - fast0
        n = metric(text, "skillsearch_request_duration_seconds_count",
                   {"endpoint": "suggest"}) - all0
        expect(n == 200 and fast >= 0.95 * n,
               "%d of %d suggestions within 1 ms" % (fast, n))

    @test
    def esco_transversal_skill():
        key = ECAT.execute(
            "SELECT s.key FROM skill s JOIN occupation_skill os ON "
            "os.skill_id = s.id GROUP BY s.id ORDER BY count(*) DESC "
            "LIMIT 1").fetchone()[0]
        t0 = time.time()
        d = get_json(ESRV, "/skills/" + key)
        n = len(d["occupations"]["essential"]) + len(d["occupations"]["optional"])
        expect(n > 100, "only %d occupations" % n)
        expect(time.time() - t0 < 2, "slow: %.2fs" % (time.time() - t0))

    @test
    def esco_skill_hierarchy():
        # "use CAD software": a skill whose chain climbs through groups
        uri, key = ECAT.execute(
            "SELECT uri, key FROM skill WHERE label = 'use CAD software'"
        ).fetchone()
        d = get_json(ESRV, "/skills/" + key)
        b = d["broader"]
        expect(len(b) >= 2 and b == walk_broader(ECAT, uri), b)
        expect(b[-1]["uri"] == ECAT.execute(
            "SELECT min(broader_uri) FROM skill_broader WHERE uri = ?",
            (uri,)).fetchone()[0], "chain ends elsewhere: %s" % b[-1])
        expect(b[0]["kind"] == "group" and b[0]["code"], b[0])
        d = check_by_skill_group(ESRV, TECHNICIAN, ECAT)
        expect(sum(1 for g in d["skill_groups"] if g["group"]["uri"]) >= 2,
               [g["group"]["label"] for g in d["skill_groups"]])

    ESRV.stop()

# ------------------------------------------------------- result cache


def cache_metrics(srv):
    text = get(srv, "/metrics")[2].decode()
    return {k: metric(text, "skillsearch_cache_" + k) for k in
            ("hits_total", "misses_total", "evictions_total", "entries",
             "bytes", "max_bytes")}


@test
def keep_alive():
    # several requests on one connection, each answered, none closing it
    c = http.client.HTTPConnection("127.0.0.1", SRV.port, timeout=10)
    try:
        for path in ("/health", "/search?q=" + q(OCC["label"]),
                     "/suggest?q=" + q(OCC["label"][:4]), "/nothere",
                     "/search?q=" + q(OCC["label"])):
            c.request("GET", path)
            r = c.getresponse()
            r.read()
            expect(r.status in (200, 404), "%s: %d" % (path, r.status))
            expect((r.getheader("Connection") or "").lower() != "close",
                   "%s: the server closed the connection" % path)
    finally:
        c.close()


@test
def cache_serves_repeats_identically():
    srv = Server(INDEX, "--cache-mb", "8")
    try:
        path = "/search?q=%s&limit=5&type=occupation" % q(OCC["label"])
        before = cache_metrics(srv)
        a = get(srv, path)
        b = get(srv, "/search?type=occupation&limit=5&q=%s" % q(OCC["label"]))
        after = cache_metrics(srv)
        expect(a[0] == 200 and b[0] == 200, (a[0], b[0]))
        expect(a[2] == b[2], "a cached answer differs from the searched one")
        expect(b[1].get("content-type", "").startswith("application/json"),
               b[1])
        expect(after["misses_total"] - before["misses_total"] == 1 and
               after["hits_total"] - before["hits_total"] == 1,
               "parameter order must not matter: %r -> %r" % (before, after))
        expect(after["entries"] >= 1 and 0 < after["bytes"] <= 8 << 20 and
               after["max_bytes"] == 8 << 20, after)
        # suggestions are cached too; errors never are
        get(srv, "/suggest?q=" + q(OCC["label"][:3]))
        get(srv, "/suggest?q=" + q(OCC["label"][:3]))
        for _ in range(2):
            expect(get(srv, "/search?q=x&limit=1000")[0] == 400, "limit")
        m = cache_metrics(srv)
        expect(m["hits_total"] == after["hits_total"] + 1 and
               m["entries"] == after["entries"] + 1, (after, m))
    finally:
        srv.stop()


@test
def cache_keys_syntax():
    """The same q with and without syntax=1 are two answers; a repeat of
    either is a hit."""
    srv = Server(INDEX, "--cache-mb", "8")
    try:
        text = q("nurse NOT specialist")
        a = get(srv, "/search?q=" + text)
        before = cache_metrics(srv)
        b = get(srv, "/search?syntax=1&q=" + text)
        c = get(srv, "/search?q=" + text + "&syntax=1")
        after = cache_metrics(srv)
        expect(a[0] == b[0] == c[0] == 200, (a[0], b[0], c[0]))
        expect(a[2] != b[2], "syntax=1 got the free-text answer")
        expect(b[2] == c[2], "a cached syntax answer differs")
        expect(after["misses_total"] - before["misses_total"] == 1 and
               after["hits_total"] - before["hits_total"] == 1,
               (before, after))
        for _ in range(2):  # errors are never cached
            expect(get(srv, "/search?syntax=1&q=OR")[0] == 400, "OR")
        expect(cache_metrics(srv)["entries"] == after["entries"], "cached 400")
    finally:
        srv.stop()


@test
def cache_off():
    srv = Server(INDEX, "--cache-mb", "0")
    try:
        path = "/search?q=" + q(OCC["label"])
        a, b = get(srv, path), get(srv, path)
        expect(a[2] == b[2], "answers differ")
        m = cache_metrics(srv)
        expect(m["hits_total"] == 0 and m["entries"] == 0 and
               m["max_bytes"] == 0, m)
    finally:
        srv.stop()


@test
def cache_evicts_within_its_bound():
    srv = Server(INDEX, "--cache-mb", "1", threads=2)
    try:
        # the commonest words of skill labels, with many pages and page
        # sizes: a few MB of distinct answers
        counts = {}
        for (label,) in CAT.execute("SELECT label FROM skill"):
            for w in set(re.findall(r"[a-z]{4,}", label.lower())):
                counts[w] = counts.get(w, 0) + 1
        words = sorted(counts, key=lambda w: -counts[w])[:60]
        for w in words:
            for limit in range(60, 101, 8):
                for offset in range(0, 4):
                    st = get(srv, "/search?type=skill&q=%s&limit=%d&offset=%d"
                             % (q(w), limit, offset))[0]
                    expect(st == 200, (w, st))
        m = cache_metrics(srv)
        expect(m["evictions_total"] > 0, "no eviction: %r" % m)
        expect(m["bytes"] <= 1 << 20, "over its bound: %r" % m)
    finally:
        srv.stop()


@test
def cache_not_stale_after_reload():
    # generation b renames an occupation: its new name must be found as
    # soon as b is loaded, though generation a's answer (nothing) is cached
    esco = os.path.join(WORK, "renamed-esco")
    shutil.copytree("data/sample", esco)
    path = os.path.join(esco, "occupations_en.csv")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    expect(OCC["label"] in text, "label not in the sample csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.replace(OCC["label"], "zyxwarden", 1))
    gen_b = os.path.join(WORK, "renamed-index")
    r = subprocess.run([BIN, "index", "--esco", esco, "--out", gen_b,
                        "--quiet"], capture_output=True, timeout=120)
    expect(r.returncode == 0, r.stderr[-300:])
    link = os.path.join(WORK, "cache-swap-index")
    swap_link(link, os.path.realpath(INDEX))
    srv = Server(link)
    try:
        for _ in range(2):
            expect(get_json(srv, "/search?q=zyxwarden")["results"] == [],
                   "found before the swap")
        expect(cache_metrics(srv)["hits_total"] >= 1, "second ask not cached")
        swap_link(link, os.path.realpath(gen_b))
        # the watcher polls every 250 ms; a cache keyed without the
        # generation would answer [] forever
        deadline = time.time() + 10
        d = {"results": []}
        while time.time() < deadline and not d["results"]:
            time.sleep(0.05)
            d = get_json(srv, "/search?q=zyxwarden")
        expect("#2)" in srv.text(), "the server did not reload")
        expect(d["results"] and d["results"][0]["id"] == OCC["key"],
               "stale answer after the reload: %r" % d["results"][:1])
    finally:
        srv.stop()


# ------------------------------------------------ several languages


@test
def langs_single_language_headers():
    # one index as today: Content-Language names it, lang= must be it
    st, hdr, data = get(SRV, "/search?q=" + q(OCC["label"]))
    expect(hdr.get("content-language") == "en", hdr)
    expect(json.loads(data)["lang"] == "en", "no lang in the answer")
    expect(get(SRV, "/health")[1].get("content-language") == "en", "health")
    expect_error(SRV, "GET", "/search?q=x&lang=fr", 400, "bad_request")
    get_json(SRV, "/suggest?q=x&lang=en")
    get_json(SRV, "/occupations/%s?lang=en" % OCC["key"])
    d = get_json(SRV, "/health")
    expect([l["lang"] for l in d["languages"]] == ["en"], d)
    d = get_json(SRV, "/search?labels=en&q=" + q(OCC["label"]))
    for r in d["results"]:
        expect(r["labels"] == {"en": r["label"]}, r)
    expect_error(SRV, "GET", "/search?q=x&labels=fr", 400, "bad_request")
    expect_error(SRV, "GET", "/search?q=x&labels=", 400, "bad_request")


def build_lang_index(lang, folder):
    out = os.path.join(WORK, "index-" + lang)
    env = dict(os.environ, SKILLSEARCH_VECTORS="", SKILLSEARCH_MODELS="")
    subprocess.run([BIN, "index", "--esco", folder, "--lang", lang, "--out",
                    out, "--quiet"], check=True, env=env)
    return out


LSRV = None
FR_DIR = ESCO_DIR and os.path.join(ESCO_DIR, "..", "v1.1.1-fr")
NL_DIR = ESCO_DIR and os.path.join(ESCO_DIR, "..", "v1.2-nl")
if not ESCO_DIR or not (os.path.isdir(FR_DIR) and os.path.isdir(NL_DIR)):
    print("skip langs_*: the multi-language server tests need ESCO_DIR with "
          "../v1.1.1-fr and ../v1.2-nl beside it (ESCO_DIR=%r)" % ESCO_DIR)
else:
    try:
        FR_INDEX = build_lang_index("fr", FR_DIR)
        NL_INDEX = build_lang_index("nl", NL_DIR)
        LSRV = Server("en=" + INDEX, "--index", "fr=" + FR_INDEX,
                      "--index", "nl=" + NL_INDEX)
        LCAT = {"en": CAT, "fr": catalog(FR_INDEX), "nl": catalog(NL_INDEX)}
    except (Check, subprocess.CalledProcessError) as e:
        report("langs_server_starts", False, str(e))
if LSRV:
    BAKER = "1aadb308-432a-4d01-b54b-b4f7f76dd419"  # in sample, fr and nl

    def label_of(lang, uri):
        row = LCAT[lang].execute(
            "SELECT label FROM occupation WHERE uri = ?1 UNION ALL "
            "SELECT label FROM skill WHERE uri = ?1", (uri,)).fetchone()
        return row["label"] if row else None

    def lang_search(path, headers=None):
        st, hdr, data = request(LSRV, "GET", path, headers=headers)
        expect(st == 200, "%s: %d %s" % (path, st, data[:200]))
        d = json.loads(data)
        expect(hdr.get("content-language") == d["lang"],
               "Content-Language %r, lang %r" %
               (hdr.get("content-language"), d["lang"]))
        return d

    JSON = {"Content-Type": "application/json"}

    def baker_skills():
        """(key, label) of the baker's essential skills in en."""
        return [(r["key"], r["label"]) for r in LCAT["en"].execute(
            "SELECT s.key, s.label FROM occupation_skill os "
            "JOIN skill s ON s.id = os.skill_id "
            "JOIN occupation o ON o.id = os.occupation_id "
            "WHERE o.key = ? AND os.essential = 1 ORDER BY s.key",
            (BAKER,))]

    @test
    def langs_lang_routing():
        for lang, word in (("fr", "boulanger"), ("nl", "bakker"),
                           ("en", "baker")):
            d = lang_search("/search?q=%s&lang=%s" % (word, lang))
            expect(d["lang"] == lang, d["lang"])
            expect(d["results"] and d["results"][0]["id"] == BAKER,
                   "%s: %r" % (lang, d["results"][:1]))
            expect(d["results"][0]["label"] ==
                   label_of(lang, d["results"][0]["uri"]), d["results"][0])
        # every endpoint follows lang=
        d = get_json(LSRV, "/occupations/%s?lang=nl" % BAKER)
        expect(d["label"] == label_of("nl", d["uri"]), d["label"])
        d = get_json(LSRV, "/suggest?q=boul&lang=fr")
        expect(any(x["id"] == BAKER for x in d["suggestions"]), d)
        st, hdr, data = request(LSRV, "POST", "/match?lang=nl", body=b"bakker")
        expect(st == 200 and json.loads(data)["lang"] == "nl" and
               hdr.get("content-language") == "nl", (st, data[:200]))
        # a title declared in a field, with the language's own lists
        for lang, text, title in (
                ("fr", "Nous recrutons dans le centre-ville.\nPoste : "
                       "Boulanger Lieu de travail : Lyon", "Boulanger"),
                ("nl", "Wij zoeken een collega.\nFunctie: Bakker "
                       "Standplaats: Gent", "Bakker")):
            st, _, data = request(LSRV, "POST", "/match?lang=" + lang,
                                  body=text.encode())
            d = json.loads(data) if st == 200 else {}
            expect(d.get("read_as") == "titled" and
                   d.get("title", {}).get("text") == title and
                   d["results"] and d["results"][0]["id"] == BAKER,
                   (lang, st, data[:300]))
        st, hdr, _ = request(LSRV, "GET", "/occupations/%s/similar?lang=fr" %
                             BAKER)
        expect(st == 200 and hdr.get("content-language") == "fr", st)

    @test
    def langs_default_and_accept_language():
        expect(lang_search("/search?q=baker")["lang"] == "en", "default")
        for header, want in (("fr", "fr"), ("fr-BE, nl;q=0.9", "fr"),
                             ("nl-BE;q=0.9, fr;q=0.5", "nl"),
                             ("fr;q=0.5, nl;q=0.9", "nl"),
                             ("fr;q=0.8, nl;q=0.8", "fr"),
                             ("de, fr;q=0.1", "fr"), ("de, es", "en"),
                             ("fr;q=0, nl;q=0.2", "nl"), ("*", "en")):
            d = lang_search("/search?q=bakker",
                            headers={"Accept-Language": header})
            expect(d["lang"] == want, "%r -> %s, want %s" %
                   (header, d["lang"], want))
        # lang= beats the header; the cache keeps languages apart
        d = lang_search("/search?q=bakker&lang=en",
                        headers={"Accept-Language": "nl"})
        expect(d["lang"] == "en", d["lang"])
        a = lang_search("/search?q=boulanger", {"Accept-Language": "fr"})
        b = lang_search("/search?q=boulanger", {"Accept-Language": "nl"})
        expect(a["results"] != b["results"], "same answer for fr and nl")

    @test
    def langs_unknown_language():
        for path in ("/search?q=x&lang=de", "/suggest?q=x&lang=xx",
                     "/health?lang=de", "/occupations/%s?lang=zz" % BAKER,
                     "/search?q=x&labels=en,de", "/search?q=x&labels=en,"):
            st, _, data = request(LSRV, "GET", path)
            msg = json.loads(data)["error"]["message"]
            expect(st == 400 and "en, fr, nl" in msg, (path, st, msg))

    @test
    def langs_auto():
        # lang=auto: the language of q= (or of the body), and why
        for word, want in (("boulanger", "fr"), ("bakker", "nl"),
                           ("baker", "en"), ("boulangerie pâtisserie", "fr")):
            d = lang_search("/search?q=%s&lang=auto" % q(word),
                            headers={"Accept-Language": "nl"})
            expect(d["lang"] == want and d["lang_auto"]["lang"] == want,
                   "%s -> %s" % (word, d.get("lang_auto")))
            expect("coverage" in d["lang_auto"]["why"], d["lang_auto"])
        st, hdr, data = request(
            LSRV, "POST", "/match?lang=auto",
            body=b'{"text": "Wij zoeken een bakker voor onze winkel"}',
            headers={"Content-Type": "application/json"})
        d = json.loads(data)
        expect(st == 200 and d["lang"] == "nl" and
               hdr.get("content-language") == "nl", (st, data[:200]))
        st, _, data = request(LSRV, "POST", "/match?lang=auto",
                              body="Nous cherchons un boulanger".encode())
        expect(st == 200 and json.loads(data)["lang"] == "fr", data[:200])
        # invalid UTF-8 in q is a clear 400, as without auto
        st, _, data = request(LSRV, "GET", "/search?q=%FF%FE&lang=auto")
        expect(st == 400, (st, data[:200]))

    @test
    def langs_auto_suggest():
        # /suggest: the language of q=, whatever Accept-Language says
        for word, want, header in (("boulanger", "fr", "nl"),
                                   ("bakker", "nl", "fr"),
                                   ("baker", "en", "nl")):
            st, hdr, data = request(
                LSRV, "GET", "/suggest?q=%s&lang=auto" % q(word),
                headers={"Accept-Language": header})
            expect(st == 200, (word, st, data[:200]))
            d = json.loads(data)
            expect(d["lang_auto"]["lang"] == want and
                   hdr.get("content-language") == want and
                   "coverage" in d["lang_auto"]["why"],
                   "%s -> %r, Content-Language %s" %
                   (word, d.get("lang_auto"), hdr.get("content-language")))
            # the suggestions come from that language's index
            hit = [x for x in d["suggestions"] if x["id"] == BAKER]
            expect(hit and hit[0]["label"] == label_of(want, hit[0]["uri"]),
                   "%s: %r" % (word, d["suggestions"][:3]))

    @test
    def langs_auto_fit():
        skills = baker_skills()
        expect(skills, "the baker has no essential skills in en")
        hdr = dict(JSON, **{"Accept-Language": "nl"})
        # POST /fit: the language of the JSON body's "text"
        text = "I %s every day." % " and ".join(l for _, l in skills)
        st, h, data = request(LSRV, "POST", "/fit?lang=auto",
                              body=json.dumps({"text": text}), headers=hdr)
        expect(st == 200, (st, data[:200]))
        d = json.loads(data)
        expect(d["lang_auto"]["lang"] == "en" and
               h.get("content-language") == "en" and
               "coverage" in d["lang_auto"]["why"], (d.get("lang_auto"), h))
        expect(d["profile"] and d["results"][0]["id"] == BAKER,
               (d["profile"], d["results"][:1]))
        # a Dutch text is read in nl: ESCO's Dutch download has no skills
        # (skills_nl.csv is not in it), so nl finds none in it, and says so
        nl_skills = get_json(LSRV, "/health?lang=nl")["skills"]
        st, h, data = request(
            LSRV, "POST", "/fit?lang=auto",
            body=json.dumps({"text": "Wij zoeken een bakker voor onze "
                                     "winkel, die brood bakt"}),
            headers=dict(JSON, **{"Accept-Language": "en"}))
        expect(h.get("content-language") == "nl", (st, h, data[:200]))
        if nl_skills:
            expect(st == 200 and json.loads(data)["lang_auto"]["lang"] ==
                   "nl", (st, data[:200]))
        else:
            expect(st == 400 and "empty profile" in
                   json.loads(data)["error"]["message"], (st, data[:200]))
        # skills only, no text: nothing to read, so the first language
        # answers (not Accept-Language), and the answer says why
        st, h, data = request(
            LSRV, "POST", "/fit?lang=auto",
            body=json.dumps({"skills": [k for k, _ in skills]}), headers=hdr)
        expect(st == 200, (st, data[:200]))
        d = json.loads(data)
        expect(d["lang_auto"]["lang"] == "en" and
               h.get("content-language") == "en" and
               "default language" in d["lang_auto"]["why"],
               (d.get("lang_auto"), h))
        expect(d["results"][0]["id"] == BAKER, d["results"][:1])

    @test
    def langs_auto_without_text():
        # no q= and no body: lang=auto has nothing to read; the first
        # --index answers (Accept-Language is not consulted) and lang_auto
        # says so
        for path in ("/occupations/%s?lang=auto" % BAKER,
                     "/occupations/%s/similar?lang=auto" % BAKER,
                     "/health?lang=auto"):
            st, hdr, data = request(LSRV, "GET", path,
                                    headers={"Accept-Language": "nl"})
            expect(st == 200, (path, st, data[:200]))
            d = json.loads(data)
            expect(hdr.get("content-language") == "en" and
                   d.get("lang_auto") == {
                       "lang": "en", "why": "no words: default language"},
                   "%s: Content-Language %s, lang_auto %r" %
                   (path, hdr.get("content-language"), d.get("lang_auto")))
        d = get_json(LSRV, "/occupations/%s?lang=auto" % BAKER)
        expect(d["label"] == label_of("en", d["uri"]), d["label"])

    @test
    def langs_labels():
        d = lang_search("/search?q=boulanger&lang=fr&labels=en,fr,nl&limit=20")
        expect(d["results"], "no results")
        for r in d["results"]:
            expect(set(r["labels"]) == {"en", "fr", "nl"}, r["labels"])
            for lang in ("en", "fr", "nl"):
                expect(r["labels"][lang] == label_of(lang, r["uri"]),
                       "%s %s: %r" % (lang, r["uri"], r["labels"]))
        expect(d["results"][0]["labels"]["en"] == "baker", d["results"][0])
        # /similar, /match and /fit results carry them too
        d = get_json(LSRV, "/occupations/%s/similar?lang=nl&labels=fr"
                     % BAKER)
        for r in d["results"]:
            expect(r["labels"]["fr"] == label_of("fr", r["uri"]), r)
        st, _, data = request(LSRV, "POST", "/match?lang=nl&labels=en,fr",
                              body=b"bakker brood deeg")
        res = json.loads(data)["results"]
        expect(st == 200 and res and all(
            r["labels"]["fr"] == label_of("fr", r["uri"]) for r in res),
            data[:300])
        skills = [k for k, _ in baker_skills()]
        st, _, data = request(LSRV, "POST", "/fit?labels=fr,nl",
                              body=json.dumps({"skills": skills}),
                              headers=JSON)
        expect(st == 200, (st, data[:200]))
        res = json.loads(data)["results"]
        expect(res and res[0]["id"] == BAKER and
               res[0]["labels"]["fr"] == label_of("fr", res[0]["uri"]) and
               res[0]["labels"]["nl"] == label_of("nl", res[0]["uri"]) and
               res[0]["labels"]["nl"], res[:1])
        for r in res:
            expect(set(r["labels"]) == {"fr", "nl"} and
                   all(r["labels"][l] == label_of(l, r["uri"])
                       for l in ("fr", "nl")), r)
        st, _, data = request(LSRV, "POST", "/fit?labels=en,de",
                              body=json.dumps({"skills": skills}),
                              headers=JSON)
        expect(st == 400 and "en, fr, nl" in
               json.loads(data)["error"]["message"], (st, data[:200]))

    @test
    def langs_health_and_metrics():
        d = get_json(LSRV, "/health")
        expect(d["lang"] == "en" and d["documents"] ==
               get_json(SRV, "/health")["documents"], d)
        by = {l["lang"]: l for l in d["languages"]}
        expect(list(by) == ["en", "fr", "nl"], d["languages"])
        text = get(LSRV, "/metrics")[2].decode()
        for lang, index in (("en", INDEX), ("fr", FR_INDEX),
                            ("nl", NL_INDEX)):
            expect(by[lang]["status"] == "ok" and
                   by[lang]["generation"] ==
                   os.path.basename(os.path.realpath(index)), by[lang])
            single = Server(index, threads=1)
            try:
                h = get_json(single, "/health")
            finally:
                single.stop()
            expect(by[lang]["documents"] == h["documents"],
                   "%s: %d documents, alone %d" %
                   (lang, by[lang]["documents"], h["documents"]))
            expect((by[lang]["occupations"], by[lang]["skills"]) ==
                   (h["occupations"], h["skills"]), (lang, by[lang], h))
            expect(metric(text, "skillsearch_index_documents",
                          {"lang": lang}) == h["documents"], lang)
        expect(metric(text, "skillsearch_index_documents") ==
               by["en"]["documents"], "unlabelled is the default language")
        expect(get_json(LSRV, "/health?lang=nl")["lang"] == "nl", "lang=")
        # ESCO's French download has occupations only: the page shows
        # skills from a language that has them
        expect(by["fr"]["skills"] == 0 and by["en"]["skills"] > 0,
               d["languages"])

    @test
    def langs_reload_one_language():
        before = {l["lang"]: l["generation"]
                  for l in get_json(LSRV, "/health")["languages"]}
        gen = os.path.join(WORK, "index-fr.gen-7")
        shutil.copytree(os.path.realpath(FR_INDEX), gen, symlinks=True)
        swap_link(FR_INDEX, "index-fr.gen-7")  # relative, as the indexer
        deadline = time.time() + 10
        after = before
        while time.time() < deadline and after["fr"] == before["fr"]:
            time.sleep(0.05)
            after = {l["lang"]: l["generation"]
                     for l in get_json(LSRV, "/health")["languages"]}
        expect(after["fr"] == "index-fr.gen-7", after)
        expect(after["en"] == before["en"] and after["nl"] == before["nl"],
               "%r -> %r" % (before, after))
        text = get(LSRV, "/metrics")[2].decode()
        seen = (metric(text, "skillsearch_reloads_total", {"lang": "fr"}),
                metric(text, "skillsearch_reloads_total", {"lang": "en"}),
                metric(text, "skillsearch_index_generation", {"lang": "fr"}))
        expect(seen == (1, 0, 7),
               "reloads fr, reloads en, generation fr: %r" % (seen,))
        d = lang_search("/search?q=boulanger&lang=fr")
        expect(d["results"] and d["results"][0]["id"] == BAKER, "after")

    @test
    def langs_index_of_another_language_is_not_published():
        # a generation of the wrong language behind fr: fr keeps serving
        gen = os.path.join(WORK, "index-fr.gen-8")
        os.symlink(os.path.realpath(NL_INDEX), gen)
        swap_link(FR_INDEX, gen)
        deadline = time.time() + 5
        while time.time() < deadline and "not 'fr'" not in LSRV.text():
            time.sleep(0.05)
        expect("is in language 'nl', not 'fr'" in LSRV.text(), "no log")
        # a worker that had fr keeps it; one opening now finds nl and
        # answers 503: never Dutch results for lang=fr
        for _ in range(20):
            st, _, data = request(LSRV, "GET", "/search?q=boulanger&lang=fr")
            expect(st in (200, 503), (st, data[:200]))
            res = json.loads(data).get("results") if st == 200 else None
            expect(st == 503 or (res and res[0]["label"] ==
                                 label_of("fr", res[0]["uri"])), data[:200])
        expect(get_json(LSRV, "/search?q=bakker&lang=nl")["results"], "nl")

    LSRV.stop()


# -------------------------------------------------------------- the end

rc = SRV.stop()
report("graceful_exit_status", rc == 0, "exit status %s" % rc)
logs = "".join(srv.text() for srv in Server.started)
report("no_sanitizer_reports", "runtime error" not in logs and
       "AddressSanitizer" not in logs and "LeakSanitizer" not in logs,
       logs[-1500:])
print("%d passed, %d failed" % (passed, failed))
if failed == 0:
    shutil.rmtree(WORK, ignore_errors=True)
sys.exit(1 if failed else 0)
