#!/usr/bin/env bash
# Batch matching on Dask (batch/dask_match.py), on loopback: a `dask
# scheduler` and WORKERS `dask worker` processes (no nanny, so that a
# SIGKILL removes a worker for good) with THREADS threads each.
#   1. ADS synthetic ads (batch/synth_ads.py, with bad lines) matched on
#      the cluster must equal `skillsearch match` single-process output,
#      byte for byte (input order) and line for line once sorted by id.
#   2. The same batch again, and one worker SIGKILLed while it runs a
#      partition, when some partitions are written and not all: the batch
#      must complete with the same output, every id exactly once.
#   3. Bad arguments (--partition-lines, --workers, --limit,
#      --connect-timeout), a missing binary or index, an unreachable or
#      malformed scheduler address: exit 2 with a message, no output file;
#      --limit reaches every task (equal to `skillsearch match --limit`).
# Skipped, with a SKIP line, when /usr/bin/python3 lacks python3-distributed.
# Env: BIN, INDEX (the sample index; built here when unset), WORKERS (2),
# THREADS (2), ADS (2000), PART (125 lines per partition), DASK_PYTHON
# (/usr/bin/python3).
# Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
BIN=$(realpath "${BIN:-./skillsearch}")
PY=${DASK_PYTHON:-/usr/bin/python3}  # the Python with Debian's python3-distributed
WORKERS=${WORKERS:-2} THREADS=${THREADS:-2} ADS=${ADS:-2000} PART=${PART:-125}
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok   $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
finish() { echo "dask-batch: $passed passed, $failed failed"; exit $((failed > 0)); }

if ! "$PY" -c 'import distributed' 2>/dev/null || ! command -v dask >/dev/null; then
    echo "SKIP dask-batch: $PY has no Dask distributed (apt-get install python3-distributed)"
    finish
fi
W=$(mktemp -d /tmp/skillsearch-dask.XXXXXX)
DASK_PY=$PY
. batch/local_cluster.sh
trap 'dask_down; rm -rf "$W"' EXIT
if [ -z "${INDEX:-}" ]; then
    INDEX=$W/index
    SKILLSEARCH_VECTORS="" SKILLSEARCH_MODELS="" "$BIN" index --esco data/sample --out "$INDEX" --quiet || { fail "sample index build"; finish; }
fi
INDEX=$(realpath "$INDEX")
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

"$PY" batch/synth_ads.py --bad "$ADS" >"$W/ads.jsonl"
lines=$(grep -c . "$W/ads.jsonl")
t0=$(now)
"$BIN" match --index "$INDEX" <"$W/ads.jsonl" >"$W/single.jsonl" 2>"$W/single.err"
single_s=$(since "$t0")
echo "single process: $lines lines in $single_s s ($(awk -v n="$lines" -v s="$single_s" 'BEGIN { printf "%.0f", n / s }') ads/s, $(nproc) threads)"

if dask_up "$W" "$WORKERS" "$THREADS"; then
    ok "scheduler $DASK_SCHED with $WORKERS workers x $THREADS threads"
else
    fail "the cluster did not come up: $(tail -n 3 "$W/wait.err")"
    finish
fi
SCHED=$DASK_SCHED

# check NAME OUT: OUT equals single.jsonl in order and sorted by id, and
# every input id is there exactly once.
check() {
    if cmp -s "$W/single.jsonl" "$2"; then ok "$1: output identical to the single process, byte for byte"
    else fail "$1: output differs from the single process ($(wc -l <"$2") lines vs $(wc -l <"$W/single.jsonl"))"; fi
    local r
    r=$("$PY" - "$W/ads.jsonl" "$W/single.jsonl" "$2" <<'EOF'
import collections, json, sys
ids = []
for line in open(sys.argv[1], encoding="utf-8"):
    try:
        ids.append(json.loads(line)["id"])
    except ValueError:
        pass
by_id = lambda path: sorted(open(path, encoding="utf-8"), key=lambda l: str(json.loads(l)["id"]))
same = by_id(sys.argv[2]) == by_id(sys.argv[3])
got = collections.Counter(json.loads(l)["id"] for l in open(sys.argv[3], encoding="utf-8"))
twice = sum(1 for i in ids if got[i] > 1)
missing = sum(1 for i in ids if got[i] == 0)
print(f"{'same' if same else 'differ'} {len(ids)} {missing} {twice} {got[None]}")
EOF
)
    set -- "$1" $r
    [ "$2" = same ] && ok "$1: identical once sorted by id" || fail "$1: differs once sorted by id"
    if [ "$4" = 0 ] && [ "$5" = 0 ] && [ "$6" = 1 ]; then
        ok "$1: each of $3 ids exactly once (and the one line without an id)"
    else
        fail "$1: of $3 ids, $4 missing, $5 more than once; $6 lines without an id (want 1)"
    fi
}

