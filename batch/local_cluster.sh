# Sourced by tests/e2e/dask_batch.sh and bench/dask_bench.sh: a Dask
# scheduler and workers on loopback, as separate processes like on a real
# cluster. Workers run without a nanny, so that a SIGKILL removes one for
# good instead of the nanny restarting it.
#   dask_up DIR WORKERS THREADS  sets DASK_SCHED (tcp://127.0.0.1:PORT),
#                                DASK_PIDS (all), DASK_WPIDS (workers);
#                                logs in DIR; status 1 if it did not come up
#   dask_down                    stops every process dask_up started
# Needs DASK_PY, a Python with Debian's python3-distributed.
DASK_PIDS=() DASK_WPIDS=() DASK_SCHED=""

dask_up() {
    local dir=$1 workers=$2 threads=$3 port i
    port=$("$DASK_PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    DASK_SCHED=tcp://127.0.0.1:$port
    dask scheduler --host 127.0.0.1 --port "$port" --no-dashboard >"$dir/scheduler.log" 2>&1 &
    DASK_PIDS+=($!)
    for i in $(seq 1 "$workers"); do
        dask worker "$DASK_SCHED" --name "w$i" --nthreads "$threads" --no-nanny --no-dashboard \
            --local-directory "$dir/w$i" >"$dir/worker$i.log" 2>&1 &
        DASK_PIDS+=($!) DASK_WPIDS+=($!)
    done
    "$DASK_PY" -c 'import sys; from distributed import Client
c = Client(sys.argv[1], timeout=60); c.wait_for_workers(int(sys.argv[2]), timeout=60)' \
        "$DASK_SCHED" "$workers" 2>"$dir/wait.err"
}

# A process that runs (a killed one stays a zombie until waited for).
dask_alive() { grep -qs '^State:[^Z]*$' "/proc/$1/status"; }

# SIGTERM to PIDS, SIGKILL to those still running 10 s later; reaps them.
dask_stop() {
    local p i
    for p in "$@"; do kill "$p" 2>/dev/null; done
    for i in $(seq 100); do
        for p in "$@"; do dask_alive "$p" && break; p=""; done
        [ -z "$p" ] && break
        sleep 0.1
    done
    for p in "$@"; do kill -KILL "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
}

dask_down() {
    # Workers first: one whose scheduler is gone can hang in its SIGTERM
    # handler, trying to say goodbye.
    [ ${#DASK_WPIDS[@]} -gt 0 ] && dask_stop "${DASK_WPIDS[@]}"
    [ ${#DASK_PIDS[@]} -gt 0 ] && dask_stop "${DASK_PIDS[0]}"
    DASK_PIDS=() DASK_WPIDS=()
}
