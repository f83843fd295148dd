import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExampleServer, type ExampleServer } from '../test-support/example-server.js';
import { CORS_ALLOWED_HEADERS, CORS_EXPOSED_HEADERS, parseCorsOrigins } from './cors.js';
import { API_KEYS, as } from './test-keys.js';

/** CORS on the wire (the browser test shows a real cross-origin client using it). */
const ORIGIN = 'http://app.example.test:5173';
let server: ExampleServer;
let closed: ExampleServer | undefined;

beforeAll(async () => {
  server = await startExampleServer({ apiKeys: API_KEYS, corsOrigins: [ORIGIN] });
});
afterAll(async () => {
  await server?.close();
  await closed?.close();
});

function preflight(origin: string, method = 'PUT'): Promise<Response> {
  return fetch(`${server.url}/flights/AC1`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization,content-type,if-match,idempotency-key,prefer' },
  });
}

describe('CORS', () => {
  it('answers a preflight from an allowed origin without credentials, allowing idem\'s request headers', async () => {
    const r = await preflight(ORIGIN);
    expect(r.status).toBe(204);
    expect(r.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const allowHeaders = (r.headers.get('access-control-allow-headers') ?? '').toLowerCase();
    for (const h of CORS_ALLOWED_HEADERS) expect(allowHeaders).toContain(h.toLowerCase());
    expect(r.headers.get('access-control-allow-methods')).toContain('PATCH');
    expect(r.headers.get('vary')).toMatch(/origin/i);
  });

  it('exposes ETag, Location, Idempotent-Replayed, Retry-After, Preference-Applied and Link on real responses, errors included', async () => {
    const ok = await fetch(`${server.url}/users`, { headers: as('reader', { origin: ORIGIN }) });
    expect(ok.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const exposed = (ok.headers.get('access-control-expose-headers') ?? '').split(/\s*,\s*/);
    expect(exposed).toEqual(expect.arrayContaining(['ETag', 'Location', 'Idempotent-Replayed', 'Retry-After', 'Preference-Applied', 'Link']));
    expect(exposed).toEqual(expect.arrayContaining(CORS_EXPOSED_HEADERS));
    const denied = await fetch(`${server.url}/users`, { headers: { origin: ORIGIN } });
    expect(denied.status).toBe(401);
    expect(denied.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  });

  it('gives other origins no CORS headers', async () => {
    const r = await preflight('http://evil.example.test');
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
    const get = await fetch(`${server.url}/users`, { headers: as('reader', { origin: 'http://evil.example.test' }) });
    expect(get.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('still lets a plain OPTIONS reach the API, which answers with Allow and Accept-Patch', async () => {
    const r = await fetch(`${server.url}/flights/AC1`, { method: 'OPTIONS', headers: as('reader') });
    expect(r.status).toBe(204);
    expect(r.headers.get('allow')).toBe('GET, HEAD, PUT, PATCH, DELETE, OPTIONS');
    expect(r.headers.get('accept-patch')).toContain('application/merge-patch+json');
  });

  it('is off by default: no CORS headers at all', async () => {
    closed = await startExampleServer({ apiKeys: API_KEYS });
    const r = await fetch(`${closed.url}/users`, { headers: as('reader', { origin: ORIGIN }) });
    expect(r.status).toBe(200);
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('parseCorsOrigins', () => {
  it('splits --cors values on commas and spaces and drops a trailing slash', () => {
    expect(parseCorsOrigins(['http://a.test:3000, https://b.test/', 'http://c.test'])).toEqual(['http://a.test:3000', 'https://b.test', 'http://c.test']);
    expect(parseCorsOrigins('*')).toEqual(['*']);
    expect(parseCorsOrigins(undefined)).toEqual([]);
  });

  it('refuses something that is not an origin', () => {
    expect(() => parseCorsOrigins('a.test')).toThrow(/not an origin; write it as scheme:\/\/host\[:port\]/);
    expect(() => parseCorsOrigins('http://a.test/app')).toThrow(/not an origin/);
  });
});
