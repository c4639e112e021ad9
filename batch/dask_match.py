#!/usr/bin/python3
"""Runs `skillsearch match` over a large JSON-lines file on a Dask cluster.

The matcher is not re-implemented here: every task pipes one partition of
the input (N lines) through `BIN match --index INDEX` on a worker, in the
binary's batch mode, and returns its output. The driver reads the input as
a stream, keeps a bounded number of partitions in flight, and writes the
answers in input order, which is the order of the single-process batch:
the output is the same, byte for byte, as `BIN match --index INDEX <INPUT`.

Tasks are pure (the output depends only on the partition, the binary and
the index) and have no side effects, so Dask may run one twice, as it does
when the worker that held it dies; each partition is written once, from
the one result the driver gathers for it.

Every worker needs BIN and INDEX at the same absolute path as the driver
gives (copy the index directory to each machine). Run with the Python that
has Debian's python3-distributed, /usr/bin/python3:

    /usr/bin/python3 batch/dask_match.py --scheduler tcp://HOST:8786 \\
        --index /srv/skillsearch/index --bin /srv/skillsearch/skillsearch \\
        ads.jsonl matches.jsonl
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time
import uuid

PROG = "dask_match"
# The binary names a bad line "stdin:K: ..." counting from its own stdin,
# which is one partition: the driver adds the partition's offset.
ERR_RE = re.compile(rb'("error":"stdin:)(\d+)(:)')


def die(msg):
    print(f"{PROG}: {msg}", file=sys.stderr)
    sys.exit(2)


def skillsearch_env():
    """The driver's SKILLSEARCH_* variables (ranking parameters, data
    directory): forwarded to each task so that every worker ranks as the
    driver's own single-process run would."""
    return {k: v for k, v in os.environ.items() if k.startswith("SKILLSEARCH_")}


def check_paths(binary, index):
    """Runs on each worker before the batch: None, or what is missing."""
    import socket
    host = socket.gethostname()
    if not os.access(binary, os.X_OK):
        return f"{host}: no executable skillsearch binary at {binary}"
    if not os.path.isdir(index):
        return f"{host}: no index directory at {index}"
    return None


