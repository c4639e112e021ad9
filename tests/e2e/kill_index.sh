#!/usr/bin/env bash
# Crash-safe indexing. Builds the index once (ESCO_DIR, else data/sample),
# records the answers to a few queries, then KILLS times (default 10)
# starts `skillsearch index` into the same INDEX and SIGKILLs it at a
# random point of the build (kill i lands in the i-th tenth of the measured
# build time). After each kill the index must open and give byte-identical
# JSON answers; at the end a rerun must succeed and leave at most two
# generations. Then a build onto a full disk (a small tmpfs; skipped when
# it cannot be mounted) must fail with a clear message and leave the old
# index answering. Ends with "N passed, N failed".
# Env: BIN (default ./skillsearch), ESCO_DIR, KILLS, SEED (for $RANDOM).
set -u
cd "$(dirname "$0")/../.."
BIN=$(realpath "${BIN:-./skillsearch}")
SRC=${ESCO_DIR:-}
[ -n "$SRC" ] || SRC=data/sample
KILLS=${KILLS:-10}
RANDOM=${SEED:-$$}
W=$(mktemp -d /tmp/skillsearch-kill.XXXXXX)
MNT=""
cleanup() { [ -n "$MNT" ] && umount "$MNT" 2>/dev/null; rm -rf "$W"; }
trap cleanup EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok   $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
now_ms() { date +%s%3N; }

QUERIES=("nurse" "wire bonding cleanroom" "software developer" "baker")
# answers INDEX DIR: one JSON file per query
answers() {
    local i=0 q
    mkdir -p "$2"
    for q in "${QUERIES[@]}"; do
        "$BIN" search --index "$1" --json --limit 10 "$q" >"$2/$i.json" 2>"$2/$i.err" || return 1
        "$BIN" search --index "$1" --type skill --json --limit 10 "$q" >"$2/s$i.json" 2>>"$2/$i.err" || return 1
        i=$((i + 1))
    done
}
same() { diff -rq "$W/before" "$1" >/dev/null; }

INDEX=$W/index
echo "building $SRC once"
t0=$(now_ms)
if ! "$BIN" index --esco "$SRC" --out "$INDEX" --quiet; then
    fail "first build"; echo "$passed passed, $failed failed"; exit 1
fi
T=$(( $(now_ms) - t0 ))
echo "build time ${T} ms"
answers "$INDEX" "$W/before" || fail "answers before the kills"
grep -q '"results":\[{' "$W/before/0.json" || fail "the first query has no results"

for i in $(seq 0 $((KILLS - 1))); do
    # uniform in the i-th of KILLS equal slices of [0, T)
    at=$(( (i * T + (RANDOM * 32768 + RANDOM) % (T > 0 ? T : 1)) / KILLS ))
    "$BIN" index --esco "$SRC" --out "$INDEX" --quiet 2>"$W/kill$i.err" &
    pid=$!
    sleep "$(printf '%d.%03d' $((at / 1000)) $((at % 1000)))"
    if kill -KILL "$pid" 2>/dev/null; then how="killed"; else how="had finished"; fi
    wait "$pid" 2>/dev/null
    gen=$(readlink "$INDEX")
    rm -rf "$W/after"
    if answers "$INDEX" "$W/after" && same "$W/after"; then
        ok "kill $((i + 1)) at ${at} ms ($how): $gen answers as before"
    else
        fail "kill $((i + 1)) at ${at} ms ($how): $gen does not answer as before"
        diff -r "$W/before" "$W/after" | head -n 5
    fi
done

if "$BIN" index --esco "$SRC" --out "$INDEX" --quiet; then
    rm -rf "$W/after"
    if answers "$INDEX" "$W/after" && same "$W/after"; then
        ok "a rerun after the kills succeeds and answers as before"
    else
        fail "the rerun answers differently"
    fi
    n=$(find "$W" -maxdepth 1 -name 'index.gen-*' | wc -l)
    if [ "$n" -le 2 ]; then ok "leftovers removed: $n generations kept"
    else fail "$n generations left after the rerun: $(ls "$W")"; fi
else
    fail "a rerun after the kills fails"
fi

# Full disk: a tmpfs that holds one sample index and not two.
mkdir -p "$W/disk"
"$BIN" index --esco data/sample --out "$W/probe" --quiet
kb=$(du -sk "$(readlink -f "$W/probe")" | cut -f1)
size=$((kb * 3 / 2 + 64))
if mount -t tmpfs -o "size=${size}k" tmpfs "$W/disk" 2>"$W/mount.err"; then
    MNT=$W/disk
    SMALL=$MNT/index
    "$BIN" index --esco data/sample --out "$SMALL" --quiet
    answers "$SMALL" "$W/disk-before"
    old=$(readlink "$SMALL")
    if "$BIN" index --esco "$SRC" --out "$SMALL" --quiet 2>"$W/full.err"; then
        fail "a build onto a full ${size} KB disk succeeded"
    else
        msg=$(grep -E 'No space left|disk is full|full' "$W/full.err" | head -n 1)
        if [ -n "$msg" ] && grep -q 'previous index at .* is unchanged' "$W/full.err"; then
            ok "full disk: the build fails clearly: $msg"
        else
            fail "full disk: unclear message: $(tr '\n' ' ' <"$W/full.err" | cut -c1-300)"
        fi
    fi
    rm -rf "$W/disk-after"
    if [ "$(readlink "$SMALL")" = "$old" ] && answers "$SMALL" "$W/disk-after" &&
       diff -rq "$W/disk-before" "$W/disk-after" >/dev/null; then
        ok "full disk: the old index is intact and answers as before"
    else
        fail "full disk: the old index changed or does not answer"
    fi
    left=$(find "$MNT" -maxdepth 1 -name 'index.gen-*' | wc -l)
    if [ "$left" -eq 1 ]; then ok "full disk: the partial generation was removed"
    else fail "full disk: $left generations on the disk: $(ls "$MNT")"; fi
else
    echo "skip full-disk test: cannot mount a tmpfs ($(head -c 200 "$W/mount.err"); needs root or CAP_SYS_ADMIN)"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
