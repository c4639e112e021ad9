#!/usr/bin/env bash
# Soak (issue 5): wrk at full load (2 threads, 32 connections) for
# SOAK_SECONDS against `skillsearch serve --threads 2`, rotating /search
# (occupations and skills, with and without isco), /suggest,
# /occupations/{id}, /skills/{id}, /health and POST /match with small job
# ads (bench/wrk_search.lua). VmRSS is sampled every second. Passes when
# every answer was 2xx, no socket errored, and RSS grew under 5% between
# second 10 and the end.
# env: BIN (binary), WORK (scratch dir, optional), ESCO_INDEX (full index
#      to reuse), else ESCO_DIR (indexed into a temp dir), else data/sample;
#      SOAK_SECONDS (default 60).
# Prints ok/FAIL lines and "N passed, N failed"; exits 1 on failure.
set -u
cd "$(dirname "$0")/../.."
BIN=$(realpath "${BIN:-./skillsearch}")
SECS=${SOAK_SECONDS:-60}
BASE=10                             # RSS baseline: second 10 (a third of short runs)
[ "$SECS" -lt 30 ] && BASE=$((SECS / 3))
DIR=$(mktemp -d "${WORK:-/tmp}/soak.XXXXXX")
SRV="" WRK=""
passed=0 failed=0
check() { # name, condition result (0 = ok), detail
    if [ "$2" -eq 0 ]; then echo "ok $1"; passed=$((passed + 1))
    else echo "FAIL $1: $3"; failed=$((failed + 1)); fi
}
finish() {
    trap - EXIT
    [ -n "$WRK" ] && kill "$WRK" 2>/dev/null && wait "$WRK" 2>/dev/null
    [ -n "$SRV" ] && kill -KILL "$SRV" 2>/dev/null && wait "$SRV" 2>/dev/null
    echo "$passed passed, $failed failed"
    rm -rf "$DIR"
    exit $((failed > 0))
}
trap finish EXIT
trap 'failed=$((failed + 1)); exit' INT TERM
command -v wrk >/dev/null || { check wrk_installed 1 "not installed"; exit; }
healthy() { python3 -c 'import sys, urllib.request as u
sys.exit(u.urlopen(sys.argv[1] + "/health", timeout=5).status != 200)' "$1" 2>/dev/null; }

INDEX=${ESCO_INDEX:-}
if [ -z "$INDEX" ]; then
    "$BIN" index --esco "${ESCO_DIR:-data/sample}" --out "$DIR/index" --quiet
    check build_index $? "index build of ${ESCO_DIR:-data/sample} failed"
    INDEX=$DIR/index
fi

# ASan's 256 MB quarantine of freed memory makes RSS creep for minutes
# (3-6% here) without any leak; a small one keeps the RSS check about our
# memory. Options given by the caller come later and win.
ldd "$BIN" 2>/dev/null | grep -q libasan &&
    export ASAN_OPTIONS="quarantine_size_mb=16${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
"$BIN" serve --index "$INDEX" --bind 127.0.0.1 --port 0 --threads 2 \
    --web /nonexistent 2>"$DIR/serve.log" &
SRV=$!
URL=
for _ in $(seq 600); do
    URL=$(grep -oE 'listening on http://127\.0\.0\.1:[0-9]+' "$DIR/serve.log" |
          grep -oE 'http://.*')
    [ -n "$URL" ] && healthy "$URL" && break
    kill -0 "$SRV" 2>/dev/null || break
    sleep 0.1
done
[ -n "$URL" ] && healthy "$URL"
check server_starts $? "$(tail -3 "$DIR/serve.log")"
[ -n "$URL" ] || exit

# Requests from the index itself (so any data works): a spread of concepts.
python3 - "$INDEX/catalog.sqlite" >"$DIR/requests.txt" <<'PY'
import json, sqlite3, sys, urllib.parse as up
db = sqlite3.connect(sys.argv[1])
q = lambda s: up.quote(s, safe="")
occ = db.execute("SELECT key, label, isco FROM occupation ORDER BY key LIMIT 40").fetchall()
skill = db.execute("SELECT key, label FROM skill ORDER BY key LIMIT 40").fetchall()
for i, (key, label, isco) in enumerate(occ):
    print("/search?q=" + q(label))
    if isco:
        print("/search?q=%s&isco=%s" % (q(label.split()[0]), isco[:1 + i % 4]))
    print("/suggest?q=" + q(label[:3 + i % 4]))
    print("/occupations/" + key)
    if i < len(skill):
        skey, slabel = skill[i]
        print("/search?type=skill&q=" + q(slabel))
        if isco and i % 4 == 0:
            print("/search?type=skill&q=%s&isco=%s" % (q(slabel), isco[:2]))
        print("/skills/" + skey)
    if i % 4 == 0:
        print("/health")
    if i % 4 == 1:  # a small job ad naming the occupation and two skills
        s = [x[1] for x in skill[i:i + 2]]
        text = ("%s\nWe are a growing company looking for a %s. You will %s "
                "and %s. Full time, good pay.\n" % (label, label, *s)) if len(s) == 2 else label
        print("POST /match " + json.dumps({"title": label, "text": text}))
PY
NREQ=$(wc -l <"$DIR/requests.txt")

echo "soak: wrk -t2 -c32 -d${SECS}s on $URL (index $INDEX), $NREQ requests rotated"
wrk -t2 -c32 -d"${SECS}s" --timeout 5s -s bench/wrk_search.lua "$URL" \
    -- "$DIR/requests.txt" 2 >"$DIR/wrk.out" 2>&1 &
WRK=$!
# One VmRSS sample (kB) a second: "second kB".
T0=$(date +%s%N)
while kill -0 "$WRK" 2>/dev/null; do
    RSS=$(awk '/^VmRSS:/ { print $2 }' "/proc/$SRV/status" 2>/dev/null)
    echo "$((($(date +%s%N) - T0) / 1000000000)) ${RSS:-0}" >>"$DIR/rss.txt"
    sleep 1
done
wait "$WRK"
check wrk_runs $? "$(tail -5 "$DIR/wrk.out")"
WRK=""
cat "$DIR/wrk.out"

REQS=$(awk '$1 == "requests" { print $2 }' "$DIR/wrk.out")
NON2XX=$(awk '$1 == "non2xx" { print $2 }' "$DIR/wrk.out")
SOCKERR=$(awk '$1 == "socket_errors" { print $2 }' "$DIR/wrk.out")
RPS=$(awk '$1 == "Requests/sec:" { print $2 }' "$DIR/wrk.out")
[ "${REQS:-0}" -ge "$SECS" ]; check enough_requests $? "requests: ${REQS:-none}"
[ "${NON2XX:-1}" -eq 0 ]; check no_non_2xx $? "non-2xx: ${NON2XX:-none}"
# wrk prints "Socket errors: connect N, read N, write N, timeout N" only
# when there were some.
! grep -E '^ *Socket errors:' "$DIR/wrk.out" | grep -qE '[1-9]' &&
    [ "${SOCKERR:-1}" -eq 0 ]
check no_socket_errors $? "socket errors: ${SOCKERR:-none}"

# Baseline: the first sample at or after second BASE; end: the last one.
read -r T_BASE RSS_BASE < <(awk -v b="$BASE" '$1 >= b { print; exit }' "$DIR/rss.txt")
read -r T_END RSS_END < <(tail -n 1 "$DIR/rss.txt")
echo "soak: RSS at ${T_BASE:-?} s: ${RSS_BASE:-?} kB, at ${T_END:-?} s: ${RSS_END:-?} kB;" \
     "$(wc -l <"$DIR/rss.txt") samples; ${RPS:-?} requests/s"
GROWTH=$(awk -v a="${RSS_BASE:-0}" -v b="${RSS_END:-0}" \
             'BEGIN { if (a > 0 && b > 0) printf "%.2f", 100 * (b - a) / a; else print "none" }')
echo "soak: RSS growth ${GROWTH}% between second ${T_BASE:-?} and ${T_END:-?}"
[ "$GROWTH" != none ] && awk -v g="$GROWTH" 'BEGIN { exit !(g < 5) }'
check rss_growth_under_5pct $? "growth ${GROWTH}% (samples: $(tr '\n' ' ' <"$DIR/rss.txt"))"

# /metrics: every endpoint of the rotation answered 200s.
MISSING=$(python3 -c 'import re, sys, urllib.request as u
body = u.urlopen(sys.argv[1] + "/metrics", timeout=5).read().decode()
ok = {m[0] for m in re.findall(r"^skillsearch_requests_total\{endpoint=\"(\w+)\",status=\"200\"\} (\d+)", body, re.M) if int(m[1]) > 0}
print(" ".join(e for e in "search suggest match occupation skill health".split() if e not in ok))' "$URL" 2>&1)
[ -z "$MISSING" ]; check every_endpoint_answered $? "no 200s for: $MISSING"
healthy "$URL"
check healthy_after $? "/health does not answer 200"
kill -TERM "$SRV"
wait "$SRV"
RC=$?
SRV=""
check sigterm_exit_0 "$RC" "exit status $RC"
! grep -qE 'AddressSanitizer|LeakSanitizer|runtime error' "$DIR/serve.log"
check no_sanitizer_reports $? "$(tail -5 "$DIR/serve.log")"