def match_partition(binary, args, env, first_line, data):
    """One task: `binary match ARGS` over DATA (the partition's lines, bytes).
    Returns (output bytes, number of output lines, bad lines as
    [(input line, message)], worker address). FIRST_LINE is the input line
    number of the partition's first line, to renumber the binary's errors."""
    try:
        from distributed import get_worker
        where = get_worker().address
    except (ImportError, ValueError):
        where = "local"
    full_env = dict(os.environ)
    full_env.update(env)
    p = subprocess.run([binary, "match"] + args, input=data, env=full_env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        raise RuntimeError(f"{binary} match exited with status {p.returncode} on {where}: "
                           + p.stderr.decode("utf-8", "replace").strip())
    out, bad = [], []
    for line in p.stdout.splitlines(keepends=True):
        m = ERR_RE.search(line) if line.startswith(b'{"id":') else None
        if m:
            n = first_line - 1 + int(m.group(2))
            line = line[:m.start(2)] + str(n).encode() + line[m.end(2):]
            msg = json.loads(line)["error"].split(": ", 1)[-1]
            bad.append((n, msg))
        out.append(line)
    # The binary skips empty lines and answers every other one.
    want = sum(1 for ln in data.splitlines(keepends=True) if ln not in (b"\n", b""))
    if len(out) != want:
        raise RuntimeError(f"{binary} match wrote {len(out)} lines for {want} input lines on {where}")
    return b"".join(out), len(out), bad, where


def partitions(f, size):
    """Yields (number, first line number, bytes of up to SIZE lines)."""
    buf, first, lineno, n = [], 1, 0, 0
    for line in f:
        lineno += 1
        if not line.endswith(b"\n"):
            line += b"\n"
        buf.append(line)
        if len(buf) == size:
            yield n, first, b"".join(buf)
            n, first, buf = n + 1, lineno + 1, []
    if buf:
        yield n, first, b"".join(buf)


def parse_args(argv):
    ap = argparse.ArgumentParser(
        prog="dask_match.py",
        description="Match a JSON-lines file of job ads or CVs to ESCO occupations with "
        "`skillsearch match`, partitioned over a Dask cluster. Input and output lines are "
        "those of `skillsearch match` batch mode ({\"id\": ..., \"text\": ..., \"title\": ...} in, "
        "one JSON line out per input line); the output is in input order, identical to "
        "the single-process batch.",
        epilog="Every worker needs --bin and --index at the same absolute paths. Progress "
        "goes to stderr. Exit status: 0 done, 1 the batch failed, 2 bad usage or setup.")
    ap.add_argument("--scheduler", metavar="ADDRESS",
                    help="Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: a LocalCluster)")
    ap.add_argument("--connect-timeout", type=float, default=20, metavar="SECONDS",
                    help="give up on a --scheduler that does not answer after this long "
                    "(default 20)")
    ap.add_argument("--workers", type=int, default=2, metavar="N",
                    help="LocalCluster worker processes without --scheduler (default 2)")
    ap.add_argument("--threads-per-worker", type=int, default=1, metavar="N",
                    help="LocalCluster threads per worker (default 1)")
    ap.add_argument("--index", required=True, help="index directory, the same path on every worker")
    ap.add_argument("--bin", default=None,
                    help="skillsearch binary, the same path on every worker (default: ./skillsearch)")
    ap.add_argument("--data", default=None, help="stop lists directory (passed to match --data)")
    ap.add_argument("--limit", type=int, default=None, metavar="N",
                    help="occupations per document (match --limit)")
    ap.add_argument("--match-threads", type=int, default=1, metavar="N",
                    help="match --threads inside each task (default 1: Dask's worker "
                    "threads are the parallelism)")
    ap.add_argument("--partition-lines", type=int, default=500, metavar="N",
                    help="input lines per task (default 500)")
    ap.add_argument("--in-flight", type=int, default=0, metavar="N",
                    help="partitions submitted and not yet written, which bounds the "
                    "driver's memory (default: 4 per worker thread)")
    ap.add_argument("--retries", type=int, default=2, metavar="N",
                    help="reruns of a task that raised (default 2); tasks of a lost "
                    "worker are rerun by Dask itself")
    ap.add_argument("input", help="JSON-lines input, - for stdin")
    ap.add_argument("output", help="JSON-lines output, - for stdout")
    a = ap.parse_args(argv)
    for name in ("workers", "threads_per_worker", "match_threads", "partition_lines"):
        if getattr(a, name) < 1:
            ap.error(f"--{name.replace('_', '-')} must be at least 1")
    if a.retries < 0 or a.in_flight < 0:
        ap.error("--retries and --in-flight must not be negative")
    if a.limit is not None and not 1 <= a.limit <= 100:
        ap.error("--limit must be 1-100")
    if not 0 < a.connect_timeout < float("inf"):  # also NaN
        ap.error("--connect-timeout must be a number of seconds above 0")
    return a


def main(argv=None):
    a = parse_args(argv)
    binary = os.path.abspath(a.bin or "skillsearch")
    index = os.path.abspath(a.index)
    if not a.scheduler:  # the workers are this machine: check here first
        why = check_paths(binary, index)
        if why:
            die(why.split(": ", 1)[1])
    if a.input != "-" and not os.path.isfile(a.input):
        die(f"no input file {a.input}")
    margs = ["--index", index, "--threads", str(a.match_threads)]
    if a.data:
        margs += ["--data", os.path.abspath(a.data)]
    if a.limit is not None:
        margs += ["--limit", str(a.limit)]
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        die(f"{sys.executable} has no Dask distributed (apt-get install python3-distributed; "
            "run with /usr/bin/python3)")

    t0 = time.time()
    cluster = None
    try:
        if a.scheduler:
            client = Client(a.scheduler, timeout=f"{a.connect_timeout}s")
        else:
            cluster = LocalCluster(n_workers=a.workers, threads_per_worker=a.threads_per_worker,
                                   dashboard_address=None, processes=True)
            client = Client(cluster)
    except (OSError, TimeoutError) as e:
        die(f"cannot reach the Dask scheduler {a.scheduler}: {e}")
    except ValueError as e:  # distributed's own words on a malformed address
        if not a.scheduler:
            raise
        die(f"bad Dask scheduler address {a.scheduler!r}: {e}")
    try:
        return run(a, client, binary, margs, index, t0)
    finally:
        client.close()
        if cluster:
            cluster.close()


def run(a, client, binary, margs, index, t0):
    from distributed import as_completed
    info = client.scheduler_info()["workers"]
    if not info:
        die(f"the scheduler {client.scheduler.address} has no workers")
    threads = sum(w["nthreads"] for w in info.values())
    problems = [w for w in client.run(check_paths, binary, index).values() if w]
    if problems:
        die("workers lack the binary or the index (each needs them at the same path):\n  "
            + "\n  ".join(problems))
    print(f"{PROG}: {len(info)} workers, {threads} threads on {client.scheduler.address}; "
          f"{a.partition_lines} lines per partition", file=sys.stderr)

    env = skillsearch_env()
    run_id = uuid.uuid4().hex[:8]
    window = a.in_flight or 4 * threads
    fin = sys.stdin.buffer if a.input == "-" else open(a.input, "rb")
    fout = sys.stdout.buffer if a.output == "-" else open(a.output + ".part", "wb")
    src = partitions(fin, a.partition_lines)
    ac = as_completed()
    keys = {}          # future key -> partition number
    done = {}          # partition number -> output, held until its turn
    next_out = 0
    lines = bad_total = 0
    per_worker = {}
    more = True

    def submit_one():
        nonlocal more
        try:
            n, first, data = next(src)
        except StopIteration:
            more = False
            return
        fut = client.submit(match_partition, binary, margs, env, first, data,
                            key=f"skillsearch-match-{run_id}-{n}", retries=a.retries, pure=False)
        keys[fut.key] = n
        ac.add(fut)

    last = 0.0
    failed = False
    try:
        while more and len(keys) < window:
            submit_one()
        for fut in ac:
            n = keys.pop(fut.key)
            try:
                out, count, bad, where = fut.result()
            except Exception as e:  # the task's own error, after its retries
                print(f"{PROG}: partition {n} (input lines from {n * a.partition_lines + 1}) "
                      f"failed: {e}", file=sys.stderr)
                client.cancel(list(ac.futures))
                failed = True
                return 1
            fut.release()
            done[n] = out
            lines += count
            per_worker[where] = per_worker.get(where, 0) + 1
            for ln, msg in bad:
                if bad_total < 20:
                    print(f"{PROG}: {a.input}:{ln}: {msg}", file=sys.stderr)
                bad_total += 1
            while next_out in done:
                fout.write(done.pop(next_out))
                next_out += 1
            while more and len(keys) < window:
                submit_one()
            now = time.time()
            if now - last >= 1 or not keys:
                last = now
                print(f"{PROG}: {next_out} partitions written, {len(keys)} in flight, "
                      f"{lines} lines, {lines / max(now - t0, 1e-9):.0f} lines/s",
                      file=sys.stderr, flush=True)
    finally:
        if fin is not sys.stdin.buffer:
            fin.close()
        if fout is not sys.stdout.buffer:
            fout.close()
            if failed:
                os.unlink(a.output + ".part")
    if fout is not sys.stdout.buffer:
        os.replace(a.output + ".part", a.output)
    wall = time.time() - t0
    if bad_total > 20:
        print(f"{PROG}: ... {bad_total - 20} more bad lines", file=sys.stderr)
    spread = ", ".join(f"{w} {c}" for w, c in sorted(per_worker.items()))
    print(f"{PROG}: done: {lines} lines in {next_out} partitions, {bad_total} bad lines, "
          f"{wall:.2f} s, {lines / max(wall, 1e-9):.0f} lines/s; partitions per worker: {spread}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
