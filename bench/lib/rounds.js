/**
 * One result from several rounds of the same (peer, operation).
 *
 * Operations compared with each other (run.js, PAIRED_OPS) are measured in the same rounds,
 * their order reversed every other round like the peers'.
 *
 * Each operation is measured in rounds, peer after peer, with the peer order reversed every
 * other round: a stretch of background load on this shared machine (a neighbour we cannot see
 * in /proc) then lands on part of several peers' runs instead of all of one peer's, and slow
 * drift cancels between the two orders. A 10 s single run once measured idem's GET at 34.9k
 * req/s (0.63x the hand-written server); the same build measured 48.9k–55.9k minutes later.
 */

/** CPU shares averaged over rounds (each round has the same length). */
function averageCpu(runs) {
  const withCpu = runs.filter((r) => r.cpu);
  if (withCpu.length === 0) return null;
  const avg = (get) => Math.round((withCpu.reduce((a, r) => a + (get(r) ?? 0), 0) / withCpu.length) * 1000) / 1000;
  const out = { server: avg((r) => r.cpu.server), loader: avg((r) => r.cpu.loader), other: avg((r) => r.cpu.other) };
  const parts = withCpu[0].cpu.parts;
  if (parts) out.parts = Object.fromEntries(Object.keys(parts).map((k) => [k, avg((r) => r.cpu.parts?.[k])]));
  return out;
}

/**
 * The latency at quantile `q` of histograms pooled from several rounds: the upper bound of
 * the bucket holding the response ranked ceil(q × all responses). Null when nothing was counted.
 * @param {Array<Array<[number, number]>>} histograms  per round, [upper bound ms, responses], ascending
 * @param {number} q  e.g. 0.99
 */
export function pooledQuantile(histograms, q) {
  const counts = new Map();
  for (const h of histograms) for (const [ms, n] of h) counts.set(ms, (counts.get(ms) ?? 0) + n);
  const buckets = [...counts].sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((a, [, n]) => a + n, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const [ms, n] of buckets) {
    seen += n;
    if (seen >= rank) return ms;
  }
  return buckets[buckets.length - 1][0];
}

/**
 * Combine the rounds of one (peer, operation): req/s is the mean (equal-length rounds, so the
 * rate over all of them), counts are summed, and every round's own req/s and p99 are kept in
 * `rounds`. p50 and p99 are those of all the rounds' responses pooled — the latency
 * distribution of the whole measured time, which is what "p99 at 50 connections" asks about —
 * and `p99WorstRound` keeps the highest single round's (the figure reported until 2026-12-05,
 * when each operation ran in 2 rounds). A round that failed makes the result fail.
 * @param {object[]} runs
 */
export function combineRounds(runs) {
  if (runs.length === 1) return runs[0];
  const failed = runs.find((r) => r.error);
  if (failed) return { ...failed, rounds: runs.map(roundSummary) };
  const sum = (key) => runs.reduce((a, r) => a + (r[key] ?? 0), 0);
  const worst = (key) => (runs.every((r) => typeof r[key] === 'number') ? Math.max(...runs.map((r) => r[key])) : null);
  // A load process from before the histograms has none: fall back to the worst round's.
  const histograms = runs.every((r) => Array.isArray(r.latencyHistogram)) ? runs.map((r) => r.latencyHistogram) : null;
  const pooled = (q, key) => (histograms ? pooledQuantile(histograms, q) : worst(key));
  const statusCodes = {};
  for (const r of runs) for (const [code, n] of Object.entries(r.statusCodes ?? {})) statusCodes[code] = (statusCodes[code] ?? 0) + n;
  const notes = runs.map((r) => r.note).filter(Boolean);
  return {
    op: runs[0].op,
    rps: sum('rps') / runs.length,
    total: sum('total'),
    p50: pooled(0.5, 'p50'),
    p99: pooled(0.99, 'p99'),
    p99WorstRound: worst('p99'),
    max: worst('max'),
    ok: sum('ok'),
    non2xx: sum('non2xx'),
    errors: sum('errors'),
    timeouts: sum('timeouts'),
    cpu: averageCpu(runs),
    pinned: runs.every((r) => r.pinned),
    statusCodes,
    ...(notes.length > 0 && { note: notes.join('; ') }),
    rounds: runs.map(roundSummary),
  };
}

function roundSummary(r) {
  return r.error ? { error: r.error } : { rps: r.rps, p99: r.p99 };
}
