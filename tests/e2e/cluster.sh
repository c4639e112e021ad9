#!/usr/bin/env bash
# Replicas behind haproxy (deploy/cluster.sh, deploy/haproxy.cfg.in), under
# wrk load through haproxy: GET /search and /suggest on one wrk, POST /match
# on another. Steps, each with its own wrk run and figures:
#   kill     SIGKILL one replica: 0 failed or non-2xx GETs
#   rejoin   restart it: haproxy has it UP and its own /metrics count grows
#   roll     SIGTERM-restart every replica in turn (they drain): 0 failures
#   publish  a new index generation: every replica's /health reports it
#            within 2 s, 0 failures meanwhile
# POST /match failures are printed for every step; haproxy retries them too,
# but only the GETs are required to have none. First, `up N` with N outside
# 1..64 and `replica I` with I outside 1..N must fail with one line.
# Skipped (exit 0, "SKIP cluster: ...") when haproxy is not installed.
# env: BIN, WORK (scratch dir), ESCO_SRC (CSV folder, default data/sample),
#      N (replicas, 3). Prints ok/FAIL lines and "N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 1
BIN=$(realpath "${BIN:-./skillsearch}")
SRC=${ESCO_SRC:-data/sample}
N=${N:-3}
HAPROXY=$(command -v haproxy || echo /usr/sbin/haproxy)
if [ ! -x "$HAPROXY" ]; then
    echo "SKIP cluster: haproxy is not installed (make deps, or apt-get install haproxy)"
    echo "0 passed, 0 failed"
    exit 0
fi
DIR=$(mktemp -d "${WORK:-/tmp}/cluster.XXXXXX")
LINK=$DIR/index
export BIN HAPROXY RUN_DIR=$DIR/run INDEX=$LINK THREADS=2 DRAIN_MS=1500
passed=0 failed=0
check() { # name, condition result (0 = ok), detail
    if [ "$2" -eq 0 ]; then echo "ok $1"; passed=$((passed + 1))
    else echo "FAIL $1: $3"; failed=$((failed + 1)); fi
}
finish() {
    [ -f "$RUN_DIR/n" ] && bash deploy/cluster.sh down
    echo "$passed passed, $failed failed"
    if [ "$failed" -eq 0 ]; then rm -rf "$DIR"
    else echo "logs kept in $RUN_DIR"; tail -n 20 "$RUN_DIR/haproxy.log" 2>/dev/null; fi
    exit $((failed > 0))
}
command -v wrk >/dev/null || { check wrk 1 "not installed"; finish; }

# `up N` refuses an N outside 1..64 with one line, exit 1, before it
# creates or starts anything.
for bad in 0 65 -1 x "" 1.5 99999999999999999999; do
    RUN_DIR=$DIR/bad bash deploy/cluster.sh up "$bad" >"$DIR/bad.out" 2>&1
    rc=$?
    [ $rc = 1 ] && [ "$(cat "$DIR/bad.out")" = "cluster: N must be 1..64, not '$bad'" ] &&
        [ ! -e "$DIR/bad" ]
    check "up '$bad' refused" $? "exit $rc: $(head -c 300 "$DIR/bad.out")"
done

"$BIN" index --esco "$SRC" --out "$LINK" --quiet
check build_index $? "index build failed"

# N+1 free consecutive loopback ports: haproxy on PORT, replica I on PORT+I.
PORT=$(python3 - "$N" <<'PY'
import random, socket, sys
n = int(sys.argv[1])
for _ in range(200):
    base = random.randint(20000, 60000 - n)
    socks = []
    try:
        for p in range(base, base + n + 1):
            s = socket.socket()
            s.bind(("127.0.0.1", p))
            socks.append(s)
        print(base)
        break
    except OSError:
        pass
    finally:
        for s in socks:
            s.close()
PY
)
export PORT
bash deploy/cluster.sh up "$N" >"$DIR/up.log" 2>&1
check cluster_up $? "$(tail -5 "$DIR/up.log")"
[ -f "$RUN_DIR/n" ] || finish
# `replica I` refuses an I outside 1..N, and leaves the replicas alone
for bad in 0 $((N + 1)) x ""; do
    bash deploy/cluster.sh replica "$bad" >"$DIR/bad.out" 2>&1
    rc=$?
    [ $rc = 1 ] && [ "$(cat "$DIR/bad.out")" = "cluster: replica: I must be 1..$N, not '$bad'" ]
    check "replica '$bad' refused" $? "exit $rc: $(head -c 300 "$DIR/bad.out")"
