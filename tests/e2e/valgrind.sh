#!/usr/bin/env bash
# valgrind memcheck over the end-to-end CLI tests on the sample index
# (tests/e2e/sample.test, bad_input.test, hostile.test, syntax.test,
# read_as.test: match's readings and thresholds, ~80 s): every command of
# those files runs under valgrind; a memory error or a definitely lost
# block makes it exit 99, which fails its test. Ends with a per-run summary
# and "N passed, N failed". Env: BIN (default ./skillsearch).
# Suppressions (tests/valgrind.supp) are for third-party libraries only.
set -u
cd "$(dirname "$0")/../.."
REAL=$(realpath "${BIN:-./skillsearch}")
command -v valgrind >/dev/null || { echo "FAIL: valgrind is not installed (apt-get install valgrind)"; echo "0 passed, 1 failed"; exit 1; }
W=$(mktemp -d /tmp/skillsearch-vg.XXXXXX)
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/logs"

bash tests/e2e/fixtures.sh "$W"
"$REAL" index --esco data/sample --out "$W/sample-index" --quiet || { echo "FAIL: sample index build"; echo "0 passed, 1 failed"; exit 1; }

cat >"$W/skillsearch" <<WRAP
#!/bin/sh
exec valgrind --error-exitcode=99 --leak-check=full \\
  --errors-for-leak-kinds=definite --show-leak-kinds=definite \\
  --suppressions="$PWD/tests/valgrind.supp" --num-callers=30 \\
  --log-file="$W/logs/vg.%p.log" "$REAL" "\$@"
WRAP
chmod +x "$W/skillsearch"

tests=(tests/e2e/sample.test tests/e2e/bad_input.test)
[ -f tests/e2e/hostile.test ] && tests+=(tests/e2e/hostile.test)
tests+=(tests/e2e/syntax.test tests/e2e/read_as.test)
BIN="$W/skillsearch" INDEX="$W/sample-index" WORK="$W" ESCO_DIR="" \
    python3 tests/e2e/cli_tests.py "${tests[@]}" | tee "$W/cli.log"

# Totals over every valgrind run.
runs=0 errs=0 lost=0 bad=""
for l in "$W"/logs/vg.*.log; do
    [ -f "$l" ] || continue
    runs=$((runs + 1))
    e=$(grep -oE 'ERROR SUMMARY: [0-9,]+' "$l" | grep -oE '[0-9,]+$' | tr -d , | tail -n 1)
    d=$(grep -oE 'definitely lost: [0-9,]+ bytes' "$l" | grep -oE '[0-9,]+ bytes' | tr -d ', bytes' | tail -n 1)
    [ -n "$e" ] || e=1 # no summary: valgrind itself died
    errs=$((errs + e)) lost=$((lost + ${d:-0}))
    if [ "$e" != 0 ] || [ "${d:-0}" != 0 ]; then bad="$bad $l"; fi
done
echo "valgrind: $runs runs, $errs errors, $lost bytes definitely lost"
for l in $bad; do echo "--- $l"; grep -E '^==[0-9]+== (Command|Invalid|Conditional|Use of|Syscall|Mismatched|.*definitely lost|   (at|by) )' "$l" | head -n 40; done

line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$W/cli.log" | tail -n 1)
p=$(cut -d' ' -f1 <<<"${line:-0 passed, 1 failed}") f=$(cut -d' ' -f3 <<<"${line:-0 passed, 1 failed}")
if [ "$runs" -gt 0 ] && [ "$errs" -eq 0 ] && [ "$lost" -eq 0 ]; then
    p=$((p + 1)); echo "ok   valgrind totals: 0 errors, 0 bytes definitely lost"
else
    f=$((f + 1)); echo "FAIL valgrind totals"
fi
echo "$p passed, $f failed"
[ "$f" -eq 0 ]
