import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../store/sqlite.js';
import type { Store } from '../store/store.js';
import { startProxy, type ProxyOptions, type RunningProxy } from './index.js';
import { resolveKey } from './resolve.js';
import { BODY_ENCODING_HEADER } from './stored-body.js';
import { freePort } from './test-support/free-port.js';
import { startJsonServer, type JsonServer } from './test-support/json-server.js';
import { json, startScriptedUpstream, type ScriptedUpstream } from './test-support/scripted-upstream.js';
import { tempDb } from './test-support/temp-store.js';

/** Definitive, provisional and ambiguous upstream outcomes, each over real sockets and a real SQLite store. */
const db = tempDb();
let store: Store;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  store = await openSqliteStore(db.path);
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(async () => {
  await store.close();
  db.dispose();
});

async function proxyTo(target: string, options: Partial<ProxyOptions> = {}): Promise<RunningProxy> {
  const proxy = await startProxy({ target, store, ...options });
  cleanups.push(() => proxy.close());
  return proxy;
}
async function scripted(answer: Parameters<typeof startScriptedUpstream>[0]): Promise<ScriptedUpstream> {
  const up = await startScriptedUpstream(answer);
  cleanups.push(() => up.close());
  return up;
}
function post(proxy: RunningProxy, key: string, body: unknown = { amount: 10 }, path = '/charges'): Promise<Response> {
  return fetch(`${proxy.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': `"${key}"` }, body: JSON.stringify(body) });
}
async function until(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('provisional outcomes: nothing stored, the key released, a retry goes upstream again', () => {
  it('an upstream that answers 503 twice then 201 ends with one record, and later retries replay the 201', async () => {
    const records: unknown[] = [];
    const up = await scripted((req, res, i) => {
      if (i < 2) return json(res, 503, { error: 'busy' }, { 'retry-after': '0' });
      records.push(JSON.parse(req.body));
      json(res, 201, { id: records.length });
    });
    const proxy = await proxyTo(up.url);
    expect((await post(proxy, 'k-503')).status).toBe(503);
    expect((await post(proxy, 'k-503')).status).toBe(503);
    const ok = await post(proxy, 'k-503');
    expect(ok.status).toBe(201);
    const replay = await post(proxy, 'k-503');
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await replay.json()).toEqual({ id: 1 });
    expect(records).toHaveLength(1);
    expect(up.received).toHaveLength(3);
    expect(up.received.every((r) => r.headers['idempotency-key'] === '"k-503"')).toBe(true);
  });

  it('429 is provisional too: the retry reaches the upstream', async () => {
    const up = await scripted((_req, res, i) => json(res, [429, 201][i] ?? 201, {}));
    const proxy = await proxyTo(up.url);
    expect((await post(proxy, 'k-429')).status).toBe(429);
    expect((await post(proxy, 'k-429')).status).toBe(201);
    expect(up.received).toHaveLength(2);
  });

  it('a 500 is stored and replayed: an upstream that failed after writing is never run twice', async () => {
    const up = await scripted((_req, res, i) => json(res, [500, 201][i] ?? 201, { attempt: i }));
    const proxy = await proxyTo(up.url);
    expect((await post(proxy, 'k-500')).status).toBe(500);
    const retry = await post(proxy, 'k-500');
    expect(retry.status).toBe(500);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(up.received).toHaveLength(1);
  });

  it('connection refused before anything was sent is 502, and the key is released', async () => {
    const port = await freePort(); // nothing listens there
    const proxy = await proxyTo(`http://127.0.0.1:${port}`);
    const res = await post(proxy, 'k-refused');
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await res.json()) as { type: string; outcome: string; detail: string };
    expect(problem.type).toBe('https://idem.dev/problems/bad-gateway');
    expect(problem.outcome).toBe('not-sent');
    expect(problem.detail).toMatch(/ECONNREFUSED/);
    expect(await store.getIdempotency('anonymous', 'k-refused')).toBeUndefined();
    expect((await post(proxy, 'k-refused')).status).toBe(502); // not 409: a retry is allowed
  });
});

