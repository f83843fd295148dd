/**
 * The load generator, run as its own process: `node bench/lib/load-worker.js '<json spec>'`.
 * It warms the peer up, then measures one operation with autocannon and prints one JSON line.
 *
 * spec: { url, op, connections, duration, warmup, idsFile, patchType, cpuPids }
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { buildRequests } from './ops.js';
import { cpuSnapshot, cpuShares } from './cpu.js';

/**
 * One autocannon run.
 * @param {string} url
 * @param {number} connections
 * @param {number} duration seconds
 * @param {object[]} requests
 */
function cannon(url, connections, duration, requests) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections, duration, pipelining: 1, timeout: 30, requests }, (err, result) => {
      if (err) reject(err);
      else resolve(result);
    });
  });
}

async function main() {
  const spec = JSON.parse(process.argv[2] ?? '{}');
  const ids = JSON.parse(readFileSync(spec.idsFile, 'utf8'));
  const build = () => buildRequests({ url: spec.url, op: spec.op, ids, patchType: spec.patchType });
  let requests = await build();
  if (spec.warmup > 0) {
    await cannon(spec.url, spec.connections, spec.warmup, requests);
    if (spec.op === 'cond-put') {
      // Writes cut off at the end of the warm-up may still land; let them, then re-read ETags.
      await new Promise((r) => setTimeout(r, 500));
      requests = await build();
    }
  }
  const before = cpuSnapshot(spec.cpuPids ?? []);
  const r = await cannon(spec.url, spec.connections, spec.duration, requests);
  const cpu = cpuShares(before, cpuSnapshot(spec.cpuPids ?? []));
  // No response at all within the run: the latency is longer than the run, not 0.
  const none = r.requests.total === 0;
  const out = {
    op: spec.op,
    // Completed responses per second over the whole run (autocannon's per-second average).
    rps: r.requests.average,
    total: r.requests.total,
    p50: none ? null : r.latency.p50,
    p99: none ? null : r.latency.p99,
    max: none ? null : r.latency.max,
    ...(none && { note: `no response completed within the ${spec.duration} s run` }),
    ok: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    // Share of all cores used by the server, by this load generator, and by anything else.
    cpu,
    statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, v.count])),
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stdout.write(`${JSON.stringify({ error: String(err?.stack ?? err) })}\n`);
    process.exit(1);
  },
);
