import { validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExampleServer, type ExampleServer } from '../test-support/example-server.js';
import { as, API_KEYS } from './test-keys.js';

/** GET /openapi.json of the running example API (SPEC §9). */
let server: ExampleServer;
beforeAll(async () => {
  server = await startExampleServer({ apiKeys: API_KEYS, idempotencyTtlMs: 2 * 60 * 60 * 1000 });
});
afterAll(async () => {
  await server?.close();
});

describe('/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document describing every declared resource type', async () => {
    const response = await fetch(`${server.url}/openapi.json`, { headers: as('reader') });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const doc = (await response.json()) as { openapi: string; paths: Record<string, unknown>; security: unknown[] };
    expect(doc.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(doc) as never);
    expect(result.valid ? [] : result.errors).toEqual([]);
    for (const name of server.config.resources.map((r) => r.name)) {
      expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([`/${name}`, `/${name}/{id}`, `/${name}/{id}/versions`, `/${name}/{id}/versions/{n}`]));
    }
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
  });

  it('publishes the retention this server was started with', async () => {
    const doc = (await (await fetch(`${server.url}/openapi.json`, { headers: as('reader') })).json()) as Record<string, unknown>;
    expect(doc['x-idempotency-retention-seconds']).toBe(7200);
    expect(JSON.stringify(doc)).toContain('kept for 2 hours (7200 s)');
  });

  it('answers other methods with 405 and Allow, and OPTIONS with Allow, instead of falling through to the resources', async () => {
    const post = await fetch(`${server.url}/openapi.json`, { method: 'POST', headers: as('alice', { 'content-type': 'application/json' }), body: '{}' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect(post.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const options = await fetch(`${server.url}/metrics`, { method: 'OPTIONS', headers: as('reader') });
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    const head = await fetch(`${server.url}/openapi.json`, { method: 'HEAD', headers: as('reader') });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});
