/**
 * Bench settings, read once from the environment so a run is repeatable from its command line.
 *
 *   BENCH_QUICK=1            development mode: 3 s runs, 1 s warm-up, 1k resources only
 *   BENCH_DURATION=10        seconds of measured load per (peer, operation), over all rounds
 *   BENCH_ROUNDS=4           rounds per operation, peer order reversed every other round (1 when quick)
 *   BENCH_REWARM=1           warm-up seconds before each later round of a (peer, operation)
 *   BENCH_WARMUP=2           seconds of discarded load before the first round of a (peer, operation)
 *   BENCH_CONNECTIONS=50     concurrent keep-alive connections
 *   BENCH_SCALES=1000,100000 stored resources before the run
 *   BENCH_PEERS=...          comma list of peer names (see PEER_NAMES)
 *   BENCH_OPS=...            comma list of operations (see OP_NAMES)
 *   BENCH_CHECK_DURATION=10  seconds of concurrent writes for the correctness check (0 skips it)
 *   BENCH_GROWTH=0           skip PUT at the smallest and largest scale in alternating rounds (lib/growth.js)
 *   BENCH_PROXY=0            skip the proxy-overhead section (issue 10)
 *   BENCH_CHART=0            skip the PNG chart
 *   BENCH_PIN=0              do not pin servers and load generator to separate cores (lib/affinity.js)
 */
import { cpuPlan } from './affinity.js';

/** Every peer the bench knows, in the order they are run and reported. */
export const PEER_NAMES = [
  'ceiling',
  'handwritten',
  'json-server-0.17',
  'json-server-1',
  'idem-sqlite',
  'idem-postgres',
  'idem-postgres-x2',
];

/**
 * The order peers are measured in within a round (reversed every other round). The peers a
 * target compares — idem (SQLite) against the ceiling and the hand-written server — run next to
 * each other, so the seconds between their runs are as few as possible: on this shared machine
 * the pace changes within a minute, and with json-server measured between them (their place in
 * PEER_NAMES) idem ran 30–40 s after the ceiling.
 */
export const RUN_ORDER = ['ceiling', 'handwritten', 'idem-sqlite', 'idem-postgres', 'idem-postgres-x2', 'json-server-0.17', 'json-server-1'];

/**
 * Every operation, in the order they run against one peer. Creating operations come last so the
 * stored count is still the nominal scale while reads and replacements are measured.
 */
export const OP_NAMES = ['get', 'replay', 'put', 'cond-put', 'patch', 'post', 'post-idem', 'post-idem-v4'];

/** Human labels for operations, used in tables and the chart. */
export const OP_LABELS = {
  get: 'GET by id',
  replay: 'POST replay (same key)',
  put: 'PUT replace',
  'cond-put': 'PUT If-Match',
  patch: 'PATCH merge-patch',
  post: 'POST create',
  'post-idem': 'POST + Idempotency-Key',
  'post-idem-v4': 'POST + random (v4) key',
};

/**
 * Parse a comma list from the environment, keeping only known names.
 * @param {string | undefined} raw
 * @param {string[]} known
 * @param {string} variable  for the error message
 * @returns {string[]}
 */
function parseList(raw, known, variable) {
  if (raw === undefined || raw.trim() === '') return [...known];
  const wanted = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = wanted.filter((w) => !known.includes(w));
  if (unknown.length > 0) {
    throw new Error(`${variable}: unknown ${unknown.join(', ')}; known: ${known.join(', ')}`);
  }
  // Keep the canonical order so reports read the same way every run.
  return known.filter((k) => wanted.includes(k));
}

/**
 * A positive number from the environment, or the default.
 * @param {string | undefined} raw
 * @param {number} fallback
 * @param {string} variable
 */
function parseNumber(raw, fallback, variable) {
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${variable} must be a number >= 0, got ${raw}`);
  return n;
}

/**
 * The bench configuration for this run.
 * @param {NodeJS.ProcessEnv} env
 */
export function loadConfig(env = process.env) {
  const quick = env.BENCH_QUICK === '1' || env.BENCH_QUICK === 'true';
  const scales = (env.BENCH_SCALES ?? (quick ? '1000' : '1000,100000'))
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
  if (scales.length === 0) throw new Error('BENCH_SCALES must list positive integers, e.g. 1000,100000');
  return {
    quick,
    duration: parseNumber(env.BENCH_DURATION, quick ? 3 : 10, 'BENCH_DURATION'),
    warmup: parseNumber(env.BENCH_WARMUP, quick ? 1 : 2, 'BENCH_WARMUP'),
    rounds: Math.max(1, Math.round(parseNumber(env.BENCH_ROUNDS, quick ? 1 : 4, 'BENCH_ROUNDS'))),
    // Later rounds of a (peer, operation) find it warm: a shorter warm-up keeps the rounds close.
    rewarm: parseNumber(env.BENCH_REWARM, 1, 'BENCH_REWARM'),
    connections: parseNumber(env.BENCH_CONNECTIONS, 50, 'BENCH_CONNECTIONS'),
    scales,
    peers: parseList(env.BENCH_PEERS, PEER_NAMES, 'BENCH_PEERS'),
    ops: parseList(env.BENCH_OPS, OP_NAMES, 'BENCH_OPS'),
    checkDuration: parseNumber(env.BENCH_CHECK_DURATION, quick ? 3 : 10, 'BENCH_CHECK_DURATION'),
    growth: env.BENCH_GROWTH !== '0',
    proxy: env.BENCH_PROXY !== '0',
    chart: env.BENCH_CHART !== '0',
    pin: cpuPlan(env),
  };
}
