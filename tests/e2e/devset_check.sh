#!/usr/bin/env bash
# Dev-set checks on the full index: MRR@10 must beat the SQLite FTS5 peer,
# measured here on the same data. Env: BIN, ESCO_INDEX, ESCO_DIR, WORK.
set -u
EVAL=${EVAL:-$(dirname "$ESCO_DIR")/../eval}
passed=0 failed=0
if [ ! -f "$EVAL/score.py" ]; then
    echo "no eval data at $EVAL: skipped"; echo "0 passed, 0 failed"; exit 0
fi
mrr() { python3 "$EVAL/score.py" "$1" "$2" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["mrr10"])'; }
python3 "$EVAL/fts5_baseline.py" build "$ESCO_DIR" "$WORK/fts5.db" 2>/dev/null
check() { # set kind minimum-or-empty [command [note]]
    local set=$1 kind=$2 floor=${3:-} cmd=${4:-search} note=${5:-}
    if [ "$cmd" = match ]; then
        "$BIN" match --index "$ESCO_INDEX" < "$EVAL/$set.jsonl" > "$WORK/$set.ours"
    else
        "$BIN" search --index "$ESCO_INDEX" --type "$kind" --json < "$EVAL/$set.jsonl" > "$WORK/$set.ours"
    fi
    python3 "$EVAL/fts5_baseline.py" search "$WORK/fts5.db" "$kind" 10 < "$EVAL/$set.jsonl" > "$WORK/$set.fts5" 2>/dev/null
    local ours fts
    ours=$(mrr "$EVAL/$set.jsonl" "$WORK/$set.ours")
    fts=$(mrr "$EVAL/$set.jsonl" "$WORK/$set.fts5")
    if python3 -c "import sys; o,f=float('$ours'),float('$fts'); sys.exit(0 if o > f and o >= float('${floor:-0}') else 1)"; then
        echo "ok   $set MRR@10 $ours > FTS5 $fts$note"; passed=$((passed + 1))
    else
        echo "FAIL $set MRR@10 $ours, FTS5 $fts, floor ${floor:-none}"; failed=$((failed + 1))
    fi
}
# floors a little under the scores (jobtitles 0.484, ads 0.535 when
# written); every seed query has an answer first (the learned-ranking
# issue asks it)
check jobtitles_dev occupation 0.47
check seed_dev occupation 1.0
# The shipped skill ranker learned from the two skills sets (they have no
# train split), so its score on them is in-sample; the measure is the
# 5-fold cross-validated one below (learn/kfold.py, near-duplicate
# sentences kept in one fold), held at the learned-ranking issue's targets.
insample=" (in-sample: the skill ranker learned from this set)"
check skills_tech_dev skill 0.55 search "$insample"
check skills_house_dev skill 0.40 search "$insample"
# typed skill phrases: the ranker learned sentences, with ESCO's hidden
# labels (misspellings, old names) weighed in so that it keeps these
check seed_skills_dev skill 0.66
cv=$(BIN="$BIN" python3 "$(dirname "$0")/../../learn/kfold.py" --index "$ESCO_INDEX" \
    --set "$EVAL/skills_tech_dev.jsonl" --set "$EVAL/skills_house_dev.jsonl" \
    --type skill --labels hidden --esco-weight 0.05 2>/dev/null)
