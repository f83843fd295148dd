#!/usr/bin/env bash
# CPU per request of one operation against `idem serve`: the server process's CPU time (from
# /proc/PID/stat) and, where the machine exposes hardware counters, its instructions and cycles
# (`perf stat`). Instructions per request are steadier than req/s on a shared machine, where a
# neighbour's load moves req/s by 20% between runs; CPU time per request is not (a slowed core
# takes longer per request too): compare builds in several alternating runs.
# A profiling aid for comparing two builds, not a benchmark result (bench/README.md).
#
# usage: bench/cost-per-request.sh OP [SCALE] [ROOT]
#   OP     get | replay | put | cond-put | patch | post | post-idem | post-idem-v4   (bench/lib/ops.js)
#   SCALE  stored customers, seeded through idem's engine (default 1000)
#   ROOT   checkout whose dist/ to run (default: this one), e.g. a `git worktree` of another commit
# env: DB_QUERY  options appended to the server's sqlite URL, e.g. DB_QUERY='?read_cache_mb=64'
# needs: a built dist/ (npm run build); perf (Debian: linux-perf) for the instruction counts
set -euo pipefail
OP=${1:?usage: bench/cost-per-request.sh OP [SCALE] [ROOT]}
SCALE=${2:-1000}
HERE=$(cd "$(dirname "$0")/.." && pwd)
ROOT=$(cd "${3:-$HERE}" && pwd)
WORK=$(mktemp -d)
SERVER=
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

node "$HERE/bench/lib/seed-idem-worker.js" \
  "{\"root\":\"$ROOT\",\"db\":\"sqlite:$WORK/idem.db\",\"count\":$SCALE,\"concurrency\":16,\"idsFile\":\"$WORK/ids.json\"}" >/dev/null
PORT=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
# The node flags of the `idem` command's own #! line, as the bench runs it.
NODE_FLAGS=$(node --input-type=module -e "const { shebangNodeFlags } = await import('$HERE/bench/lib/idem-command.js'); console.log(shebangNodeFlags('$ROOT/dist/cli.js').join(' '))")
# shellcheck disable=SC2086 # the flags are words
(cd "$ROOT" && exec node $NODE_FLAGS dist/cli.js serve --port "$PORT" --host 127.0.0.1 --db "sqlite:$WORK/idem.db${DB_QUERY:-}" --log-level warn) >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.1; done

load() { # seconds, output file
  node "$HERE/bench/lib/load-worker.js" \
    "{\"url\":\"http://127.0.0.1:$PORT\",\"op\":\"$OP\",\"connections\":50,\"duration\":$1,\"warmup\":0,\"idsFile\":\"$WORK/ids.json\",\"patchType\":\"application/merge-patch+json\"}" >"$2"
}
load 2 "$WORK/warmup.json"
load 7 "$WORK/load.json" &
LOADER=$!
sleep 1
# utime + stime of the server, in clock ticks, around the 5 counted seconds.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER/stat"; }
TICKS0=$(cpu_ticks)
if command -v perf >/dev/null; then
  perf stat -x, -e instructions,cycles -p "$SERVER" -- sleep 5 2>"$WORK/perf.txt"
else
  sleep 5
fi
TICKS1=$(cpu_ticks)
wait "$LOADER"
HWM=$(awk '/VmHWM/ {print $2}' "/proc/$SERVER/status")
node -e "
  const fs = require('fs');
  const load = JSON.parse(fs.readFileSync('$WORK/load.json', 'utf8'));
  const requests = load.rps * 5; // the 5 counted seconds, at the run's average rate
  const cpuUs = (($TICKS1 - $TICKS0) / $(getconf CLK_TCK)) * 1e6 / requests;
  // perf prints '<not supported>' where the (virtual) machine hides its counters.
  const perf = fs.existsSync('$WORK/perf.txt') ? fs.readFileSync('$WORK/perf.txt', 'utf8') : '';
  const counts = Object.fromEntries(perf.trim().split('\\n').map((line) => line.split(','))
    .filter((f) => f.length > 2 && /^[0-9]/.test(f[0])).map((f) => [f[2].replace(/:u\$/, ''), Number(f[0])]));
  console.log([
    '$OP at $SCALE', 'CPU µs/req ' + cpuUs.toFixed(1),
    counts.instructions ? 'kinstr/req ' + (counts.instructions / requests / 1000).toFixed(1) : 'kinstr/req n/a',
    counts.cycles ? 'kcycles/req ' + (counts.cycles / requests / 1000).toFixed(1) : 'kcycles/req n/a',
    'req/s ' + Math.round(load.rps), 'peak RSS ' + Math.round($HWM / 1024) + ' MB', 'non-2xx ' + load.non2xx,
  ].join('  '));
"
