#!/usr/bin/env bash
# Runs each libFuzzer target for FUZZ_SECONDS (default 60) and prints, per
# target, executions and coverage (cov: edges, ft: features) from
# libFuzzer's final stats; the last line is "N passed, N failed".
# usage: tests/fuzz/run.sh fuzz_csv fuzz_text ...   (env: FUZZ_BUILD,
# FUZZ_SECONDS, FUZZ_JOBS). New inputs go to a work corpus in FUZZ_BUILD,
# so tests/fuzz/corpus/ only holds the seeds we chose. A crash, leak,
# sanitizer report or timeout fails the target and its input is saved as
# tests/fuzz/crashes/<target>-<kind>-<sha1>.
set -u
cd "$(dirname "$0")/../.."
FUZZ_BUILD=${FUZZ_BUILD:-build-fuzz}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
mkdir -p tests/fuzz/crashes
# one sample index for all targets, rebuilt each run from data/sample
export SS_FUZZ_INDEX=$PWD/$FUZZ_BUILD/sample-index
rm -rf "$SS_FUZZ_INDEX" "$SS_FUZZ_INDEX".gen-*
export SS_FUZZ_TMPDIR=$PWD/$FUZZ_BUILD/tmp # what a crashed target leaves
rm -rf "$SS_FUZZ_TMPDIR"; mkdir -p "$SS_FUZZ_TMPDIR"

# leaks inside libraries we cannot fix (each line says which and why)
export LSAN_OPTIONS="suppressions=$PWD/tests/fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

passed=0 failed=0
for t in "$@"; do
    bin=$FUZZ_BUILD/$t work=$FUZZ_BUILD/corpus/$t log=$FUZZ_BUILD/$t.log
    seeds=tests/fuzz/corpus/$t
    mkdir -p "$work" "$seeds"
    # -timeout: one input taking 10 s is a bug (a 100 KB query takes < 1 s)
    "$bin" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=4096 \
        -max_len=8192 -print_final_stats=1 \
        -artifact_prefix="tests/fuzz/crashes/$t-" \
        ${FUZZ_DICT:+-dict=$FUZZ_DICT} "$work" "$seeds" >"$log" 2>&1
    rc=$?
    execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -n 1)
    last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
    cov=$(grep -oE 'cov: [0-9]+' <<<"$last" | grep -oE '[0-9]+')
    ft=$(grep -oE 'ft: [0-9]+' <<<"$last" | grep -oE '[0-9]+')
    corp=$(find "$work" -type f | wc -l)
    if [ $rc -eq 0 ]; then
        passed=$((passed + 1))
        printf 'ok   %-11s %9s execs  cov: %-5s ft: %-6s corpus: %s\n' \
            "$t" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$corp"
    else
        failed=$((failed + 1))
        printf 'FAIL %-11s %9s execs  cov: %-5s ft: %-6s (exit %s)\n' \
            "$t" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$rc"
        grep -E 'ERROR: |SUMMARY: |runtime error|Test unit written to' "$log" | head -n 8 | sed 's/^/     /'
        echo "     full log: $log"
    fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
