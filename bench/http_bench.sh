#!/usr/bin/env bash
# HTTP load benchmark (issue 4): wrk against `skillsearch serve` /search with
# the jobtitles_dev queries rotated by bench/wrk_search.lua, then, in the
# same run and with the same wrk settings, against nginx serving one real
# /search answer as a static file. Both servers listen on 127.0.0.1 only.
# Prints req/s (and the ratio to nginx), p50/p99, non-2xx, socket errors,
# the server's VmHWM/VmRSS after the run, and whether /metrics answers.
# Env: BIN (./skillsearch), INDEX (an index to reuse; else ESCO_DIR is
# indexed into a temp dir), ESCO_DIR (as bench/run.sh), EVAL
# (../shared/eval), HTTP_BENCH_SECONDS (30), RAW (file to append
# "http.* value" lines to, read by bench/run.sh's report).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(realpath "${BIN:-./skillsearch}")
EVAL=${EVAL:-../shared/eval}
SECS=${HTTP_BENCH_SECONDS:-30}
THREADS=2 CONNS=32
HOST=127.0.0.1 # never anything else
WRK_ARGS=(-t"$THREADS" -c"$CONNS" --timeout 2s --latency)
WARM=3
[ "$SECS" -lt 10 ] && WARM=1

DIR=$(mktemp -d /tmp/skillsearch-http-bench.XXXXXX)
SRV="" NGX="" WRK=""
stop() { # pid, seconds to wait after TERM before KILL
    [ -n "$1" ] && kill -0 "$1" 2>/dev/null || return 0
    kill -TERM "$1" 2>/dev/null || true
    for _ in $(seq $(($2 * 10))); do
        kill -0 "$1" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}
