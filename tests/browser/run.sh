#!/usr/bin/env bash
# Real-browser test of the web page against a live `skillsearch serve`.
# Env: BIN (skillsearch binary, default ./skillsearch), INDEX (index built from data/sample; when unset,
#      one is built into a temporary dir from $ESCO, default data/sample),
#      ARTIFACTS (screenshot dir, default tests/artifacts), CHROMIUM (default /usr/bin/chromium).
# The server also serves French and Dutch indexes built from data/sample-fr and data/sample-nl,
# so that the page's language menu can be tested.
# Needs Debian's chromium (apt-get install -y chromium) and node/npm.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
abspath() { case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$PWD/$1" ;; esac; }

BIN=$(abspath "${BIN:-$ROOT/skillsearch}")
ESCO=$(abspath "${ESCO:-$ROOT/data/sample}")
ARTIFACTS=$(abspath "${ARTIFACTS:-$ROOT/tests/artifacts}")
export CHROMIUM=${CHROMIUM:-/usr/bin/chromium}

[ -x "$BIN" ] || { echo "run.sh: no executable $BIN" >&2; exit 1; }
[ -x "$CHROMIUM" ] || { echo "run.sh: no browser at $CHROMIUM (apt-get install -y chromium)" >&2; exit 1; }
mkdir -p "$ARTIFACTS"

TMP=$(mktemp -d)
SERVER=
cleanup() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT

if [ -n "${INDEX:-}" ]; then
  INDEX=$(abspath "$INDEX")
  [ -e "$INDEX" ] || { echo "run.sh: no index at $INDEX" >&2; exit 1; }
else
  INDEX="$TMP/index"
  (cd "$ROOT" && "$BIN" index --esco "$ESCO" --out "$INDEX" --quiet)
fi

for l in fr nl; do
  (cd "$ROOT" && "$BIN" index --esco "data/sample-$l" --lang "$l" --out "$TMP/index-$l" --quiet)
done

if [ ! -d "$HERE/node_modules/playwright-core" ]; then
  (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error)
fi

# A free port from the kernel; a tiny race with other processes is acceptable in CI.
PORT=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")

cd "$ROOT"
"$BIN" serve --index "en=$INDEX" --index "fr=$TMP/index-fr" --index "nl=$TMP/index-nl" --port "$PORT" --web web >"$ARTIFACTS/server.log" 2>&1 &
SERVER=$!

export BASE_URL="http://127.0.0.1:$PORT"
ready=0
for _ in $(seq 1 150); do
  if ! kill -0 "$SERVER" 2>/dev/null; then
    echo "run.sh: server exited early; log:" >&2; cat "$ARTIFACTS/server.log" >&2; exit 1
  fi
  if node -e "fetch(process.env.BASE_URL+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"; then
    ready=1; break
  fi
  sleep 0.2
done
[ "$ready" = 1 ] || { echo "run.sh: /health never became ready; log:" >&2; cat "$ARTIFACTS/server.log" >&2; exit 1; }

export ARTIFACTS
node "$HERE/test.mjs"
