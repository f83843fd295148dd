import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxy, type RunningProxy } from './index.js';
import { startJsonServer, type JsonServer } from './test-support/json-server.js';
import { tempDb } from './test-support/temp-store.js';

/**
 * The proxy in front of json-server 0.17.4, an API that knows nothing about idempotency:
 * every POST that reaches it creates a record, so counting records counts upstream executions.
 */
let upstream: JsonServer;
let proxy: RunningProxy;
const db = tempDb();

beforeAll(async () => {
  upstream = await startJsonServer({ orders: [], payments: [] });
  proxy = await startProxy({ target: upstream.url, db: db.dbUrl, requireKey: ['POST /payments'] });
});

afterAll(async () => {
  await proxy?.close();
  await upstream?.close();
  db.dispose();
});

function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${proxy.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

describe('idem proxy in front of json-server', () => {
  it('the same POST with one key sent 5 times creates exactly one record, and every retry replays the first answer', async () => {
    const key = { 'idempotency-key': '"order-seq-1"' };
    const first = await post('/orders', { item: 'book', qty: 1 }, key);
    expect(first.status).toBe(201);
    const created = (await first.json()) as { id: number };
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    for (let i = 0; i < 4; i++) {
      const again = await post('/orders', { qty: 1, item: 'book' }, key); // key order does not matter
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.headers.get('content-type')).toBe(first.headers.get('content-type'));
      expect(again.headers.get('date')).not.toBe(null); // a fresh Date, never the stored one
      expect(await again.json()).toEqual(created);
    }
    expect(await upstream.count('orders')).toBe(1);
  });

  it('the same POST with one key sent 10 times concurrently creates exactly one record', async () => {
    const before = await upstream.count('orders');
    const key = { 'idempotency-key': '"order-concurrent-1"' };
    const answers = await Promise.all(Array.from({ length: 10 }, () => post('/orders', { item: 'pen', qty: 10 }, key)));
    const statuses = answers.map((r) => r.status);
    // Each one either ran (201), got the stored answer (201 replayed) or met the running claim (409).
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    for (const r of answers.filter((a) => a.status === 409)) {
      expect(r.headers.get('retry-after')).toBe('1');
      expect(((await r.json()) as { type: string }).type).toBe('https://idem.dev/problems/idempotency-in-flight');
    }
    expect(answers.filter((r) => r.status === 201 && r.headers.get('idempotent-replayed') === null)).toHaveLength(1);
    expect(await upstream.count('orders')).toBe(before + 1);
    // After the dust settles every retry gets the one stored answer.
    const settled = await post('/orders', { item: 'pen', qty: 10 }, key);
    expect(settled.status).toBe(201);
    expect(settled.headers.get('idempotent-replayed')).toBe('true');
    expect(await upstream.count('orders')).toBe(before + 1);
  });

  it('a different body with the same key is 422 and creates nothing', async () => {
    const key = { 'idempotency-key': '"order-reuse-1"' };
    expect((await post('/orders', { item: 'cup' }, key)).status).toBe(201);
    const before = await upstream.count('orders');
    const reused = await post('/orders', { item: 'mug' }, key);
    expect(reused.status).toBe(422);
    expect(reused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await reused.json()) as { type: string; detail: string };
    expect(problem.type).toBe('https://idem.dev/problems/idempotency-key-reused');
    expect(problem.detail).toMatch(/different request/);
    expect(await upstream.count('orders')).toBe(before);
  });

  it('the same key from two different Authorization headers is two scopes: neither sees the other\'s answer', async () => {
    const before = await upstream.count('orders');
    const a = await post('/orders', { item: 'lamp' }, { 'idempotency-key': 'shared-key', authorization: 'Bearer alice' });
    const b = await post('/orders', { item: 'lamp' }, { 'idempotency-key': 'shared-key', authorization: 'Bearer bob' });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.headers.get('idempotent-replayed')).toBeNull();
    expect(((await a.json()) as { id: number }).id).not.toBe(((await b.json()) as { id: number }).id);
    expect(await upstream.count('orders')).toBe(before + 2);
  });

  it('the key is forwarded upstream, and the store keeps a hash of Authorization, never the secret', async () => {
    const res = await post('/orders', { item: 'desk' }, { 'idempotency-key': '"fwd-1"', authorization: 'Bearer s3cret-token' });
    expect(res.status).toBe(201);
    const records = await proxy.store.listIdempotency(100);
    const record = records.find((r) => r.key === 'fwd-1');
    expect(record?.principal).toMatch(/^authorization:sha256:/);
    expect(JSON.stringify(records)).not.toContain('s3cret-token');
  });

  it('a POST without a key passes through untouched and is not stored', async () => {
    const before = await upstream.count('orders');
    const one = await post('/orders', { item: 'chair' });
    const two = await post('/orders', { item: 'chair' });
    expect([one.status, two.status]).toEqual([201, 201]);
    expect(two.headers.get('idempotent-replayed')).toBeNull();
    expect(await upstream.count('orders')).toBe(before + 2);
  });

  it('a POST without a key on a route that requires one is 400 and never reaches the upstream', async () => {
    const res = await post('/payments', { amount: 5 });
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { type: string; detail: string };
    expect(problem.type).toBe('https://idem.dev/problems/idempotency-key-required');
    expect(problem.detail).toMatch(/Idempotency-Key/);
    expect(await upstream.count('payments')).toBe(0);
  });

  it('a malformed key (a list) is 400 naming the problem, and nothing is forwarded', async () => {
    const before = await upstream.count('orders');
    const res = await post('/orders', { item: 'x' }, { 'idempotency-key': '"a", "b"' });
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { type: string; detail: string };
    expect(problem.type).toBe('https://idem.dev/problems/idempotency-key-invalid');
    expect(await upstream.count('orders')).toBe(before);
  });

  it('GET is not guarded: it passes through with the upstream status and body', async () => {
    const res = await fetch(`${proxy.url}/orders`);
    expect(res.status).toBe(200);
    expect(Array.isArray(await res.json())).toBe(true);
    const missing = await fetch(`${proxy.url}/orders/999999`);
    expect(missing.status).toBe(404);
  });

  it('a PATCH with a key is guarded too: repeated, it is applied once and replayed', async () => {
    const created = (await (await post('/orders', { item: 'sofa', qty: 1 })).json()) as { id: number };
    const patch = () =>
      fetch(`${proxy.url}/orders/${created.id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', 'idempotency-key': '"patch-1"' },
        body: JSON.stringify({ qty: 2 }),
      });
    expect((await patch()).status).toBe(200);
    const again = await patch();
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });
});
