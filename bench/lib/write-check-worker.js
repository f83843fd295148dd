/**
 * Correctness under load, as its own process: `node bench/lib/write-check-worker.js '<spec>'`.
 * For `seconds`, `connections` workers each loop POST, PUT, PATCH (every response awaited, so
 * nothing is in flight when it ends — unlike a load tool cut off at its deadline). Then every
 * id a 2xx POST returned is read back. The driver compares the store's count afterwards with
 * seeded + 2xx POSTs: a lost or duplicated write shows up as a difference.
 *
 * spec: { url, seconds, connections, idsFile, patchType }
 */
import { readFileSync } from 'node:fs';
import { send, pool, createdId } from './http-client.js';

const JSON_TYPE = 'application/json';

async function main() {
  const spec = JSON.parse(process.argv[2] ?? '{}');
  const seeded = JSON.parse(readFileSync(spec.idsFile, 'utf8'));
  const deadline = Date.now() + spec.seconds * 1000;
  const created = [];
  const counts = { postOk: 0, postFailed: 0, writeOk: 0, writeFailed: 0, errors: 0 };
  /** @type {Record<string, number>} */
  const statuses = {};
  let n = 0;
  const path = (id) => `/customers/${encodeURIComponent(String(id))}`;

  const worker = async () => {
    while (Date.now() < deadline) {
      const i = n++;
      const doc = JSON.stringify({ name: `check ${i}`, age: i % 120, city: 'Faro' });
      try {
        if (i % 3 === 0) {
          const res = await send(spec.url, 'POST', '/customers', { 'content-type': JSON_TYPE }, doc);
          statuses[`POST ${res.status}`] = (statuses[`POST ${res.status}`] ?? 0) + 1;
          if (res.status >= 200 && res.status < 300) {
            counts.postOk++;
            created.push(createdId(res));
          } else counts.postFailed++;
        } else {
          const id = seeded[i % seeded.length];
          const res = i % 3 === 1
            ? await send(spec.url, 'PUT', path(id), { 'content-type': JSON_TYPE }, doc)
            : await send(spec.url, 'PATCH', path(id), { 'content-type': spec.patchType }, JSON.stringify({ age: i % 120 }));
          const key = `${i % 3 === 1 ? 'PUT' : 'PATCH'} ${res.status}`;
          statuses[key] = (statuses[key] ?? 0) + 1;
          if (res.status >= 200 && res.status < 300) counts.writeOk++;
          else counts.writeFailed++;
        }
      } catch {
        counts.errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: spec.connections }, worker));

  // Read back every acknowledged create: a 2xx that the store forgot is a lost write.
  let missing = 0;
  const ids = created.filter((id) => id !== undefined && id !== '');
  await pool(ids.length, 16, async (k) => {
    const res = await send(spec.url, 'GET', path(ids[k]), {}, undefined);
    if (res.status !== 200) missing++;
  });
  const distinct = new Set(ids.map(String)).size;
  process.stdout.write(`${JSON.stringify({ ...counts, statuses, createdIds: ids.length, distinct, missing })}\n`);
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stdout.write(`${JSON.stringify({ error: String(err?.stack ?? err) })}\n`);
    process.exit(1);
  },
);
