#!/usr/bin/env python3
"""Data-driven end-to-end tests of the skillsearch CLI.

usage: cli_tests.py FILE.test...   (env: BIN, INDEX, ESCO_DIR, WORK)

A .test file holds blocks separated by blank lines (jq style):
    # comment
    name: wire bonding finds the technician
    run: search --index $INDEX --json wire bonding cleanroom
    stdin: optional text fed to stdin (\\n escapes allowed)
    exit: 0
    top: 3 26e1add0-da3f-4ed6-aa91-791cb550146f     (result id within top N)
    first: 07e1799a-82c2-4877-9b43-1499812c5619     (first result id)
    stdout: text that must appear in stdout
    stderr: text that must appear in stderr
    lines: 3                                        (stdout line count)
    json: KEY=VALUE    (every stdout line is JSON; KEY path like 0.id or
                        results.0.label compared as string)
    json-len: KEY=N    (the list or object at KEY, same KEY form as json:,
                        has N entries)
    json-each: KEY FIELD>=X  (every entry of the list at KEY has a number
                        FIELD at least X; also <=)
    json-some: KEY FIELD=V   (some entry of the list at KEY has FIELD V)
    escapes: 1         (run: words and stdin: are bytes with \\xHH escapes,
                        so argv and stdin can carry invalid UTF-8)
    arg-repeat: N TEXT (appends one argument: TEXT, escapes allowed, N times)
    stdin-repeat: N TEXT (appends TEXT, escapes allowed, N times to stdin)
    env: NAME=VALUE    (set for this run only)
Words in run: are split like a shell would (shlex); $VARS are expanded.
A block with `needs: ESCO_DIR` is skipped when that variable is empty.
A block with `known: WHY` states a wanted behaviour the program lacks
today: its failure prints "known" and is not counted, so the gap stays in
sight; once it passes it fails ("fixed? drop known:").
Prints ok/FAIL lines; the last line is "N passed, N failed".
"""
import codecs, json, os, shlex, subprocess, sys

def load(path):
    blocks, cur = [], {}
    for raw in open(path, encoding="utf-8").read().split("\n") + [""]:
        line = raw.rstrip("\n")
        if not line.strip():
            if cur:
                blocks.append(cur)
            cur = {}
            continue
        if line.lstrip().startswith("#"):
            continue
        k, _, v = line.partition(":")
        cur.setdefault(k.strip(), []).append(v.strip())
    return blocks

def rows(s):
    """Lines split at \n only: JSON strings may hold U+0085 or U+2028,
    which str.splitlines() would also split at."""
    r = s.split("\n")
    return r[:-1] if r[-1] == "" else r

def ids(stdout):
    out = []
    for l in rows(stdout):
        try:
            o = json.loads(l)
        except ValueError:
            continue
        for r in o.get("results", []) if isinstance(o, dict) else []:
            out.append(r.get("uri", "").rsplit("/", 1)[-1])
    return out

def jpath(o, path):
    for p in path.split("."):
        o = o[int(p)] if isinstance(o, list) else o[p]
    return o

def run_block(b, env):
    if any(not env.get(v) for v in b.get("needs", [])):
        return None, "skipped"
    cmd = os.path.expandvars(b["run"][0])
    argv = [env["BIN"]] + shlex.split(cmd)
    unesc = lambda x: codecs.escape_decode(x.encode())[0]
    if b.get("escapes"):
        argv = [argv[0]] + [unesc(w) for w in argv[1:]]
        stdin = b"\n".join(unesc(x) for x in b.get("stdin", []))
    else:
        stdin = "\n".join(x.encode().decode("unicode_escape") for x in b.get("stdin", [])).encode()
    for r in b.get("arg-repeat", []):
        n, _, text = r.partition(" ")
        argv.append(unesc(text) * int(n))
    for r in b.get("stdin-repeat", []):
        n, _, text = r.partition(" ")
        stdin += unesc(text) * int(n)
    env = dict(env, **dict(e.partition("=")[::2] for e in b.get("env", [])))
    p = subprocess.run(argv, input=stdin, capture_output=True, env=env, timeout=600)
    so, se = p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
    errs = []
    want_exit = int(b.get("exit", ["0"])[0])
    if p.returncode != want_exit:
        errs.append(f"exit {p.returncode}, wanted {want_exit}")
    # a sanitizer build exits 1 too, which bad-input tests expect: its
    # report must still fail the test
    if "Sanitizer" in se or "runtime error:" in se:
        errs.append("sanitizer report on stderr")
    for t in b.get("top", []):
        n, uid = t.split(None, 1)
        got = ids(so)[: int(n)]
        if uid not in got:
            errs.append(f"{uid} not in top {n}: {got}")
    for uid in b.get("first", []):
        got = ids(so)[:1]
        if got != [uid]:
            errs.append(f"first is {got}, wanted {uid}")
    for s in b.get("stdout", []):
        if os.path.expandvars(s) not in so:
            errs.append(f"stdout lacks {s!r}")
    for s in b.get("stderr", []):
        if os.path.expandvars(s) not in se:
            errs.append(f"stderr lacks {s!r}")
    for s in b.get("lines", []):
        if len(rows(so)) != int(s):
            errs.append(f"{len(rows(so))} stdout lines, wanted {s}")
    for d in ("json", "json-len"):
        for s in b.get(d, []):
            k, _, v = s.partition("=")
            line, _, path = k.partition(":") if ":" in k else ("0", "", k)
            try:
                got = jpath(json.loads(rows(so)[int(line)]), path)
                if d == "json-len":
                    got = len(got)
                if str(got if not isinstance(got, bool) else str(got).lower()) != v:
                    errs.append(f"{k} is {got!r}, wanted {v!r}")
            except Exception as e:  # noqa: BLE001 - any failure is a test failure
                errs.append(f"{k}: {e}")
    for d in ("json-each", "json-some"):
        for s in b.get(d, []):
            k, _, cond = s.partition(" ")
            line, _, path = k.partition(":") if ":" in k else ("0", "", k)
            op = ">=" if ">=" in cond else "<=" if "<=" in cond else "="
            field, _, v = cond.partition(op)
            try:
                items = jpath(json.loads(rows(so)[int(line)]), path)
                if d == "json-each":
                    bad = [i[field] for i in items
                           if not (i[field] >= float(v) if op == ">=" else i[field] <= float(v))]
                    if bad:
                        errs.append(f"{k}: {field} {bad} not {op} {v}")
                elif not any(str(i.get(field)) == v for i in items):
                    errs.append(f"{k}: no entry with {field}={v!r}")
            except Exception as e:  # noqa: BLE001
                errs.append(f"{k}: {e}")
    if errs:
        errs.append("stderr: " + se[-400:].replace("\n", " | "))
    return not errs, "; ".join(errs)

def main():
    env = dict(os.environ)
    passed = failed = 0
    for path in sys.argv[1:]:
        for b in load(path):
            name = b.get("name", b.get("run", ["?"]))[0]
            ok, why = run_block(b, env)
            if ok is None:
                continue
            if b.get("known"):
                if not ok:
                    print(f"known {os.path.basename(path)}: {name}: {b['known'][0]}: {why}")
                    continue
                ok, why = False, "passes now: fixed? drop known:"
            if ok:
                passed += 1
                print(f"ok   {os.path.basename(path)}: {name}")
            else:
                failed += 1
                print(f"FAIL {os.path.basename(path)}: {name}: {why}")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)

if __name__ == "__main__":
    main()
