import { mkdirSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../test-support/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExampleServer, type ExampleServer } from '../test-support/example-server.js';
import { API_KEYS, as, JSON_BODY, SECRETS } from './test-keys.js';

/**
 * The pages for people, in a real headless Chromium (Debian's, driven by playwright-core):
 * the /docs API reference, the console at /, and a browser client on another origin that
 * needs CORS to read an ETag. Screenshots go to test-results/ (git-ignored).
 */
const SHOTS = fileURLToPath(new URL('../../../test-results/', import.meta.url));

/** A page on another origin that calls the API with fetch and reports what it could read. */
const CLIENT_PAGE = `<!doctype html><meta charset="utf-8"><title>other origin</title><script>
window.run = async (api, key) => {
  const headers = { Authorization: 'Bearer ' + key, 'Content-Type': 'application/json', 'Idempotency-Key': '"cors-put-1"', 'If-None-Match': '*' };
  const body = JSON.stringify({ status: 'ontime', gate: 'A1' });
  try {
    const first = await fetch(api + '/flights/AC789', { method: 'PUT', headers, body });
    const again = await fetch(api + '/flights/AC789', { method: 'PUT', headers, body });
    const stale = await fetch(api + '/flights/AC789', { method: 'PATCH', headers: { Authorization: 'Bearer ' + key, 'Content-Type': 'application/merge-patch+json', 'If-Match': '"stale"' }, body: '{"gate":"B2"}' });
    return {
      status: first.status, etag: first.headers.get('ETag'), location: first.headers.get('Location'),
      replayStatus: again.status, replayed: again.headers.get('Idempotent-Replayed'), replayEtag: again.headers.get('ETag'),
      staleStatus: stale.status, staleType: stale.headers.get('Content-Type'), staleProblem: await stale.json(),
    };
  } catch (error) {
    return { error: String(error) };
  }
};
</script><p>client</p>`;

function startStaticOrigin(): Promise<{ server: Server; origin: string }> {
  const server = createHttpServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(CLIENT_PAGE);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })),
  );
}

function close(server: Server | undefined): Promise<void> {
  return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
}

let browser: Browser;
let api: ExampleServer;
let allowed: { server: Server; origin: string };
let stranger: { server: Server; origin: string };

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  allowed = await startStaticOrigin();
  stranger = await startStaticOrigin();
  api = await startExampleServer({ apiKeys: API_KEYS, corsOrigins: [allowed.origin] });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await api?.close();
  await close(allowed?.server);
  await close(stranger?.server);
});

/** A fresh page that records every URL it requests. */
async function openPage(): Promise<{ page: Page; requested: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const requested: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  return { page, requested };
}

async function useKey(page: Page, secret: string): Promise<void> {
  await page.fill('#api-key', secret);
  await page.click('.key-form button[type="submit"]');
}

describe('/docs', () => {
  it('shows every resource type from local files only, once the visitor gives a key', async () => {
    const { page, requested } = await openPage();
    try {
      await page.goto(`${api.url}/docs`);
      await useKey(page, SECRETS.reader);
      await page.waitForLoadState('load');
      for (const name of api.config.resources.map((r) => r.name)) {
        await page.locator(`.opblock-tag[data-tag="${name}"]`).waitFor({ timeout: 30_000 });
      }
      await expect(page.locator('.opblock-summary-path', { hasText: '/users/{id}/versions' }).first().count()).resolves.toBeGreaterThan(0);
      await page.screenshot({ path: `${SHOTS}docs.png`, fullPage: false });
      const foreign = requested.filter((u) => !u.startsWith(api.url) && !u.startsWith('data:'));
      expect(foreign).toEqual([]);
      expect(requested).toContain(`${api.url}/docs/swagger-ui-bundle.js`);
    } finally {
      await page.close();
    }
  });
});

describe('the console page', () => {
  it('shows resource counts, a resource\'s history with a diff, and recent idempotency keys', async () => {
    const created = await fetch(`${api.url}/users`, {
      method: 'POST',
      headers: as('alice', { ...JSON_BODY, 'idempotency-key': '"console-browser-1"' }),
      body: JSON.stringify({ username: 'grace', email: 'grace@example.com' }),
    });
    expect(created.status).toBe(201);
    const id = (created.headers.get('location') as string).split('/')[2] as string;
    const patched = await fetch(`${api.url}/users/${id}`, {
      method: 'PATCH',
      headers: as('bob', { 'content-type': 'application/merge-patch+json', 'if-match': created.headers.get('etag') as string }),
      body: JSON.stringify({ age: 85, bio: '<img src=x onerror="window.pwned=1">' }),
    });
    expect(patched.status).toBe(200);
    const users = await api.store.countDocuments('users');

    const { page } = await openPage();
    try {
      await page.goto(`${api.url}/`);
      await expect(page.locator('#status.error').textContent({ timeout: 30_000 })).resolves.toMatch(/401.*admin role/);

      await useKey(page, SECRETS.admin);
      await expect(page.locator('#resources tr[data-type="users"] .count').textContent({ timeout: 30_000 })).resolves.toBe(String(users));
      await expect(page.locator('#keys tbody').textContent()).resolves.toContain('console-browser-1');

      await page.click('#resources tr[data-type="users"] a');
      await page.locator('#ids button', { hasText: id }).click();
      await page.locator('#versions tbody tr[data-version="2"]').waitFor({ timeout: 30_000 });
      await expect(page.locator('#versions tbody tr').count()).resolves.toBe(2);
      await expect(page.locator('#diff-title').textContent()).resolves.toBe('v1 → v2');
      const diff = await page.locator('#diff tbody tr').evaluateAll((rows) => rows.map((r) => Array.from(r.children, (c) => c.textContent)));
      expect(diff).toEqual(
        expect.arrayContaining([
          ['/age', 'added', '', '85'],
          ['/bio', 'added', '', JSON.stringify('<img src=x onerror="window.pwned=1">')],
          ['/version', 'changed', '1', '2'],
        ]),
      );
      expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
      await page.screenshot({ path: `${SHOTS}console.png`, fullPage: true });
    } finally {
      await page.close();
    }
  });
});

describe('CORS for a browser client on another origin', () => {
  it('lets an allowed origin send idem\'s headers and read ETag, Location, Idempotent-Replayed and problems', async () => {
    const { page } = await openPage();
    try {
      await page.goto(allowed.origin);
      const result = (await page.evaluate(([url, key]) => (window as unknown as { run: (a: string, k: string) => Promise<unknown> }).run(url as string, key as string), [api.url, SECRETS.alice])) as Record<string, unknown>;
      expect(result['error']).toBeUndefined();
      expect(result).toMatchObject({ status: 201, location: '/flights/AC789', replayStatus: 201, replayed: 'true', staleStatus: 412 });
      expect(result['etag']).toMatch(/^"[^"]+"$/);
      expect(result['replayEtag']).toBe(result['etag']);
      expect(result['staleType']).toMatch(/^application\/problem\+json/);
      expect(result['staleProblem']).toMatchObject({ status: 412, currentEtag: result['etag'] });
    } finally {
      await page.close();
    }
  });

  it('gives another origin nothing to read', async () => {
    const { page } = await openPage();
    try {
      await page.goto(stranger.origin);
      const result = (await page.evaluate(([url, key]) => (window as unknown as { run: (a: string, k: string) => Promise<unknown> }).run(url as string, key as string), [api.url, SECRETS.alice])) as Record<string, unknown>;
      expect(result['error']).toMatch(/Failed to fetch/);
    } finally {
      await page.close();
    }
  });
});