run() { # log file, output file: the driver on the cluster
    "$PY" batch/dask_match.py --scheduler "$SCHED" --bin "$BIN" --index "$INDEX" \
        --partition-lines "$PART" "$W/ads.jsonl" "$2" 2>"$1"
}
figures() { grep -E '^dask_match: done' "$1" | sed 's/^dask_match: done: /  /'; }

t0=$(now)
run "$W/run1.log" "$W/dask1.jsonl"; rc=$?
echo "dask run: $(since "$t0") s"; figures "$W/run1.log"
[ $rc = 0 ] && ok "dask run completed" || { fail "dask run exit $rc: $(tail -n 3 "$W/run1.log")"; }
check "dask run" "$W/dask1.jsonl"
if grep -qF "ads.jsonl:$((ADS / 2 + 1)): not a JSON object" "$W/run1.log"; then
    ok "the bad line reported with its input line number ($(grep -m1 'not a JSON' "$W/run1.log"))"
else
    fail "the bad line at $((ADS / 2 + 1)) not reported: $(grep -m2 ': not\|must be' "$W/run1.log")"
fi

# The second run: kill a worker while it runs a partition. The binary
# is wrapped to take 0.3 s longer per partition, so a running task is
# always seen by the 50 ms poll; the kill comes once 3 tasks have started.
total=$(( ($(wc -l <"$W/ads.jsonl") + PART - 1) / PART ))
mkdir -p "$W/slow"
printf '#!/bin/sh\nsleep 0.3\nexec "%s" "$@"\n' "$BIN" >"$W/slow/skillsearch"
chmod +x "$W/slow/skillsearch"
BIN=$W/slow/skillsearch run "$W/run2.log" "$W/dask2.jsonl" &
driver=$!
t0=$(now) killed="" inflight=0 seen=" "
{ # 2>/dev/null: without the shell's "Killed" notice for the worker
while kill -0 "$driver" 2>/dev/null && [ -z "$killed" ]; do
    for p in "${DASK_WPIDS[@]}"; do
        for c in $(pgrep -P "$p" skillsearch); do
            case $seen in *" $c "*) ;; *) seen="$seen$c " ;; esac
        done
    done
    if [ "$(echo $seen | wc -w)" -ge 3 ]; then
        for p in "${DASK_WPIDS[@]}"; do
            inflight=$(pgrep -c -P "$p" skillsearch)
            if [ "$inflight" -gt 0 ]; then
                kill -KILL "$p"; killed=$p; break
            fi
        done
    fi
    [ -n "$killed" ] || sleep 0.05
done
wait "$driver"; rc=$?
} 2>/dev/null
echo "dask run with a worker killed: $(since "$t0") s"; figures "$W/run2.log"
started=$(echo $seen | wc -w)
if [ -n "$killed" ] && [ "$started" -lt "$total" ]; then
    ok "worker pid $killed SIGKILLed with $inflight partition(s) running, $started of $total partitions started"
else
    fail "no worker killed mid-run (killed '${killed}', $started of $total partitions started)"
fi
[ $rc = 0 ] && ok "the batch completed after the kill" || fail "dask run after the kill: exit $rc: $(tail -n 3 "$W/run2.log")"
check "with a worker killed" "$W/dask2.jsonl"

