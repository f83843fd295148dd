import { rmSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExampleServer, type ExampleServer } from './test-support/example-server.js';

let server: ExampleServer;
beforeAll(async () => {
  server = await startExampleServer({ bodyLimit: 1024 * 1024 });
});
afterAll(async () => server.close());

/** A raw HTTP/1.1 exchange, so framing-level behaviour is what the test sees. */
function raw(method: string, path: string, headers: Record<string, string | number>, body?: Buffer | string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, server.url);
    const req = request({ host: url.hostname, port: url.port, method, path: url.pathname + url.search, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('on the wire', () => {
  it('/healthz answers 200', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('a body over 1 MiB is 413 problem+json and creates nothing', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10) });
    const res = await raw('POST', '/customers', { 'content-type': 'application/json', 'content-length': Buffer.byteLength(big) }, big);
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(res.body).detail).toMatch(/limit/);
    const list = (await (await fetch(`${server.url}/customers`)).json()) as { items: unknown[] };
    expect(list.items).toHaveLength(0);
  });

  it('a huge chunked body is 413 too', async () => {
    const res = await raw('POST', '/customers', { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, Buffer.alloc(3 * 1024 * 1024, 0x20));
    expect(res.status).toBe(413);
  });

  it('malformed JSON is 400 and a wrong content type 415, as problem+json', async () => {
    const bad = await raw('POST', '/customers', { 'content-type': 'application/json' }, '{"name":');
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    const form = await raw('POST', '/customers', { 'content-type': 'application/x-www-form-urlencoded' }, 'name=A');
    expect(form.status).toBe(415);
    const none = await raw('POST', '/customers', {}, '{"name":"A"}');
    expect(none.status).toBe(415);
  });

  it('HEAD matches GET: same status and headers, no body', async () => {
    const created = await fetch(`${server.url}/customers`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"A"}' });
    const location = created.headers.get('location') as string;
    const get = await raw('GET', location, {});
    const head = await raw('HEAD', location, {});
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    for (const name of ['etag', 'last-modified', 'content-type', 'content-length']) expect(head.headers[name], name).toBe(get.headers[name]);
  });

  it('a method HTTP knows but the route does not support is 405 problem+json with Allow', async () => {
    const res = await raw('PROPFIND', '/customers', {});
    expect(res.status).toBe(405);
    expect(res.headers['allow']).toBe('GET, HEAD, POST, OPTIONS');
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });

  it('a 500 never leaks a stack trace', async () => {
    // Close the store under the running server: the next write fails inside the engine.
    const broken = await startExampleServer();
    try {
      await broken.store.close();
      const res = await fetch(`${broken.url}/customers`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"A"}' });
      expect(res.status).toBe(500);
      const problem = (await res.json()) as { detail: string; requestId: string };
      expect(problem.detail).toMatch(/request id/);
      expect(JSON.stringify(problem)).not.toMatch(/at .*\.js:\d+/);
    } finally {
      await broken.app.close();
      await broken.engine.stop();
      // Its store is closed already, so close() would fail: remove its files here.
      rmSync(broken.dir, { recursive: true, force: true });
    }
  });
});