describe('definitive outcomes: stored and replayed', () => {
  it('a 4xx answer is stored and replayed; the upstream sees the request once', async () => {
    const up = await scripted((_req, res) => json(res, 409, { error: 'duplicate email' }));
    const proxy = await proxyTo(up.url);
    expect((await post(proxy, 'k-409')).status).toBe(409);
    const replay = await post(proxy, 'k-409');
    expect(replay.status).toBe(409);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await replay.json()).toEqual({ error: 'duplicate email' });
    expect(up.received).toHaveLength(1);
  });

  it('end-to-end headers are replayed; hop-by-hop fields, Date and Set-Cookie are not', async () => {
    const up = await scripted((_req, res) => {
      res.writeHead(201, {
        'content-type': 'application/json',
        location: '/charges/7',
        etag: '"v1"',
        'x-custom': 'kept',
        'set-cookie': 'session=abc',
        date: 'Mon, 01 Jan 2001 00:00:00 GMT',
        'x-ratelimit-remaining': '41',
        connection: 'x-hop',
        'x-hop': 'dropped',
      });
      res.end('{"id":7}');
    });
    const proxy = await proxyTo(up.url);
    const first = await post(proxy, 'k-headers');
    expect(first.status).toBe(201);
    expect(first.headers.get('set-cookie')).toBe('session=abc'); // the live answer is untouched
    expect(first.headers.get('x-hop')).toBeNull();
    const replay = await post(proxy, 'k-headers');
    expect(replay.status).toBe(201);
    expect(replay.headers.get('location')).toBe('/charges/7');
    expect(replay.headers.get('etag')).toBe('"v1"');
    expect(replay.headers.get('x-custom')).toBe('kept');
    expect(replay.headers.get('set-cookie')).toBeNull();
    expect(replay.headers.get('x-ratelimit-remaining')).toBeNull();
    expect(replay.headers.get('x-hop')).toBeNull();
    expect(replay.headers.get('date')).not.toBe('Mon, 01 Jan 2001 00:00:00 GMT');
    expect(await replay.text()).toBe('{"id":7}');
  });

  it('a binary (non-UTF-8) body is stored base64 and replayed byte for byte', async () => {
    const bytes = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x41, 0xc3]);
    const up = await scripted((_req, res) => {
      res.writeHead(201, { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) });
      res.end(bytes);
    });
    const proxy = await proxyTo(up.url);
    expect(Buffer.from(await (await post(proxy, 'k-bin')).arrayBuffer())).toEqual(bytes);
    const replay = await post(proxy, 'k-bin');
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(Buffer.from(await replay.arrayBuffer())).toEqual(bytes);
    expect(replay.headers.get(BODY_ENCODING_HEADER)).toBeNull(); // bookkeeping never leaks
    const record = await store.getIdempotency('anonymous', 'k-bin');
    expect(record?.response?.headers[BODY_ENCODING_HEADER]).toBe('base64');
  });

  it('a response over the store cap passes through whole with a warning; the retry replays status and headers only and runs nothing', async () => {
    const big = 'x'.repeat(5000);
    const up = await scripted((_req, res) => json(res, 201, { big }));
    const proxy = await proxyTo(up.url, { storeCap: 1024 });
    const first = await post(proxy, 'k-big');
    expect(first.status).toBe(201);
    expect(first.headers.get('idem-proxy-warning')).toMatch(/store cap of 1024 bytes/);
    expect(((await first.json()) as { big: string }).big).toBe(big);
    const replay = await post(proxy, 'k-big');
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idem-proxy-warning')).toMatch(/not stored/);
    expect(await replay.text()).toBe('');
    expect(up.received).toHaveLength(1);
  });

  it('a request body over the body limit is 413 and never reaches the upstream', async () => {
    const up = await scripted((_req, res) => json(res, 201, {}));
    const proxy = await proxyTo(up.url, { bodyLimit: 100 });
    const res = await post(proxy, 'k-413', { pad: 'y'.repeat(200) });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { type: string }).type).toBe('https://idem.dev/problems/payload-too-large');
    expect(up.received).toHaveLength(0);
  });
});