cleanup() {
    local rc=$? workers=""
    trap - EXIT INT TERM
    stop "$WRK" 1
    # nginx workers are killed by their master on TERM; KILL them by pid
    # too in case the master itself had to be KILLed.
    [ -n "$NGX" ] && workers=$(ps -o pid= --ppid "$NGX" 2>/dev/null || true)
    stop "$NGX" 3
    for w in $workers; do kill -KILL "$w" 2>/dev/null || true; done
    stop "$SRV" 12
    rm -rf "$DIR"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

die() { echo "http-bench: $*" >&2; exit 1; }
put() { [ -n "${RAW:-}" ] && echo "http.$1 $2" >>"$RAW"; return 0; }
for t in wrk nginx; do
    command -v "$t" >/dev/null || [ -x "/usr/sbin/$t" ] ||
        die "$t not installed (make deps installs it)"
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$BIN" ] || die "$BIN missing (run \`make bench\`)"

if [ -z "${INDEX:-}" ]; then
    if [ -z "${ESCO_DIR:-}" ]; then
        ESCO_DIR=data/sample
        [ -d ../shared/esco/v1.1.1-en ] && ESCO_DIR=../shared/esco/v1.1.1-en
    fi
    echo "http-bench: indexing $ESCO_DIR ..."
    "$BIN" index --esco "$ESCO_DIR" --out "$DIR/idx" --quiet
    INDEX=$DIR/idx
fi

# Queries -> one URL-encoded /search path a line.
python3 bench/search_paths.py "$EVAL/jobtitles_dev.jsonl" \
    data/sample/occupations_en.csv "$DIR/paths.txt"
NQ=$(wc -l <"$DIR/paths.txt")
[ -f "$EVAL/jobtitles_dev.jsonl" ] && QSRC=jobtitles_dev || QSRC="data/sample labels"

# GET helper: prints the status; the body goes to $3 if given.
get() { # url, timeout_s, [body file]
    python3 - "$@" <<'EOF'
import sys, urllib.request as u, urllib.error as e
try:
    r = u.urlopen(sys.argv[1], timeout=float(sys.argv[2]))
    code, body = r.status, r.read()
except e.HTTPError as x:
    code, body = x.code, x.read()
except Exception:
    code, body = 0, b""
if len(sys.argv) > 3:
    open(sys.argv[3], "wb").write(body)
print(code)
EOF
}
wait_200() { # url, seconds
    for _ in $(seq $(($2 * 10))); do
        [ "$(get "$1" 1)" = 200 ] && return 0
        sleep 0.1
    done
    return 1
}
# wrk in the background so that a signal reaches the trap at once.
run_wrk() { # out file, wrk args...
    local out=$1; shift
    wrk "${WRK_ARGS[@]}" "$@" >"$out" 2>&1 &
    WRK=$!
    wait "$WRK" || { WRK=""; cat "$out" >&2; die "wrk failed"; }
    WRK=""
}
# wrk report -> "rps p50_ms p99_ms requests non2xx socket_errors".
parse_wrk() {
    awk 'function ms(v) {
             if (v ~ /us$/) return v * 0.001
             if (v ~ /ms$/) return v + 0
             if (v ~ /m$/) return v * 60000
             return v * 1000 }
         /^Requests\/sec:/ { rps = $2 }
         $1 == "50%" { p50 = ms($2) }
         $1 == "99%" { p99 = ms($2) }
         $1 == "requests" { n = $2 }
         $1 == "non2xx" { bad = $2 }
         $1 == "socket_errors" { se = $2 }
         END { printf "%s %.3f %.3f %s %s %s\n", rps, p50, p99, n, bad, se }' "$1"
}

# --- skillsearch: with the result cache (the default) and without ---
# Sets PORT/URL while running; fills the R_* results of one run.
bench_ss() { # label, cache MB
    "$BIN" serve --index "$INDEX" --bind "$HOST" --port 0 --threads "$THREADS" \
        --web /nonexistent --cache-mb "$2" 2>"$DIR/serve-$1.log" &
    SRV=$!
    PORT=""
    for _ in $(seq 600); do
        PORT=$(grep -oE 'listening on http://[^ ]*:[0-9]+/' "$DIR/serve-$1.log" |
               grep -oE '[0-9]+/$' | tr -d / || true)
        [ -n "$PORT" ] && break
        kill -0 "$SRV" 2>/dev/null || break
        sleep 0.1
    done
    [ -n "$PORT" ] || { cat "$DIR/serve-$1.log" >&2; die "skillsearch serve did not start"; }
    URL=http://$HOST:$PORT
    wait_200 "$URL/health" 60 || { cat "$DIR/serve-$1.log" >&2; die "$URL/health never answered 200"; }
    if [ ! -f "$DIR/www/search.json" ]; then
        # The static file for nginx: the median-sized answer of the first
        # 101 queries.
        mkdir -p "$DIR/www"
        head -n 101 "$DIR/paths.txt" | python3 -c 'import sys, urllib.request as u
bodies = sorted((u.urlopen(sys.argv[1] + p.strip(), timeout=10).read() for p in sys.stdin), key=len)
sys.stdout.buffer.write(bodies[len(bodies) // 2])' "$URL" >"$DIR/www/search.json"
    fi
    echo "http-bench: skillsearch serve --threads $THREADS --cache-mb $2 on $URL, wrk -t$THREADS -c$CONNS -d${SECS}s, $NQ $QSRC queries rotated ..."
    run_wrk "$DIR/warm-$1.out" -d"${WARM}s" -s bench/wrk_search.lua "$URL" -- "$DIR/paths.txt" "$THREADS"
    run_wrk "$DIR/$1.out" -d"${SECS}s" -s bench/wrk_search.lua "$URL" -- "$DIR/paths.txt" "$THREADS"
    read -r R_RPS R_P50 R_P99 R_N R_BAD R_SE < <(parse_wrk "$DIR/$1.out")
    R_HWM=$(awk '/^VmHWM:/ { print $2 }' "/proc/$SRV/status")
    R_RSS=$(awk '/^VmRSS:/ { print $2 }' "/proc/$SRV/status")
    R_METRICS=0
    [ "$(get "$URL/metrics" 5 "$DIR/metrics-$1.txt")" = 200 ] &&
        grep -q '^skillsearch_requests_total{endpoint="search",status="200"}' "$DIR/metrics-$1.txt" && R_METRICS=1
    # Server-side view: /search 200s counted, mean time inside the server,
    # share of answers the cache gave (warm-up included).
    read -r R_MN R_MEAN R_HIT < <(awk '
        /^skillsearch_requests_total\{endpoint="search",status="200"\}/ { n = $2 }
        /^skillsearch_request_duration_seconds_sum\{endpoint="search"/ { s = $2 }
        /^skillsearch_request_duration_seconds_count\{endpoint="search"/ { c = $2 }
        /^skillsearch_cache_hits_total / { h = $2 }
        /^skillsearch_cache_misses_total / { m = $2 }
        END { printf "%d %.3f %.4f\n", n, (c > 0 ? 1000 * s / c : 0), (h + m > 0 ? h / (h + m) : 0) }' "$DIR/metrics-$1.txt" 2>/dev/null || echo "0 0 0")
    stop "$SRV" 12
    SRV=""
    put "$1.rps" "$R_RPS"
    put "$1.p50_ms" "$R_P50"
    put "$1.p99_ms" "$R_P99"
    put "$1.requests" "$R_N"
    put "$1.non2xx" "$R_BAD"
    put "$1.socket_errors" "$R_SE"
    put "$1.vmhwm_kb" "${R_HWM:-0}"
    put "$1.vmrss_kb" "${R_RSS:-0}"
    put "$1.metrics_ok" "$R_METRICS"
    put "$1.metrics_search_200" "$R_MN"
    put "$1.server_mean_ms" "$R_MEAN"
    put "$1.cache_hit_rate" "$R_HIT"
    [ "$R_METRICS" = 1 ] || die "/metrics did not answer after the $1 run"
}
CACHE_MB=${HTTP_CACHE_MB:-64}
bench_ss ss "$CACHE_MB"
SS=("$R_RPS" "$R_P50" "$R_P99" "$R_BAD" "$R_SE" "$R_HWM" "$R_RSS" "$R_MN" "$R_MEAN" "$R_HIT")
bench_ss ssu 0
SSU=("$R_RPS" "$R_P50" "$R_P99" "$R_BAD" "$R_SE" "$R_HWM" "$R_RSS" "$R_MN" "$R_MEAN" "$R_HIT")
BODY=$(wc -c <"$DIR/www/search.json")

# --- nginx, same wrk settings, same Lua script on one path ---
NPORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$DIR/ngx"
# Workers run as nobody when we are root: let them read the file.
chmod 711 "$DIR"
chmod 755 "$DIR/www"
chmod 644 "$DIR/www/search.json"
cat >"$DIR/ngx/nginx.conf" <<EOF
worker_processes $THREADS;
daemon off;
pid $DIR/ngx/nginx.pid;
error_log $DIR/ngx/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    default_type application/json;
    sendfile on;
    client_body_temp_path $DIR/ngx/body;
    proxy_temp_path $DIR/ngx/proxy;
    fastcgi_temp_path $DIR/ngx/fastcgi;
    uwsgi_temp_path $DIR/ngx/uwsgi;
    scgi_temp_path $DIR/ngx/scgi;
    server {
        listen $HOST:$NPORT;
        root $DIR/www;
    }
}
EOF
"$NGINX" -p "$DIR/ngx" -e "$DIR/ngx/error.log" -c "$DIR/ngx/nginx.conf" \
    >"$DIR/ngx/stderr.log" 2>&1 &
NGX=$!
NURL=http://$HOST:$NPORT
wait_200 "$NURL/search.json" 20 ||
    { cat "$DIR/ngx/stderr.log" "$DIR/ngx/error.log" >&2 2>/dev/null; die "nginx did not start"; }
echo "/search.json" >"$DIR/static.txt"
echo "http-bench: nginx (worker_processes $THREADS) on $NURL, static file of $BODY bytes ..."
run_wrk "$DIR/warm-ngx.out" -d"${WARM}s" -s bench/wrk_search.lua "$NURL" -- "$DIR/static.txt" "$THREADS"
run_wrk "$DIR/ngx.out" -d"${SECS}s" -s bench/wrk_search.lua "$NURL" -- "$DIR/static.txt" "$THREADS"
read -r NG_RPS NG_P50 NG_P99 NG_N NG_BAD NG_SE < <(parse_wrk "$DIR/ngx.out")
stop "$NGX" 3
NGX=""

put seconds "$SECS"
put threads "$THREADS"
put connections "$CONNS"
put queries "$NQ"
put body_bytes "$BODY"
put cache_mb "$CACHE_MB"
put nginx.rps "$NG_RPS"
put nginx.p50_ms "$NG_P50"
put nginx.p99_ms "$NG_P99"
put nginx.requests "$NG_N"
put nginx.non2xx "$NG_BAD"
put nginx.socket_errors "$NG_SE"

report() { # what, values as in SS
    awk -v w="$1" -v s="$2" -v n="$NG_RPS" 'BEGIN { printf "http-bench: /search %s: %.0f req/s, nginx static %.0f req/s = %.4fx nginx\n", w, s, n, (n > 0 ? s / n : 0) }'
    echo "http-bench:   p50 $3 ms, p99 $4 ms; non-2xx $5, socket errors $6;" \
         "RSS after the run: VmHWM $(($7 / 1024)) MB, VmRSS $(($8 / 1024)) MB; /metrics ok"
    echo "http-bench:   /metrics counts $9 /search 200s; mean time inside the server ${10} ms; cache hit rate ${11}"
}
report "cache ${CACHE_MB} MB" "${SS[@]}"
report "no cache (--cache-mb 0)" "${SSU[@]}"
echo "http-bench: nginx p50 $NG_P50 ms, p99 $NG_P99 ms; non-2xx $NG_BAD, socket errors $NG_SE"
echo "http-bench: the $NQ queries repeat every $NQ requests, so with the cache most answers after the first round are hits; the uncached run measures searching"
