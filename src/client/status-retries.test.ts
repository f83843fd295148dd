import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from './client.js';

/*
 * Retry decisions that depend on exact status codes and headers, against a scripted server
 * that answers each request with the next scripted response (then 201) and records what it got.
 */
interface Scripted {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function scripted(script: Scripted[]): Promise<{ url: string; seen: IncomingHttpHeaders[] }> {
  const seen: IncomingHttpHeaders[] = [];
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen.push(req.headers);
      const next = script.shift() ?? { status: 201, body: { id: 'x', version: 1 } };
      const type = next.status >= 400 ? 'application/problem+json' : 'application/json';
      res.writeHead(next.status, { 'content-type': type, ...next.headers }).end(next.body === undefined ? '' : JSON.stringify(next.body));
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const inFlight = { type: 'https://idem.dev/problems/idempotency-in-flight', status: 409, detail: 'Still running; retry shortly' };

describe('retry decisions by status', () => {
  it('a keyed POST answered 409 in-flight is retried with the same key until it gets the outcome', async () => {
    const { url, seen } = await scripted([{ status: 409, headers: { 'retry-after': '0' }, body: inFlight }, { status: 409, body: inFlight }]);
    const r = await createClient({ baseUrl: url, retry: { baseDelay: 5 } }).post('/orders', { items: ['a'] });
    expect(r).toMatchObject({ ok: true, status: 201, attempts: 3 });
    expect(new Set(seen.map((h) => h['idempotency-key'])).size).toBe(1);
    expect(seen[0]?.['idempotency-key']).toBe(`"${r.idempotencyKey}"`);
  });

  it('a 409 version conflict is not retried: only the caller can resolve it', async () => {
    const { url, seen } = await scripted([{ status: 409, body: { type: 'https://idem.dev/problems/version-conflict', currentVersion: 3 } }]);
    const r = await createClient({ baseUrl: url }).put('/t/1', { a: 1 });
    expect(r).toMatchObject({ ok: false, kind: 'conflict', status: 409, currentVersion: 3, attempts: 1 });
    expect(seen).toHaveLength(1);
  });

  it('429 is retried after its Retry-After; 408, 502 and 504 are retried', async () => {
    const { url, seen } = await scripted([
      { status: 429, headers: { 'retry-after': '0' } },
      { status: 408 },
      { status: 502 },
      { status: 504 },
    ]);
    const r = await createClient({ baseUrl: url, retry: { limit: 4, baseDelay: 5 } }).get('/t');
    expect(r).toMatchObject({ ok: true, attempts: 5 });
    expect(seen).toHaveLength(5);
  });

  it('500 is not retried, and neither is 400', async () => {
    for (const status of [500, 400]) {
      const { url, seen } = await scripted([{ status }]);
      expect(await createClient({ baseUrl: url }).get('/t')).toMatchObject({ ok: false, status, attempts: 1 });
      expect(seen).toHaveLength(1);
      await new Promise<void>((resolve) => server?.close(() => resolve()));
      server = undefined;
    }
  });

  it('the retry limit is honoured, and the last failure comes back', async () => {
    const { url, seen } = await scripted([{ status: 503 }, { status: 503 }, { status: 503 }]);
    const r = await createClient({ baseUrl: url, retry: { limit: 2, baseDelay: 5 } }).get('/t');
    expect(r).toMatchObject({ ok: false, kind: 'server', status: 503, attempts: 3 });
    expect(seen).toHaveLength(3);
  });

  it('idempotencyKey: false on a PATCH sends no key, and a 503 is then not retried', async () => {
    const { url, seen } = await scripted([{ status: 503 }]);
    const r = await createClient({ baseUrl: url }).patch('/t/1', { a: 1 }, { idempotencyKey: false });
    expect(r).toMatchObject({ ok: false, status: 503, attempts: 1 });
    expect(seen[0]?.['idempotency-key']).toBeUndefined();
    expect(seen[0]?.['content-type']).toBe('application/merge-patch+json');
  });

  it('a client created with idempotencyKey: false sends no generated keys', async () => {
    const { url, seen } = await scripted([]);
    await createClient({ baseUrl: url, idempotencyKey: false }).post('/t', { a: 1 });
    expect(seen[0]?.['idempotency-key']).toBeUndefined();
  });
});