done
[ "$(bash deploy/cluster.sh status | grep -c 'haproxy: UP$')" = "$N" ]
check "every replica still UP" $? "$(bash deploy/cluster.sh status)"
URL=http://127.0.0.1:$PORT

# Requests from the index itself: GETs on one file, POST /match on another.
python3 - "$LINK/catalog.sqlite" "$DIR" <<'PY'
import sqlite3, sys, urllib.parse as up
db = sqlite3.connect(sys.argv[1])
occ = db.execute("SELECT label FROM occupation LIMIT 20").fetchall()
skill = db.execute("SELECT label FROM skill LIMIT 20").fetchall()
with open(sys.argv[2] + "/get.txt", "w") as f:
    for (label,) in occ:
        f.write("/search?q=" + up.quote(label) + "\n")
        f.write("/suggest?q=" + up.quote(label[:4]) + "\n")
    for (label,) in skill:
        f.write("/search?type=skill&q=" + up.quote(label) + "\n")
with open(sys.argv[2] + "/post.txt", "w") as f:
    for i, (label,) in enumerate(occ):
        ad = " ".join(s for (s,) in skill[i % 5:i % 5 + 6])
        f.write("POST /match We are hiring a " + label + ". You know " + ad + ".\n")
PY

search_200s() { # replica I -> its count of /search 200s
    python3 -c 'import sys,urllib.request as u
for l in u.urlopen(sys.argv[1], timeout=2).read().decode().splitlines():
    if l.startswith("skillsearch_requests_total{endpoint=\"search\",status=\"200\"}"):
        print(int(float(l.split()[1]))); break
else: print(0)' "http://127.0.0.1:$((PORT + $1))/metrics"
}

# Load through haproxy until load_end: wrk stops on SIGINT and still
# prints its report (and wrk_search.lua's counts).
load_start() {
    wrk -t1 -c8 -d300s --timeout 5s -s bench/wrk_search.lua "$URL" \
        -- "$DIR/get.txt" 1 >"$DIR/get.out" 2>&1 &
    WGET=$!
    wrk -t1 -c2 -d300s --timeout 5s -s bench/wrk_search.lua "$URL" \
        -- "$DIR/post.txt" 1 >"$DIR/post.out" 2>&1 &
    WPOST=$!
    sleep 1
}
field() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }
load_end() { # step name
    sleep 0.5
    kill -INT "$WGET" "$WPOST"
    wait "$WGET" "$WPOST"
    local n bad se pn pbad pse
    n=$(field requests "$DIR/get.out") bad=$(field non2xx "$DIR/get.out")
    se=$(field socket_errors "$DIR/get.out")
    pn=$(field requests "$DIR/post.out") pbad=$(field non2xx "$DIR/post.out")
    pse=$(field socket_errors "$DIR/post.out")
    printf '%-8s GET /search,/suggest: %6s requests, %s non-2xx, %s socket errors;' \
        "$1" "${n:-?}" "${bad:-?}" "${se:-?}"
    printf ' POST /match: %5s requests, %s non-2xx, %s socket errors\n' \
        "${pn:-?}" "${pbad:-?}" "${pse:-?}"
    [ "${n:-0}" -gt 100 ]; check "$1: enough GET requests" $? "$(tail -5 "$DIR/get.out")"
    [ "${bad:-1}" -eq 0 ] && [ "${se:-1}" -eq 0 ]
    check "$1: 0 failed GETs" $? "non-2xx ${bad:-?}, socket errors ${se:-?}"
    [ "${pn:-0}" -gt 10 ]; check "$1: enough POST /match requests" $? "$(tail -5 "$DIR/post.out")"
}

