#!/usr/bin/env bash
# N `skillsearch serve` replicas on loopback ports over one index, with
# haproxy in front (deploy/haproxy.cfg.in).
#
#   deploy/cluster.sh run N      start, wait for Ctrl-C, stop (`make cluster N=3`)
#   deploy/cluster.sh up N       start in the background; returns once haproxy
#                                sees every replica UP
#   deploy/cluster.sh down       stop everything (replicas drain first)
#   deploy/cluster.sh replica I  (re)start replica I (1..N): SIGTERM and wait
#                                if it runs, start it, wait until haproxy has
#                                it UP again
#   deploy/cluster.sh status     each replica's haproxy state and pid
#   deploy/cluster.sh pid I      replica I's pid
#
# Env: BIN (./skillsearch), INDEX (the index symlink; default
# $SKILLSEARCH_INDEX, else ./index), RUN_DIR (pid files, logs, haproxy.cfg
# and its stats socket; default build/cluster), BIND (127.0.0.1), PORT
# (haproxy's port, 8080; replica I listens on PORT+I), THREADS (per replica,
# 2), DRAIN_MS (serve --drain-ms, 2000), HAPROXY (haproxy binary), SERVE_ARGS
# (more `serve` options, e.g. "--cache-mb 0").
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(realpath "${BIN:-./skillsearch}")
INDEX=${INDEX:-${SKILLSEARCH_INDEX:-index}}
RUN_DIR=${RUN_DIR:-build/cluster}
BIND=${BIND:-127.0.0.1}
PORT=${PORT:-8080}
THREADS=${THREADS:-2}
DRAIN_MS=${DRAIN_MS:-2000}
HAPROXY=${HAPROXY:-$(command -v haproxy || echo /usr/sbin/haproxy)}
SERVE_ARGS=${SERVE_ARGS:-}