describe('ambiguous outcomes: the key becomes unknown, never runs twice, until resolved', () => {
  let slow: JsonServer;
  beforeAll(async () => {
    // json-server holds every request 1.5 s before handling it: the write happens after the proxy gave up.
    slow = await startJsonServer({ charges: [] }, 1500);
  });
  afterAll(async () => {
    await slow?.close();
  });

  it('an upstream that hangs past the timeout gives 504 + unknown, and the retry does not create a second record', async () => {
    const proxy = await proxyTo(slow.url, { timeoutMs: 300, leaseMs: 5000 });
    const res = await post(proxy, 'k-slow');
    expect(res.status).toBe(504);
    const problem = (await res.json()) as { type: string; outcome: string; detail: string };
    expect(problem.type).toBe('https://idem.dev/problems/gateway-timeout');
    expect(problem.outcome).toBe('unknown');
    expect(problem.detail).toMatch(/unknown/);
    // The upstream finishes the write on its own time.
    await until(async () => (await slow.count('charges')) === 1);
    const retry = await post(proxy, 'k-slow');
    expect(retry.status).toBe(409);
    const retryProblem = (await retry.json()) as { type: string; outcome: string };
    expect(retryProblem.type).toBe('https://idem.dev/problems/idempotency-outcome-unknown');
    expect(retryProblem.outcome).toBe('unknown');
    await new Promise((r) => setTimeout(r, 1700)); // long enough for a wrongly forwarded retry to land
    expect(await slow.count('charges')).toBe(1);

    // The operator checks the upstream, sees the charge, and records its answer.
    await resolveKey(store, 'anonymous', 'k-slow', { kind: 'replay', status: 201, headers: { 'content-type': 'application/json' }, body: '{"id":1}' });
    const resolved = await post(proxy, 'k-slow');
    expect(resolved.status).toBe(201);
    expect(resolved.headers.get('idempotent-replayed')).toBe('true');
    expect(await resolved.text()).toBe('{"id":1}');
    expect(await slow.count('charges')).toBe(1);
  });

  it('a connection reset after the request was sent is 504 + unknown; release lets the retry run', async () => {
    const up = await scripted((req, res, i) => {
      if (i === 0) return void res.socket?.destroy();
      json(res, 201, { ok: true });
    });
    const proxy = await proxyTo(up.url);
    const res = await post(proxy, 'k-reset');
    expect(res.status).toBe(504);
    expect(((await res.json()) as { outcome: string }).outcome).toBe('unknown');
    expect((await post(proxy, 'k-reset')).status).toBe(409);
    expect(up.received).toHaveLength(1);
    await resolveKey(store, 'anonymous', 'k-reset', { kind: 'release' });
    expect((await post(proxy, 'k-reset')).status).toBe(201);
    expect(up.received).toHaveLength(2);
  });

  it('a body cut off after a definitive status is unknown too (the status alone is not a replayable answer)', async () => {
    const up = await scripted((_req, res) => {
      res.writeHead(201, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"id":');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const proxy = await proxyTo(up.url);
    const res = await post(proxy, 'k-cut');
    expect(res.status).toBe(504);
    const problem = (await res.json()) as { outcome: string; upstreamStatus: number };
    expect(problem).toMatchObject({ outcome: 'unknown', upstreamStatus: 201 });
    expect((await post(proxy, 'k-cut')).status).toBe(409);
  });

  it('with --release-unknown-after, an unknown key is released once that time has passed', async () => {
    const up = await scripted((_req, res, i) => {
      if (i === 0) return void res.socket?.destroy();
      json(res, 201, { ok: true });
    });
    const proxy = await proxyTo(up.url, { releaseUnknownAfterMs: 300 });
    expect((await post(proxy, 'k-policy')).status).toBe(504);
    expect((await post(proxy, 'k-policy')).status).toBe(409);
    await new Promise((r) => setTimeout(r, 350));
    expect((await post(proxy, 'k-policy')).status).toBe(201);
    expect(up.received).toHaveLength(2);
  });
});