# --- kill: SIGKILL replica 2 under load
load_start
kill -KILL "$(bash deploy/cluster.sh pid 2)"
sleep 1.5
STATE=$(bash deploy/cluster.sh status | awk '$1 == "r2" { $1 = $2 = $3 = $4 = $5 = $6 = ""; print }' | xargs)
echo "kill     haproxy's state of r2 1.5 s after SIGKILL: $STATE"
[[ "$STATE" == DOWN* ]]; check "kill: haproxy marks it DOWN" $? "$STATE"
sleep 1
load_end kill

# --- rejoin: restart it; haproxy has it UP and sends it requests
load_start
bash deploy/cluster.sh replica 2
check "rejoin: UP in haproxy" $? "$(tail -3 "$RUN_DIR/r2.log")"
B=$(search_200s 2)
sleep 2
A=$(search_200s 2)
load_end rejoin
echo "rejoin   r2's /search 200s in 2 s after it was UP: $((A - B))"
[ "$((A - B))" -gt 10 ]; check "rejoin: requests reach it" $? "count $B -> $A"
bash deploy/cluster.sh status

# --- roll: SIGTERM-restart every replica in turn, each draining first
load_start
T0=$(date +%s.%N)
for i in $(seq "$N"); do
    bash deploy/cluster.sh replica "$i"
    check "roll: r$i back UP" $? "$(tail -3 "$RUN_DIR/r$i.log")"
done
echo "roll     $N replicas restarted one after the other in $(awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
load_end roll

# --- publish: a new generation under load; every replica follows in 2 s.
# The poller notes when the symlink flips, then asks each replica's
# /health when it published the new generation (loaded_at_ms).
load_start
OLD=$(readlink "$LINK")
python3 - "$LINK" "$PORT" "$N" "$OLD" >"$DIR/publish.out" <<'PY' &
import json, os, sys, time, urllib.request as u
link, port, n, old = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
end = time.time() + 30
while os.readlink(link) == old and time.time() < end:
    time.sleep(0.005)
# the symlink is made just before it is renamed over INDEX: its mtime is
# the flip, even if this poller was slow to start
new, flip = os.readlink(link), os.lstat(link).st_mtime
seen = {}
while len(seen) < n and time.time() < flip + 10:
    for i in range(1, n + 1):
        if i in seen:
            continue
        try:
            h = json.load(u.urlopen("http://127.0.0.1:%d/health" % (port + i), timeout=2))
        except Exception:
            continue
        if h["generation"] == new:
            # the replica's own clock says when it published: a poller
            # slowed by the load it shares the machine with does not count
            seen[i] = h["loaded_at_ms"] / 1000 - flip
    time.sleep(0.01)
worst = max(seen.values()) if len(seen) == n else -1
print("%s %s %.3f %s" % (old, new, worst, " ".join("r%d=%.3fs" % (i, seen[i]) for i in sorted(seen))))
PY
POLLER=$!
sleep 0.5
"$BIN" index --esco "$SRC" --out "$LINK" --quiet
check "publish: index build" $? "failed"
wait "$POLLER"
read -r _ NEW WORST EACH <"$DIR/publish.out"
echo "publish  $OLD -> $NEW: every replica published it $WORST s after the symlink flipped ($EACH)"
[ "$NEW" != "$OLD" ] && awk -v t="$WORST" 'BEGIN { exit !(t >= 0 && t <= 2) }'
check "publish: every replica on the new generation within 2 s" $? "$(cat "$DIR/publish.out")"
load_end publish

! grep -qE 'AddressSanitizer|LeakSanitizer|runtime error' "$RUN_DIR"/r*.log
check no_sanitizer_reports $? "$(grep -hE 'Sanitizer|runtime error' "$RUN_DIR"/r*.log | head -3)"
finish