die() { echo "cluster: $*" >&2; exit 1; }
# Running, not a zombie: a replica started by an earlier cluster.sh is
# reaped by whoever adopted it, maybe late.
alive() {
    [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null &&
        [ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" != Z ]
}
pid_of() { cat "$RUN_DIR/$1.pid" 2>/dev/null || true; }

# Replica states from the stats socket: "rI STATUS" lines (UP, DOWN,
# MAINT, "UP 1/2" while rising...).
states() {
    python3 - "$RUN_DIR/haproxy.sock" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(2)
s.connect(sys.argv[1])
s.sendall(b"show stat\n")
data = b""
while chunk := s.recv(65536):
    data += chunk
lines = data.decode().splitlines()
head = lines[0].lstrip("# ").split(",")
for line in lines[1:]:
    row = dict(zip(head, line.split(",")))
    if row.get("pxname") == "replicas" and row.get("svname", "").startswith("r"):
        print(row["svname"], row["status"])
EOF
}
state_of() { states 2>/dev/null | awk -v r="r$1" '$1 == r { $1 = ""; sub(/^ /, ""); print }'; }

wait_up() { # I, seconds
    for _ in $(seq $(($2 * 10))); do
        [ "$(state_of "$1")" = UP ] && return 0
        sleep 0.1
    done
    return 1
}

# Stops replica I: SIGTERM, it drains (DRAIN_MS) and exits; KILL after 30 s.
stop_replica() {
    local pid
    pid=$(pid_of "r$1")
    if alive "$pid"; then
        kill -TERM "$pid"
        for _ in $(seq 300); do alive "$pid" || break; sleep 0.1; done
        alive "$pid" && kill -KILL "$pid"
    fi
    rm -f "$RUN_DIR/r$1.pid"
}

start_replica() { # I
    local port=$((PORT + $1))
    # shellcheck disable=SC2086 # SERVE_ARGS is a list of options
    nohup "$BIN" serve --index "$INDEX" --bind "$BIND" --port "$port" \
        --threads "$THREADS" --drain-ms "$DRAIN_MS" --web web $SERVE_ARGS \
        >>"$RUN_DIR/r$1.log" 2>&1 </dev/null &
    echo $! >"$RUN_DIR/r$1.pid"
}

replica() { # I: (re)start it and wait until haproxy has it UP
    [ -f "$RUN_DIR/n" ] || die "no cluster in $RUN_DIR (deploy/cluster.sh up N)"
    local n
    n=$(cat "$RUN_DIR/n")
    [[ "${1:-}" =~ ^[0-9]{1,9}$ ]] && ((10#$1 >= 1 && 10#$1 <= n)) ||
        die "replica: I must be 1..$n, not '${1:-}'"
    set -- $((10#$1)) # 08 is 8, not octal, in $((PORT + $1))
    stop_replica "$1"
    start_replica "$1"
    wait_up "$1" 30 || die "replica $1 not UP in haproxy after 30 s: $(tail -3 "$RUN_DIR/r$1.log")"
}

up() { # N
    # at most 9 digits: a longer number would overflow the arithmetic
    [[ "${1:-}" =~ ^[0-9]{1,9}$ ]] && ((10#$1 >= 1 && 10#$1 <= 64)) ||
        die "N must be 1..64, not '${1:-}'"
    set -- $((10#$1)) # 08 is 8, not octal, in $((PORT + $1))
    [ -x "$HAPROXY" ] || die "haproxy not installed (make deps, or apt-get install haproxy)"
    [ -x "$BIN" ] || die "$BIN missing (make)"
    [ -e "$INDEX" ] || echo "cluster: no index at $INDEX yet; replicas answer 503 (and stay DOWN) until one is published there" >&2
    alive "$(pid_of haproxy)" && die "a cluster already runs from $RUN_DIR (deploy/cluster.sh down)"
    mkdir -p "$RUN_DIR"
    RUN_DIR=$(realpath "$RUN_DIR")
    INDEX=$(realpath -ms "$INDEX") # not resolved: replicas follow the symlink
    echo "$1" >"$RUN_DIR/n"
    # what `replica`, `status` and `down` need later, whatever their env
    declare -p INDEX BIND PORT THREADS DRAIN_MS SERVE_ARGS BIN >"$RUN_DIR/env"
    local i servers=""
    for i in $(seq "$1"); do
        servers+="    server r$i $BIND:$((PORT + i))"$'\n'
        : >"$RUN_DIR/r$i.log"
        start_replica "$i"
    done
    awk -v run="$RUN_DIR" -v bind="$BIND" -v port="$PORT" -v servers="$servers" '
        { gsub(/@RUN_DIR@/, run); gsub(/@BIND@/, bind); gsub(/@PORT@/, port) }
        /^@SERVERS@$/ { printf "%s", servers; next }
        { print }' deploy/haproxy.cfg.in >"$RUN_DIR/haproxy.cfg"
    "$HAPROXY" -c -q -f "$RUN_DIR/haproxy.cfg" || die "bad $RUN_DIR/haproxy.cfg"
    nohup "$HAPROXY" -db -f "$RUN_DIR/haproxy.cfg" >"$RUN_DIR/haproxy.log" 2>&1 </dev/null &
    echo $! >"$RUN_DIR/haproxy.pid"
    for _ in $(seq 50); do [ -S "$RUN_DIR/haproxy.sock" ] && break; sleep 0.1; done
    for i in $(seq "$1"); do
        wait_up "$i" 30 || { down; die "replica $i not UP after 30 s: $(tail -3 "$RUN_DIR/r$i.log")"; }
    done
    echo "cluster: $1 replicas (ports $((PORT + 1))-$((PORT + $1))) behind haproxy on http://$BIND:$PORT/ (index $INDEX; logs and stats socket in $RUN_DIR)"
}

down() {
    local n i pids="" hp
    n=$(cat "$RUN_DIR/n" 2>/dev/null || echo 0)
    # haproxy first: a soft stop stops listening and finishes the requests
    # it holds, which the replicas are still there to answer
    hp=$(pid_of haproxy)
    if alive "$hp"; then
        kill -USR1 "$hp"
        for _ in $(seq 30); do alive "$hp" || break; sleep 0.1; done
        alive "$hp" && kill -TERM "$hp"
    fi
    # then the replicas, in parallel (each drains DRAIN_MS)
    for i in $(seq "$n"); do stop_replica "$i" & pids+=" $!"; done
    # shellcheck disable=SC2086
    [ -n "$pids" ] && wait $pids
    rm -f "$RUN_DIR/haproxy.pid" "$RUN_DIR/n" "$RUN_DIR/env"
}

status() {
    local n i
    n=$(cat "$RUN_DIR/n" 2>/dev/null) || die "no cluster in $RUN_DIR"
    for i in $(seq "$n"); do
        echo "r$i port $((PORT + i)) pid $(pid_of "r$i") haproxy: $(state_of "$i")"
    done
}

# the settings of the cluster that runs from RUN_DIR, if any
# shellcheck disable=SC1091
[ "${1:-}" != up ] && [ "${1:-}" != run ] && [ -f "$RUN_DIR/env" ] && . "$RUN_DIR/env"

case "${1:-}" in
run)
    up "${2:-}"
    trap 'echo; echo "cluster: stopping"; down; exit 0' INT TERM
    echo "cluster: Ctrl-C stops it"
    while true; do sleep 1; done
    ;;
up) up "${2:-}" ;;
down) down ;;
replica) replica "${2:-}" ;;
status) status ;;
pid) pid_of "r${2:-}" ;;
*) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
esac
