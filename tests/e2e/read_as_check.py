#!/usr/bin/env python3
"""Every document of tests/data/read_as.tsv through `skillsearch match`:
the "read_as" of the answer is the one the file expects.

usage: read_as_check.py   (env: BIN, INDEX; run from the repository root)

Each document goes in twice: as a JSON line on stdin ("read_as" left to
the program) and as a FILE argument with --json, so both readers agree
with ss_match_read_as (tests/unit/test_match.c checks the C API). Prints
ok/FAIL lines; the last line is "N passed, N failed".
"""
import json, os, subprocess, sys, tempfile

TSV = "tests/data/read_as.tsv"

def load():
    """(line number, expected reading, text) per document; "\\n" in the
    text is a newline, as the unit test reads it."""
    docs = []
    for no, line in enumerate(open(TSV, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        want, _, text = line.partition("\t")
        docs.append((no, want, text.replace("\\n", "\n")))
    return docs

def answers(argv, stdin=None):
    """The JSON lines `skillsearch match` writes, or an error string."""
    p = subprocess.run(argv, input=stdin, capture_output=True, timeout=300)
    if p.returncode != 0:
        return f"exit {p.returncode}: {p.stderr.decode(errors='replace')[-300:]}"
    return [json.loads(l) for l in p.stdout.decode().split("\n") if l.strip()]

def main():
    binary, index = os.environ["BIN"], os.environ["INDEX"]
    docs = load()
    passed = failed = 0
    if len(docs) < 20:  # the unit test asks as much: a cut file is a failure
        print(f"FAIL {TSV}: only {len(docs)} documents")
        failed += 1
    lines = "".join(json.dumps({"id": f"{TSV}:{no}", "text": text}) + "\n"
                    for no, _, text in docs).encode()
    with tempfile.TemporaryDirectory(prefix="read_as.") as tmp:
        files = []
        for no, _, text in docs:
            files.append(os.path.join(tmp, f"doc{no}.txt"))
            with open(files[-1], "w", encoding="utf-8") as f:
                f.write(text)
        runs = {
            "stdin": answers([binary, "match", "--index", index, "--threads", "2"],
                             lines),
            "file": answers([binary, "match", "--index", index, "--json"] + files),
        }
    for how, got in runs.items():
        if isinstance(got, str) or len(got) != len(docs):
            n = got if isinstance(got, str) else f"{len(got)} answers"
            print(f"FAIL {how}: {n}, wanted {len(docs)} answers")
            failed += 1
            continue
        for (no, want, text), path, o in zip(docs, files, got):
            wid = path if how == "file" else f"{TSV}:{no}"
            have = o.get("read_as", o.get("error"))
            if o.get("id") != wid:  # answers come in input order
                have = f"the answer for {o.get('id')!r}"
            if have == want:
                passed += 1
                print(f"ok   {how} {TSV}:{no}: {want}")
            else:
                failed += 1
                print(f"FAIL {how} {TSV}:{no}: read as {have!r}, wanted {want}: {text!r}")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)

if __name__ == "__main__":
    main()
