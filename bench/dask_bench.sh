#!/usr/bin/env bash
# Batch matching throughput, ads/s, on this machine: `skillsearch match`
# as 1 process with 1 thread, 1 process with N threads (N = CPUs), and
# batch/dask_match.py on a loopback Dask cluster (a scheduler and N
# one-thread workers, started here; the driver's own wall time, not the
# cluster start-up). The ads: ../shared/eval/jobads_dev.jsonl repeated
# (ids made unique) up to ADS lines, else synthetic ads from data/sample
# (batch/synth_ads.py). Checks that the Dask output equals the single
# process's. Called by bench/run.sh; prints its own block and writes
# bench/out/dask.json. Skipped with a SKIP line without python3-distributed.
# Env: BIN, INDEX (required: the index to match against), EVAL, ADS (2000),
# PART (200 ads per partition).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(realpath "${BIN:-./skillsearch}")
INDEX=$(realpath -s "$INDEX")  # not the generation: as users name it
EVAL=${EVAL:-../shared/eval}
ADS=${ADS:-2000} PART=${PART:-200}
DASK_PY=/usr/bin/python3
N=$(nproc)
echo
echo "=== batch matching on Dask (bench/dask_bench.sh) ==="
if ! "$DASK_PY" -c 'import distributed' 2>/dev/null || ! command -v dask >/dev/null; then
    echo "SKIP: $DASK_PY has no Dask distributed (apt-get install python3-distributed)"
    exit 0
fi
W=$(mktemp -d /tmp/skillsearch-dask-bench.XXXXXX)
. batch/local_cluster.sh
trap 'rc=$?; dask_down || true; rm -rf "$W"; exit $rc' EXIT

if [ -f "$EVAL/jobads_dev.jsonl" ]; then
    src="$EVAL/jobads_dev.jsonl, repeated"
    "$DASK_PY" - "$EVAL/jobads_dev.jsonl" "$ADS" >"$W/ads.jsonl" <<'EOF'
import json, sys
ads = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
for i in range(int(sys.argv[2])):
    ad = dict(ads[i % len(ads)])
    ad["id"] = f"{ad['id']}-{i // len(ads)}"
    print(json.dumps(ad))
EOF
else
    src="synthetic, from data/sample"
    "$DASK_PY" batch/synth_ads.py "$ADS" >"$W/ads.jsonl"
fi

now() { date +%s.%N; }
rate() { awk -v n="$ADS" -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f %.2f", n / (b - a), b - a }'; }
echo "ads: $ADS ($src), index $INDEX, $N CPUs, load $(cut -d' ' -f1 /proc/loadavg)"
"$BIN" match --index "$INDEX" --threads 1 </dev/null >/dev/null  # warm the page cache
t0=$(now); "$BIN" match --index "$INDEX" --threads 1 <"$W/ads.jsonl" >"$W/one.jsonl"; read -r r1 s1 <<<"$(rate "$t0")"
t0=$(now); "$BIN" match --index "$INDEX" --threads "$N" <"$W/ads.jsonl" >"$W/n.jsonl"; read -r rn sn <<<"$(rate "$t0")"
dask_up "$W" "$N" 1 || { echo "bench: the Dask cluster did not come up: $(tail -n 3 "$W/wait.err")" >&2; exit 1; }
t0=$(now)
"$DASK_PY" batch/dask_match.py --scheduler "$DASK_SCHED" --bin "$BIN" --index "$INDEX" \
    --partition-lines "$PART" "$W/ads.jsonl" "$W/dask.jsonl" 2>"$W/dask.log" \
    || { echo "bench: dask_match.py failed: $(tail -n 3 "$W/dask.log")" >&2; exit 1; }
read -r rd sd <<<"$(rate "$t0")"
same=no
cmp -s "$W/one.jsonl" "$W/dask.jsonl" && cmp -s "$W/one.jsonl" "$W/n.jsonl" && same=yes
printf '  %-46s %8s ads/s  (%s s)\n' "1 process, 1 thread" "$r1" "$s1" \
    "1 process, $N threads" "$rn" "$sn" \
    "Dask, $N workers x 1 thread, $PART-ad partitions" "$rd" "$sd"
echo "  (Dask: the driver's wall time on a running cluster, one \`skillsearch match\`"
echo "   process per partition; outputs identical to the single process: $same)"
mkdir -p bench/out
cat >bench/out/dask.json <<EOF
{"ads": $ADS, "cpus": $N, "partition_lines": $PART,
 "ads_per_s": {"process_1_thread": $r1, "process_${N}_threads": $rn, "dask_${N}_workers": $rd},
 "identical": "$same"}
EOF
[ "$same" = yes ]
