import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../test-support/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExampleServer, type ExampleServer } from '../server/test-support/example-server.js';
import { createClient } from './client.js';
import { startFaultProxy, type FaultProxy } from './test-support/fault-proxy.js';

/*
 * The client in a real browser (headless Chromium via playwright-core): compiled from
 * src/client alone with the DOM library and no Node types, served from one origin that also
 * forwards API calls through the fault proxy to the real example server.
 */
const here = fileURLToPath(new URL('.', import.meta.url));
const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));

/** Loads the compiled client as a plain ES module and exposes it as `window.idem`. */
const PAGE = `<!doctype html><title>idem client</title>
<script type="module">import * as idem from '/client/index.js'; window.idem = idem;</script>`;

let outDir: string;
let example: ExampleServer;
let proxy: FaultProxy;
let site: Server;
let siteUrl: string;
let browser: Browser;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'idem-client-browser-'));
  // Browser-only typing: lib DOM, no @types/node. A Node import in the client would fail here.
  execFileSync(process.execPath, [
    tsc, '--ignoreConfig', '--outDir', outDir, '--module', 'ES2022', '--moduleResolution', 'bundler', '--target', 'ES2022',
    '--lib', 'ES2023,DOM', '--types', '', '--strict', '--skipLibCheck', join(here, 'index.ts'),
  ]);
  example = await startExampleServer();
  proxy = await startFaultProxy(example.url);
  site = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/') return void res.writeHead(200, { 'content-type': 'text/html', connection: 'close' }).end(PAGE);
    if (url.startsWith('/client/')) {
      const file = join(outDir, url.slice('/client/'.length).replace(/[^a-z.-]/g, ''));
      if (!existsSync(file)) return void res.writeHead(404).end();
      return void res.writeHead(200, { 'content-type': 'text/javascript', connection: 'close' }).end(readFileSync(file));
    }
    // Everything else goes to the API through the fault proxy, on the same origin (no CORS).
    const upstream = httpRequest(`${proxy.url}${url.replace(/^\/api/, '')}`, { method: req.method, headers: req.headers }, (answer) => {
      // A fresh connection per request: Chromium itself silently resends a request whose
      // reused keep-alive connection drops, and here the client's own retry is under test.
      res.writeHead(answer.statusCode ?? 502, { ...answer.headers, connection: 'close' });
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (site ? site.close(() => resolve()) : resolve()));
  await proxy?.close();
  await example?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe('the client in a browser', () => {
  it('creates through a lost response with one key, and merges two concurrent updates', async () => {
    const page = await browser.newPage();
    await page.goto(siteUrl);
    await page.waitForFunction(() => 'idem' in window);
    proxy.dropResponses(1, (r) => r.method === 'POST');

    const outcome = await page.evaluate(async () => {
      // Runs in the page, with the client the page loaded.
      const { createClient } = (window as unknown as { idem: typeof import('./index.js') }).idem;
      const client = createClient({ baseUrl: `${location.origin}/api`, retry: { baseDelay: 10 } });
      const tickets = client.resource<{ subject: string; status: string; notes: string[] }>('tickets');
      const created = await tickets.create({ subject: 'Browser ticket', status: 'open', notes: [] });
      if (!created.ok) return { created: { ok: false, kind: created.kind } };
      let arrived = 0;
      let release = (): void => undefined;
      const bothRead = new Promise<void>((r) => (release = r));
      const wait = (): Promise<void> => (++arrived === 2 && release(), bothRead);
      const [a, b] = await Promise.all([
        tickets.update(created.data.id, async (t) => void (await wait(), (t.status = 'closed'))),
        tickets.update(created.data.id, async (t) => void (await wait(), t.notes.push('from the browser'))),
      ]);
      const final = await tickets.get(created.data.id);
      const summary = { ok: created.ok, status: created.status, replayed: created.replayed, attempts: created.attempts };
      return { created: summary, a: a.ok, b: b.ok, final: final.ok ? final.data : final.kind };
    });

    expect(outcome.created).toEqual({ ok: true, status: 201, replayed: true, attempts: 2 });
    const posts = proxy.requests.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(2);
    expect(posts[1]?.headers['idempotency-key']).toBe(posts[0]?.headers['idempotency-key']);
    expect(outcome).toMatchObject({ a: true, b: true, final: { status: 'closed', notes: ['from the browser'], version: 3 } });
    const all = await createClient({ baseUrl: example.url }).resource<{ subject: string }>('tickets').listAll();
    expect(all.ok && all.data.filter((t) => t.subject === 'Browser ticket')).toHaveLength(1);
    await page.close();
  });

  it('is told to revalidate every read (Cache-Control: no-cache), and reads a write made elsewhere at once', async () => {
    // Without Cache-Control a response with Last-Modified is fresh for ~10% of its age (RFC 9111
    // §4.2.2). Chromium then answers a repeated fetch from its cache without asking the server:
    // seen with a plain node:http server whose Last-Modified was 60 s old (the second fetch
    // returned the first body; with no-cache it asked each time), and once in the test above,
    // whose final read returned version 2 of 3. This test checks the header reaches the page and
    // the read after a write returns the write; it did not reproduce the stale read itself.
    const node = createClient({ baseUrl: example.url }).resource<{ subject: string; status: string }>('tickets');
    const created = await node.create({ subject: 'Cached ticket', status: 'open' });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    const page = await browser.newPage();
    await page.goto(siteUrl);
    const read = (): Promise<{ version: number; status: string; cacheControl: string | null }> =>
      page.evaluate(async (id) => {
        const res = await fetch(`${location.origin}/api/tickets/${id}`);
        const body = (await res.json()) as { version: number; status: string };
        return { version: body.version, status: body.status, cacheControl: res.headers.get('cache-control') };
      }, created.data.id);

    const before = await read();
    const updated = await node.update(created.data.id, (t) => void (t.status = 'closed'));
    expect(updated.ok).toBe(true);
    const after = await read();
    expect([before.version, after.version, after.status]).toEqual([1, 2, 'closed']);
    expect([before.cacheControl, after.cacheControl]).toEqual(['no-cache', 'no-cache']);
    await page.close();
  });
});
