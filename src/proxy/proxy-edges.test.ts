import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../store/sqlite.js';
import { startProxy, type RunningProxy } from './index.js';
import { json, startScriptedUpstream, type ScriptedUpstream } from './test-support/scripted-upstream.js';
import { tempDb } from './test-support/temp-store.js';

/** Edges of the exchange: streamed oversized bodies, clients that leave, a store that is gone. */
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(answer: Parameters<typeof startScriptedUpstream>[0], bodyLimit?: number): Promise<{ proxy: RunningProxy; up: ScriptedUpstream }> {
  const db = tempDb();
  cleanups.push(() => db.dispose());
  const up = await startScriptedUpstream(answer);
  cleanups.push(() => up.close());
  const proxy = await startProxy({ target: up.url, db: db.dbUrl, ...(bodyLimit === undefined ? {} : { bodyLimit }) });
  cleanups.push(() => proxy.close());
  return { proxy, up };
}

describe('edges of the proxied exchange', () => {
  it('a chunked request body that grows past the body limit is 413 and never reaches the upstream', async () => {
    const { proxy, up } = await setup((_req, res) => json(res, 201, {}), 1000);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${proxy.url}/uploads`, { method: 'POST', headers: { 'idempotency-key': '"chunky"', 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 10; i++) req.write('x'.repeat(300));
      req.end();
    });
    expect(status).toBe(413);
    expect(up.received).toHaveLength(0);
  });

  it('a client that disconnects while its request is upstream still gets the recorded answer on retry; nothing runs twice', async () => {
    const { proxy, up } = await setup((_req, res) => setTimeout(() => json(res, 201, { id: 'only' }), 300));
    await new Promise<void>((resolve) => {
      const req = request(`${proxy.url}/orders`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': '"leaver"' } });
      req.on('error', () => resolve());
      req.end('{"a":1}');
      const poll = setInterval(() => {
        if (up.received.length > 0) {
          clearInterval(poll);
          req.destroy();
        }
      }, 10);
    });
    let retry: Response;
    do {
      retry = await fetch(`${proxy.url}/orders`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': '"leaver"' }, body: '{"a":1}' });
      if (retry.status === 409) await new Promise((r) => setTimeout(r, 100));
    } while (retry.status === 409);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await retry.json()).toEqual({ id: 'only' });
    expect(up.received).toHaveLength(1);
  });

  it('when the key store is unavailable a request with a key is 503 and is not forwarded unguarded', async () => {
    const db = tempDb();
    cleanups.push(() => db.dispose());
    const up = await startScriptedUpstream((_req, res) => json(res, 201, {}));
    cleanups.push(() => up.close());
    const store = await openSqliteStore(db.path);
    const proxy = await startProxy({ target: up.url, store });
    cleanups.push(() => proxy.close());
    await store.close();
    const res = await fetch(`${proxy.url}/orders`, { method: 'POST', headers: { 'idempotency-key': '"no-store"' }, body: '{}' });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(((await res.json()) as { type: string }).type).toBe('https://idem.dev/problems/service-unavailable');
    expect(up.received).toHaveLength(0);
  });
});
