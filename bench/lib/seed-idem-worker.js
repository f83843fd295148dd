/**
 * Seed idem's store in process, before its server starts: `node bench/lib/seed-idem-worker.js '<spec>'`.
 *
 * Every customer is created by idem's own engine (`createEngine(...).handle(POST /customers)`
 * from the built library), so the rows — ETag, version, history — are exactly what the server
 * writes; only HTTP is skipped. For SQLite the seeding connection uses synchronous=NORMAL
 * (WAL: no fsync per commit; the file is checkpointed and closed before the server opens it
 * with FULL), which is what makes 100k resources take seconds instead of minutes.
 *
 * spec: { root, db: 'sqlite:PATH' | 'postgres://…', count, concurrency, idsFile }
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

async function main() {
  const spec = JSON.parse(process.argv[2] ?? '{}');
  const idem = await import(pathToFileURL(join(spec.root, 'dist/index.js')).href);
  const config = await idem.loadConfig();
  const store = spec.db.startsWith('sqlite:')
    ? await idem.openSqliteStore(spec.db.slice('sqlite:'.length), { synchronous: 'NORMAL' })
    : await idem.openStore(spec.db);
  const engine = idem.createEngine({ resources: config.resources, store });
  const ids = new Array(spec.count);
  let failed = 0;
  let firstFailure;
  let next = 0;
  const started = Date.now();
  const worker = async () => {
    while (next < spec.count) {
      const i = next++;
      const body = Buffer.from(JSON.stringify({ name: `seed ${i}`, age: i % 120, city: 'Porto' }));
      const res = await engine.handle({
        method: 'POST',
        path: '/customers',
        query: '',
        headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
        body,
        principal: idem.ANONYMOUS,
      });
      const id = res.status === 201 && res.body ? JSON.parse(res.body).id : undefined;
      if (id === undefined) {
        failed++;
        firstFailure ??= `${res.status} ${String(res.body).slice(0, 300)}`;
      } else ids[i] = id;
    }
  };
  await Promise.all(Array.from({ length: spec.concurrency }, worker));
  await engine.stop();
  await store.close();
  const created = ids.filter((id) => id !== undefined);
  writeFileSync(spec.idsFile, JSON.stringify(created));
  process.stdout.write(`${JSON.stringify({ created: created.length, failed, firstFailure, seconds: (Date.now() - started) / 1000 })}\n`);
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stdout.write(`${JSON.stringify({ error: String(err?.stack ?? err) })}\n`);
    process.exit(1);
  },
);
