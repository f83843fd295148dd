import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExampleServer, type ExampleServer } from '../test-support/example-server.js';
import { API_KEYS, as } from './test-keys.js';

/** SPEC §7: a rate limit per principal, answered with 429, Retry-After and a problem. */
let server: ExampleServer;
const LIMIT = 3;

beforeAll(async () => {
  server = await startExampleServer({ apiKeys: API_KEYS, rateLimitPerMinute: LIMIT });
});
afterAll(async () => {
  await server?.close();
});

describe('rate limit per principal', () => {
  it('answers the request over the limit with 429, Retry-After and problem+json, and leaves other principals alone', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT; i++) {
      const r = await fetch(`${server.url}/users`, { headers: as('reader') });
      await r.arrayBuffer();
      statuses.push(r.status);
      expect(r.headers.get('x-ratelimit-limit')).toBe(String(LIMIT));
    }
    expect(statuses).toEqual([200, 200, 200]);

    const limited = await fetch(`${server.url}/users`, { headers: as('reader') });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const problem = (await limited.json()) as Record<string, unknown>;
    expect(problem).toMatchObject({ type: 'https://idem.dev/problems/rate-limited', status: 429, limit: LIMIT });
    expect(problem['detail']).toMatch(/Retry-After/);

    // Another principal has its own budget.
    const other = await fetch(`${server.url}/users`, { headers: as('alice') });
    await other.arrayBuffer();
    expect(other.status).toBe(200);
  });

  it('does not run a write that was rate limited', async () => {
    for (let i = 0; i < LIMIT; i++) await (await fetch(`${server.url}/users`, { headers: as('bob') })).arrayBuffer();
    const before = await server.store.countDocuments('users');
    const r = await fetch(`${server.url}/users`, {
      method: 'POST',
      headers: as('bob', { 'content-type': 'application/json' }),
      body: JSON.stringify({ username: 'too-many', email: 'tm@example.com' }),
    });
    await r.arrayBuffer();
    expect(r.status).toBe(429);
    expect(await server.store.countDocuments('users')).toBe(before);
  });

  it('never limits /healthz', async () => {
    for (let i = 0; i < LIMIT + 2; i++) {
      const r = await fetch(`${server.url}/healthz`);
      await r.arrayBuffer();
      expect(r.status).toBe(200);
    }
  });
});
