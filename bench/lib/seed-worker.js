/**
 * Seed a peer over HTTP, as its own process: `node bench/lib/seed-worker.js '<json spec>'`.
 * POSTs `count` customers with `concurrency` requests in flight and writes the created ids
 * (in creation order) to `idsFile`. Used for idem, whose stored rows carry ETags, history and
 * versions that only idem itself should write.
 *
 * spec: { url, count, concurrency, idsFile }
 */
import { writeFileSync } from 'node:fs';
import { send, pool, createdId } from './http-client.js';

async function main() {
  const spec = JSON.parse(process.argv[2] ?? '{}');
  const ids = new Array(spec.count);
  let failed = 0;
  /** @type {string | undefined} */
  let firstFailure;
  const started = Date.now();
  await pool(spec.count, spec.concurrency, async (i) => {
    const body = JSON.stringify({ name: `seed ${i}`, age: i % 120, city: 'Porto' });
    const res = await send(spec.url, 'POST', '/customers', { 'content-type': 'application/json' }, body);
    const id = res.status === 201 ? createdId(res) : undefined;
    if (id === undefined) {
      failed++;
      firstFailure ??= `${res.status} ${res.body.slice(0, 300)}`;
    } else {
      ids[i] = id;
    }
  });
  const created = ids.filter((id) => id !== undefined);
  writeFileSync(spec.idsFile, JSON.stringify(created));
  const seconds = (Date.now() - started) / 1000;
  process.stdout.write(`${JSON.stringify({ created: created.length, failed, firstFailure, seconds })}\n`);
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stdout.write(`${JSON.stringify({ error: String(err?.stack ?? err) })}\n`);
    process.exit(1);
  },
);
