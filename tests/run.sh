#!/usr/bin/env bash
# Runs every test suite and prints one total as its last line:
# "N passed, N failed". Env: BUILD (objects), BIN (binary), ESCO_DIR (full
# ESCO download; the full-data suites are skipped when it is empty).
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
BIN=$(realpath "${BIN:-./skillsearch}")
ESCO_DIR=${ESCO_DIR:-}
[ -n "$ESCO_DIR" ] && ESCO_DIR=$(realpath "$ESCO_DIR")
WORK=$(mktemp -d /tmp/skillsearch-test.XXXXXX)
ARTIFACTS=${ARTIFACTS:-$PWD/tests/artifacts}
mkdir -p "$ARTIFACTS"
# Word vectors change occupation rankings: every index here is built
# without them (the expectations in *.test assume so), except the full
# ESCO index, which takes vectors/en.ssvec (`make vectors`) as users do.
VECTORS=$PWD/vectors/en.ssvec
export SKILLSEARCH_VECTORS=""
# Likewise the learned rankers (data/models/): only the full index has them.
export SKILLSEARCH_MODELS=""
export BIN ESCO_DIR WORK ARTIFACTS BUILD VECTORS
trap 'rm -rf "$WORK"' EXIT

passed=0 failed=0
# Adds the "N passed, N failed" tally from the last such line of $1.
tally() {
    local line p f
    line=$(grep -E '^[A-Za-z-]*:? ?[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
    if [ -z "$line" ]; then
        echo "FAIL $2: printed no summary" ; failed=$((failed + 1)); return
    fi
    p=$(grep -oE '[0-9]+ passed' <<<"$line" | grep -oE '[0-9]+')
    f=$(grep -oE '[0-9]+ failed' <<<"$line" | grep -oE '[0-9]+')
    passed=$((passed + p)) failed=$((failed + f))
}

suite() { # name, command...
    local name=$1; shift
    echo "=== $name"
    "$@" >"$WORK/$name.log" 2>&1
    local rc=$?
    cat "$WORK/$name.log"
    tally "$WORK/$name.log" "$name"
    if [ $rc -ne 0 ] && ! grep -qE '[1-9][0-9]* failed' "$WORK/$name.log"; then
        echo "FAIL $name: exit status $rc"; failed=$((failed + 1))
    fi
}

# cmocka prints "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s)".
unit() {
    local p=0 f=0 t out
    for t in "$BUILD"/tests/test_*; do
        [ -x "$t" ] || continue
        out=$("$t" 2>&1); local rc=$?
        echo "$out" | grep -E '^\[ *(RUN|  OK|FAILED|PASSED|  ERROR|  SKIPPED) *\]|^\[==========\]|^Error|Failure' | grep -vE '^\[ RUN' | tail -n 200
        local tp tf
        tp=$(grep -oE '^\[  PASSED  \] [0-9]+' <<<"$out" | awk '{s+=$NF} END{print s+0}')
        tf=$(grep -oE '^\[  FAILED  \] [0-9]+' <<<"$out" | awk '{s+=$NF} END{print s+0}')
        tp=${tp:-0} tf=${tf:-0}
        if [ "$rc" -ne 0 ] && [ "$tf" -eq 0 ]; then tf=1; echo "FAIL $t exited $rc"; fi
        p=$((p + tp)) f=$((f + tf))
    done
    echo "unit: $p passed, $f failed"
}

suite unit unit

echo "=== building the sample index"
if ! "$BIN" index --esco data/sample --out "$WORK/sample-index" --quiet; then
    echo "FAIL: sample index build"; failed=$((failed + 1))
fi
export INDEX="$WORK/sample-index"
bash tests/e2e/fixtures.sh "$WORK"
suite cli-sample python3 tests/e2e/cli_tests.py tests/e2e/sample.test tests/e2e/bad_input.test tests/e2e/hostile.test tests/e2e/vectors.test tests/e2e/syntax.test tests/e2e/career.test tests/e2e/read_as.test
# tests/data/read_as.tsv through the CLI: titled or untitled as expected
suite read-as python3 tests/e2e/read_as_check.py
# valgrind cannot run an ASan binary; `make SANITIZE=1 test` checks memory
# with ASan instead.
if ldd "$BIN" 2>/dev/null | grep -q libasan; then
    echo "=== valgrind: skipped for a sanitizer build (ASan checks the same)"
elif command -v valgrind >/dev/null; then
    suite valgrind bash tests/e2e/valgrind.sh
else
    echo "FAIL valgrind: not installed (apt-get install valgrind)"; failed=$((failed + 1))
fi

ESCO_INDEX=""
if [ -n "$ESCO_DIR" ]; then
    echo "=== building the full ESCO index from $ESCO_DIR"
    vec=()
    if [ -f "$VECTORS" ]; then
        vec=(--vectors "$VECTORS")
    else
        echo "FAIL: no word vectors at $VECTORS (make vectors)"; failed=$((failed + 1))
    fi
    if "$BIN" index --esco "$ESCO_DIR" --out "$WORK/esco-index" "${vec[@]}" --models "$PWD/data/models"; then
        ESCO_INDEX="$WORK/esco-index"
    else
        echo "FAIL: full ESCO index build"; failed=$((failed + 1))
    fi
fi
export ESCO_INDEX
# The in-memory speller (query/speller.c) against Xapian's own suggestions
# on edits of every 25th word of the full dictionary (about 130,000 words).
speller_esco() {
    SS_SPELLER_INDEX="$ESCO_INDEX/xapian" "$BUILD/tests/test_speller" 2>&1 |
        grep -E 'asked|OK|FAILED|ERROR|LINE|differ|: xapian'
    if [ "${PIPESTATUS[0]}" -eq 0 ]; then
        echo "speller-esco: 1 passed, 0 failed"
    else
        echo "speller-esco: 0 passed, 1 failed"
    fi
}
if [ -n "$ESCO_INDEX" ]; then
    suite speller-esco speller_esco
    suite cli-esco python3 tests/e2e/cli_tests.py tests/e2e/esco.test
    suite devset bash tests/e2e/devset_check.sh
    suite career-esco python3 tests/e2e/career_check.py
    # en+fr+nl in one server rank as each language alone (MRR per language)
    suite langs python3 tests/e2e/langs_check.py
    # the language of short queries: accuracy table on held-out ESCO labels
    suite langid bash tests/e2e/langid_check.sh
fi
# Pinned top-10 lists (sample always, dev sets with ESCO_DIR): `make golden`
# regenerates them after a deliberate change.
suite golden python3 tests/golden/golden.py
# SIGKILLs 10 builds of the full index (the sample one without ESCO_DIR).
suite kill-index bash tests/e2e/kill_index.sh
suite http python3 tests/e2e/test_http.py
# Batch matching on Dask with a worker SIGKILLed (prints SKIP without
# python3-distributed).
suite dask-batch bash tests/e2e/dask_batch.sh
if command -v wrk >/dev/null; then
    suite reload-under-load env DURATION=8 bash tests/e2e/reload_load.sh
else
    echo "FAIL reload-under-load: wrk is not installed"; failed=$((failed + 1))
fi
# Replicas behind haproxy; the script prints "SKIP cluster: ..." and
# counts nothing when haproxy is missing.
suite cluster bash tests/e2e/cluster.sh
suite soak bash tests/e2e/soak.sh
if command -v chromium >/dev/null && command -v node >/dev/null; then
    suite browser env INDEX="$INDEX" bash tests/browser/run.sh
else
    echo "FAIL browser: needs chromium (apt-get install chromium) and node >= 20"
    failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