for set_floor in skills_tech_dev:0.70 skills_house_dev:0.48; do
    set=${set_floor%%:*} floor=${set_floor##*:}
    m=$(grep "^$set.jsonl " <<<"$cv" | grep -oE '[0-9.]+$')
    if python3 -c "import sys; sys.exit(0 if float('${m:-0}') >= $floor else 1)"; then
        echo "ok   $set 5-fold cross-validated MRR@10 $m (floor $floor)"; passed=$((passed + 1))
    else
        echo "FAIL $set 5-fold cross-validated MRR@10 ${m:-?} (floor $floor)"; failed=$((failed + 1))
    fi
done
check jobads_dev occupation 0.52 match
# A learned fusion of what match weighs (learn/fusion_kfold.py, 5-fold):
# its "shipped order" replays match's ranking from the --features output,
# so it must equal the jobads_dev figure above; the learned figures are
# printed as the measurement README quotes (0.531-0.539 when written).
ads=$(mrr "$EVAL/jobads_dev.jsonl" "$WORK/jobads_dev.ours")
fk=$(BIN="$BIN" python3 "$(dirname "$0")/../../learn/fusion_kfold.py" "$ESCO_INDEX" "$EVAL" 2>&1)
echo "$fk"
shipped=$(grep '^shipped order' <<<"$fk" | grep -oE '[0-9.]+$')
if python3 -c "import sys; sys.exit(0 if abs(float('${shipped:-0}') - float('$ads')) < 1e-3 else 1)" &&
    [ "$(grep -c '5-fold' <<<"$fk")" -eq 3 ]; then
    echo "ok   fusion inputs replay match's order: $shipped = $ads"; passed=$((passed + 1))
else
    echo "FAIL fusion inputs: shipped order ${shipped:-?}, match $ads"; failed=$((failed + 1))
fi
# The same ads without their title line (a pasted ad body, a task list):
# read as untitled unless a field declares the title ("Position: ..."),
# ranked by `match` (the occupations the text names count), against FTS5
# on the same text; issue 15 asks for FTS5 + 0.10. 0.374 vs 0.255 when
# written.
python3 - "$EVAL/jobads_dev.jsonl" > "$WORK/jobads_untitled.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    o = json.loads(line)
    o["query"] = o["query"].partition("\n")[2].strip()
    print(json.dumps(o))
PY
"$BIN" match --index "$ESCO_INDEX" < "$WORK/jobads_untitled.jsonl" > "$WORK/jobads_untitled.ours"
python3 "$EVAL/fts5_baseline.py" search "$WORK/fts5.db" occupation 10 < "$WORK/jobads_untitled.jsonl" > "$WORK/jobads_untitled.fts5" 2>/dev/null
ours=$(mrr "$WORK/jobads_untitled.jsonl" "$WORK/jobads_untitled.ours")
fts=$(mrr "$WORK/jobads_untitled.jsonl" "$WORK/jobads_untitled.fts5")
# how the bodies were read: untitled, but for the few declaring a title
read=$(python3 -c 'import collections, json, sys
c = collections.Counter(json.loads(l).get("read_as") for l in open(sys.argv[1]))
print(" ".join("%s %d" % kv for kv in sorted(c.items())))' "$WORK/jobads_untitled.ours")
if python3 -c "import sys; sys.exit(0 if float('$ours') >= float('$fts') + 0.10 else 1)"; then
    echo "ok   jobads_dev untitled MRR@10 $ours >= FTS5 $fts + 0.10 (read as: $read)"; passed=$((passed + 1))
else
    echo "FAIL jobads_dev untitled MRR@10 $ours, FTS5 $fts: wanted FTS5 + 0.10 (read as: $read)"; failed=$((failed + 1))
fi
# Preferred labels finding their own concept first (learn/selfcheck.py):
# every one, occupations and skills (the `exact` signal; 98.27% of
# occupations before the learned ranker).
self=$(BIN="$BIN" python3 "$(dirname "$0")/../../learn/selfcheck.py" "$ESCO_INDEX")
echo "$self"
for kind_floor in occupation:100 skill:100; do
    kind=${kind_floor%%:*} floor=${kind_floor##*:}
    pct=$(grep "^$kind:" <<<"$self" | grep -oE '[0-9.]+%' | tr -d %)
    if python3 -c "import sys; sys.exit(0 if float('${pct:-0}') >= $floor else 1)"; then
        echo "ok   $kind preferred labels first: $pct% (floor $floor%)"; passed=$((passed + 1))
    else
        echo "FAIL $kind preferred labels first: ${pct:-?}% (floor $floor%)"; failed=$((failed + 1))
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
