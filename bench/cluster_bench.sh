#!/usr/bin/env bash
# Replicas behind haproxy (issue 17): wrk /search throughput of
#   1. one replica, direct
#   2. the same replica through haproxy
#   3. N replicas through haproxy
# on this machine, all with the same wrk settings and the same queries
# (jobtitles_dev rotated, else the sample's labels), the result cache off
# (--cache-mb 0) so that the figures measure searching, not the cache.
# Replicas run through deploy/cluster.sh, each with --threads THREADS.
# Prints one line per setup and, with RAW, appends "cluster.* value" lines.
# Env: BIN, INDEX (an index, required), EVAL (../shared/eval), CLUSTER_N
# (3), CLUSTER_BENCH_SECONDS (15), RAW. Skipped when haproxy is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(realpath "${BIN:-./skillsearch}")
EVAL=${EVAL:-../shared/eval}
N=${CLUSTER_N:-3}
SECS=${CLUSTER_BENCH_SECONDS:-15}
THREADS=2 CONNS=32
HAPROXY=$(command -v haproxy || echo /usr/sbin/haproxy)
put() { [ -n "${RAW:-}" ] && echo "cluster.$1 $2" >>"$RAW"; return 0; }
if [ ! -x "$HAPROXY" ]; then
    echo "cluster-bench: skipped, haproxy is not installed (make deps)"
    exit 0
fi
[ -n "${INDEX:-}" ] || { echo "cluster-bench: set INDEX" >&2; exit 1; }

DIR=$(mktemp -d /tmp/skillsearch-cluster-bench.XXXXXX)
export BIN INDEX HAPROXY RUN_DIR=$DIR/run THREADS DRAIN_MS=0 SERVE_ARGS="--cache-mb 0"
cleanup() {
    local rc=$?
    [ -f "$RUN_DIR/n" ] && bash deploy/cluster.sh down >/dev/null 2>&1
    rm -rf "$DIR"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

python3 bench/search_paths.py "$EVAL/jobtitles_dev.jsonl" \
    data/sample/occupations_en.csv "$DIR/paths.txt"

# N+1 free consecutive loopback ports from 20000 up.
PORT=$(python3 - "$N" <<'EOF'
import socket, sys
n = int(sys.argv[1])
for base in range(20000, 60000, n + 1):
    try:
        socks = []
        for p in range(base, base + n + 1):
            s = socket.socket(); socks.append(s); s.bind(("127.0.0.1", p))
        print(base); break
    except OSError:
        pass
    finally:
        for s in socks: s.close()
EOF
)
export PORT

# wrk on a URL -> "rps p50_ms p99_ms non2xx socket_errors"
load() { # key, url, label
    wrk -t"$THREADS" -c"$CONNS" -d2s --timeout 5s -s bench/wrk_search.lua \
        "$2" -- "$DIR/paths.txt" "$THREADS" >/dev/null 2>&1 # warm up
    wrk -t"$THREADS" -c"$CONNS" -d"${SECS}s" --timeout 5s --latency \
        -s bench/wrk_search.lua "$2" -- "$DIR/paths.txt" "$THREADS" >"$DIR/$1.out" 2>&1
    local r
    r=$(awk 'function ms(v) {
             if (v ~ /us$/) return v * 0.001
             if (v ~ /ms$/) return v + 0
             return v * 1000 }
         /^Requests\/sec:/ { rps = $2 }
         $1 == "50%" { p50 = ms($2) }
         $1 == "99%" { p99 = ms($2) }
         $1 == "non2xx" { bad = $2 }
         $1 == "socket_errors" { se = $2 }
         END { printf "%.0f %.3f %.3f %d %d\n", rps, p50, p99, bad, se }' "$DIR/$1.out")
    read -r RPS P50 P99 BAD SE <<<"$r"
    printf 'cluster-bench:   %-34s %6s req/s  p50 %7s ms  p99 %7s ms  non-2xx %s, socket errors %s\n' \
        "$3" "$RPS" "$P50" "$P99" "$BAD" "$SE"
    put "$1.rps" "$RPS"
    put "$1.p50_ms" "$P50"
    put "$1.p99_ms" "$P99"
    put "$1.non2xx" "$BAD"
    put "$1.socket_errors" "$SE"
    FAILS=$((FAILS + BAD + SE))
}

FAILS=0
echo "cluster-bench: /search, no result cache, wrk -t$THREADS -c$CONNS -d${SECS}s," \
     "$(wc -l <"$DIR/paths.txt") queries rotated, serve --threads $THREADS per replica," \
     "$(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg)"
bash deploy/cluster.sh up 1 >/dev/null
load direct "http://127.0.0.1:$((PORT + 1))" "1 replica, direct"
D=$RPS
load h1 "http://127.0.0.1:$PORT" "1 replica through haproxy"
H1=$RPS
bash deploy/cluster.sh down >/dev/null
bash deploy/cluster.sh up "$N" >/dev/null
load hn "http://127.0.0.1:$PORT" "$N replicas through haproxy"
bash deploy/cluster.sh down >/dev/null
put n "$N"
put seconds "$SECS"
awk -v d="$D" -v h="$H1" -v n="$RPS" -v k="$N" -v c="$(nproc)" 'BEGIN {
    printf "cluster-bench:   haproxy costs %.0f%% of one replica'"'"'s throughput; %d replicas = %.2fx one replica through haproxy", 100 * (1 - h / d), k, n / h
    printf " (%d CPUs shared by the replicas, haproxy and wrk: replicas add throughput only with idle cores, i.e. on more machines)\n", c }'
[ "$FAILS" -eq 0 ] || { echo "cluster-bench: $FAILS failed requests" >&2; exit 1; }
