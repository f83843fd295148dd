import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../store/test-support/postgres.js';
import { startJsonServer, type JsonServer } from './test-support/json-server.js';
import { compileProxy, spawnProxy, type CompiledProxy, type ProxyProcess } from './test-support/proxy-process.js';
import { tempDb } from './test-support/temp-store.js';

/** Several proxy processes over one key store share claims: a key runs once whichever instance gets it. */
const sqlite = tempDb();
let pgDb: TestDatabase;
let build: CompiledProxy;
let upstream: JsonServer;
const all: ProxyProcess[] = [];

beforeAll(async () => {
  build = await compileProxy();
  upstream = await startJsonServer({ orders: [] });
  pgDb = await createTestDatabase('idem_proxy');
});

afterAll(async () => {
  for (const p of all) await p.kill();
  await upstream?.close();
  await pgDb?.drop();
  build?.dispose();
  sqlite.dispose();
});

async function twoInstances(dbUrl: string): Promise<ProxyProcess[]> {
  const procs: ProxyProcess[] = [];
  for (let i = 0; i < 2; i++) procs.push(await spawnProxy(build.bin, ['--target', upstream.url, '--db', dbUrl]));
  all.push(...procs);
  return procs;
}

describe.each([
  ['one SQLite file', () => sqlite.dbUrl],
  ['one PostgreSQL database', () => pgDb.url],
])('two proxy processes on %s', (_name, dbUrl) => {
  it('10 concurrent POSTs with one key, split across both instances, create exactly one record', async () => {
    const procs = await twoInstances(dbUrl());
    const key = `"shared-instances-${_name.replace(/\W+/g, "-")}"`;
    const before = await upstream.count('orders');
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        fetch(`${procs[i % 2]?.url}/orders`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': key },
          body: JSON.stringify({ item: 'globe' }),
        }),
      ),
    );
    const statuses = answers.map((r) => r.status);
    if (!statuses.every((s) => s === 201 || s === 409)) {
      const bodies = await Promise.all(answers.map((r) => r.text()));
      throw new Error(`unexpected answers: ${JSON.stringify(statuses)} ${bodies.join(' | ')}\n${procs.map((p) => p.stderr()).join('\n')}`);
    }
    expect(answers.filter((r) => r.status === 201 && r.headers.get('idempotent-replayed') === null)).toHaveLength(1);
    expect(await upstream.count('orders')).toBe(before + 1);
    // Each instance replays the answer the other one stored.
    for (const p of procs) {
      const again = await fetch(`${p.url}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ item: 'globe' }),
      });
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
    }
    expect(await upstream.count('orders')).toBe(before + 1);
  });
});
