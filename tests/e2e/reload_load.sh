#!/usr/bin/env bash
# Reload under load: wrk hammers `skillsearch serve` for DURATION seconds
# while the index is rebuilt twice (the second rebuild also deletes the
# first generation, which workers may still hold open). Passes when every
# answer was 2xx, no socket errored, and the server followed both swaps.
# env: BIN (binary), WORK (scratch dir, optional), ESCO_SRC (CSV folder,
#      default data/sample), DURATION (default 10).
# Prints ok/FAIL lines and "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
BIN=$(realpath "${BIN:-./skillsearch}")
SRC=${ESCO_SRC:-data/sample}
DURATION=${DURATION:-10}
DIR=$(mktemp -d "${WORK:-/tmp}/reload-load.XXXXXX")
LINK=$DIR/index
passed=0 failed=0
check() { # name, condition result (0 = ok), detail
    if [ "$2" -eq 0 ]; then echo "ok $1"; passed=$((passed + 1))
    else echo "FAIL $1: $3"; failed=$((failed + 1)); fi
}
finish() {
    [ -n "${SRV:-}" ] && kill "$SRV" 2>/dev/null
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ] && rm -rf "$DIR"
    exit $((failed > 0))
}
command -v wrk >/dev/null || { echo "FAIL wrk: not installed"; failed=1; finish; }

"$BIN" index --esco "$SRC" --out "$LINK" --quiet
check build_index $? "index build failed"

"$BIN" serve --index "$LINK" --port 0 --threads 4 --web /nonexistent \
    2>"$DIR/serve.log" &
SRV=$!
PORT=
for _ in $(seq 200); do
    PORT=$(grep -oE 'listening on http://[^ ]*:[0-9]+/' "$DIR/serve.log" |
           grep -oE '[0-9]+/$' | tr -d /)
    [ -n "$PORT" ] && break
    sleep 0.05
done
[ -n "$PORT" ]; check server_starts $? "$(tail -3 "$DIR/serve.log")"
[ -n "$PORT" ] || finish
URL=http://127.0.0.1:$PORT
health() { python3 -c 'import json,sys,urllib.request as u
print(json.load(u.urlopen(sys.argv[1] + "/health"))["generation"])' "$URL"; }
GEN0=$(health)

# Paths from the index itself, so the script works for any data.
python3 - "$LINK/catalog.sqlite" >"$DIR/paths.txt" <<'PY'
import sqlite3, sys, urllib.parse as up
db = sqlite3.connect(sys.argv[1])
occ = db.execute("SELECT key, label FROM occupation LIMIT 3").fetchall()
skill = db.execute("SELECT key, label FROM skill LIMIT 2").fetchall()
for key, label in occ:
    print("/search?q=" + up.quote(label))
    print("/suggest?q=" + up.quote(label[:4]))
    print("/occupations/" + key)
for key, label in skill:
    print("/search?type=skill&q=" + up.quote(label))
    print("/skills/" + key)
print("/health")
PY

wrk -t2 -c16 -d"${DURATION}s" --timeout 5s -s bench/wrk_search.lua \
    "$URL" -- "$DIR/paths.txt" 2 >"$DIR/wrk.out" 2>&1 &
WRK=$!
sleep 1.5
"$BIN" index --esco "$SRC" --out "$LINK" --quiet
check rebuild_1 $? "rebuild failed"
sleep 1.5
GEN1=$(health)
"$BIN" index --esco "$SRC" --out "$LINK" --quiet
check rebuild_2 $? "rebuild failed"
sleep 1.5
GEN2=$(health)
wait "$WRK"
cat "$DIR/wrk.out"

REQS=$(awk '$1 == "requests" {print $2}' "$DIR/wrk.out")
NON2XX=$(awk '$1 == "non2xx" {print $2}' "$DIR/wrk.out")
SOCKERR=$(awk '$1 == "socket_errors" {print $2}' "$DIR/wrk.out")
[ "${REQS:-0}" -gt 1000 ]; check enough_requests $? "requests: ${REQS:-none}"
[ "${NON2XX:-1}" -eq 0 ]; check no_non_2xx $? "non-2xx: ${NON2XX:-none}"
[ "${SOCKERR:-1}" -eq 0 ]; check no_socket_errors $? "errors: ${SOCKERR:-none}"
[ "$GEN0" != "$GEN1" ] && [ "$GEN1" != "$GEN2" ]
check followed_both_swaps $? "generations: $GEN0 $GEN1 $GEN2"
RELOADS=$(python3 -c 'import sys,urllib.request as u
for l in u.urlopen(sys.argv[1] + "/metrics").read().decode().splitlines():
    if l.startswith("skillsearch_reloads_total "): print(int(float(l.split()[1])))' "$URL")
[ "${RELOADS:-0}" -ge 2 ]; check reloads_counted $? "reloads_total: ${RELOADS:-none}"

kill -TERM "$SRV"
wait "$SRV"
RC=$?
SRV=
check sigterm_exit_0 "$RC" "exit status $RC"
! grep -qE 'AddressSanitizer|LeakSanitizer|runtime error' "$DIR/serve.log"
check no_sanitizer_reports $? "$(tail -5 "$DIR/serve.log")"
finish