# Bad setups fail before any work, saying what is missing.
"$PY" batch/dask_match.py --scheduler "$SCHED" --bin "$W/nope" --index "$INDEX" "$W/ads.jsonl" "$W/x.jsonl" 2>"$W/err.log"
rc=$?
if [ $rc = 2 ] && grep -q "no executable skillsearch binary at $W/nope" "$W/err.log"; then ok "missing binary: $(tail -n 1 "$W/err.log" | sed 's/^ *//')"
else fail "missing binary: exit $rc, $(cat "$W/err.log")"; fi
"$PY" batch/dask_match.py --scheduler "$SCHED" --bin "$BIN" --index "$W/noindex" "$W/ads.jsonl" "$W/x.jsonl" 2>"$W/err.log"
rc=$?
if [ $rc = 2 ] && grep -q "no index directory at $W/noindex" "$W/err.log"; then ok "missing index: $(tail -n 1 "$W/err.log" | sed 's/^ *//')"
else fail "missing index: exit $rc, $(cat "$W/err.log")"; fi
# Arguments out of range: argparse's usage error, exit 2, before any work.
# bad ARGS... MESSAGE: the driver with ARGS exits 2 saying MESSAGE.
bad() {
    local msg=${*: -1} rc
    "$PY" batch/dask_match.py "${@:1:$#-1}" --bin "$BIN" --index "$INDEX" \
        "$W/ads.jsonl" "$W/x.jsonl" 2>"$W/err.log"
    rc=$?
    if [ $rc = 2 ] && grep -qF -- "$msg" "$W/err.log" && ! grep -q Traceback "$W/err.log"; then
        ok "${*:1:$#-1}: $(tail -n 1 "$W/err.log" | sed 's/^ *//')"
    else
        fail "${*:1:$#-1}: exit $rc, want 2 and '$msg': $(tail -n 3 "$W/err.log")"
    fi
}
bad --scheduler "$SCHED" --partition-lines 0 "--partition-lines must be at least 1"
bad --scheduler "$SCHED" --partition-lines -5 "--partition-lines must be at least 1"
bad --workers 0 "--workers must be at least 1"
bad --threads-per-worker 0 "--threads-per-worker must be at least 1"
bad --scheduler "$SCHED" --limit 0 "--limit must be 1-100"
bad --scheduler "$SCHED" --limit 101 "--limit must be 1-100"
bad --scheduler "$SCHED" --limit many "argument --limit: invalid int value: 'many'"
bad --scheduler "$SCHED" --connect-timeout 0 "--connect-timeout must be a number of seconds above 0"
# An unreachable scheduler (a loopback port nobody listens on) is given up
# after --connect-timeout; a malformed address is named, not a traceback.
closed=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
t0=$(now)
bad --scheduler "tcp://127.0.0.1:$closed" --connect-timeout 2 \
    "cannot reach the Dask scheduler tcp://127.0.0.1:$closed"
waited=$(since "$t0")
if awk -v s="$waited" 'BEGIN { exit !(s < 15) }'; then ok "unreachable scheduler given up in $waited s (--connect-timeout 2)"
else fail "unreachable scheduler took $waited s with --connect-timeout 2"; fi
bad --scheduler "udp://127.0.0.1:$closed" "bad Dask scheduler address 'udp://127.0.0.1:$closed'"
bad --scheduler "127.0.0.1:port" "bad Dask scheduler address '127.0.0.1:port'"
if [ ! -e "$W/x.jsonl" ] && [ ! -e "$W/x.jsonl.part" ]; then ok "no output file after a failed setup"
else fail "output written after a failed setup"; fi

# --limit reaches every task's `skillsearch match --limit`: the same
# output as the single process with that limit.
head -n 300 "$W/ads.jsonl" >"$W/few.jsonl"
"$BIN" match --index "$INDEX" --limit 2 <"$W/few.jsonl" >"$W/few-single.jsonl" 2>/dev/null
"$PY" batch/dask_match.py --scheduler "$SCHED" --bin "$BIN" --index "$INDEX" --limit 2 \
    --partition-lines 50 "$W/few.jsonl" "$W/few-dask.jsonl" 2>"$W/few.log"
rc=$?
if [ $rc = 0 ] && cmp -s "$W/few-single.jsonl" "$W/few-dask.jsonl"; then
    ok "--limit 2: output identical to \`skillsearch match --limit 2\` ($(wc -l <"$W/few-dask.jsonl") lines)"
else
    fail "--limit 2: exit $rc, outputs differ: $(tail -n 3 "$W/few.log")"
fi
if "$PY" - "$W/few-dask.jsonl" <<'EOF'
import json, sys
n = [len(d["results"]) for d in map(json.loads, open(sys.argv[1], encoding="utf-8")) if "results" in d]
sys.exit(not (n and max(n) == 2))
EOF
then ok "--limit 2: at most 2 occupations per document"
else fail "--limit 2: a document with more or no results"; fi
finish
