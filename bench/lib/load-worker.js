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

/** Width of a latency bucket, ms: finer than autocannon's own whole milliseconds. */
const BUCKET_MS = 0.1;

/**
 * One autocannon run. With `latencies`, every response's latency is also counted there, by
 * bucket, so the rounds of one operation can be pooled into one distribution (rounds.js).
 * @param {string} url
 * @param {number} connections
 * @param {number} duration seconds
 * @param {object[]} requests
 * @param {Map<number, number>} [latencies]  bucket index → responses
 */
function cannon(url, connections, duration, requests, latencies) {
  return new Promise((resolve, reject) => {
    const instance = autocannon({ url, connections, duration, pipelining: 1, timeout: 30, requests }, (err, result) => {
      if (err) reject(err);
      else resolve(result);
    });
    if (latencies) {
      instance.on('response', (_client, _status, _bytes, ms) => {
        const bucket = Math.floor(ms / BUCKET_MS);
        latencies.set(bucket, (latencies.get(bucket) ?? 0) + 1);
      });
    }
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
  const latencies = new Map();
  const r = await cannon(spec.url, spec.connections, spec.duration, requests, latencies);
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
    // The latency distribution: [upper bound ms, responses] per non-empty 0.1 ms bucket.
    latencyHistogram: [...latencies].sort((a, b) => a[0] - b[0]).map(([bucket, n]) => [Math.round((bucket + 1) * BUCKET_MS * 10) / 10, n]),
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
