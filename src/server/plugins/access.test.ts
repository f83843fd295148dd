import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExampleServer, type ExampleServer } from '../test-support/example-server.js';
import { API_KEYS, as, JSON_BODY, SECRETS } from './test-keys.js';

/**
 * SPEC §7 through the real server: API keys, roles, and the principal as the
 * Idempotency-Key scope.
 */
let server: ExampleServer;

beforeAll(async () => {
  server = await startExampleServer({ apiKeys: API_KEYS });
});
afterAll(async () => {
  await server?.close();
});

async function call(method: string, path: string, headers: Record<string, string> = {}, body?: unknown) {
  const response = await fetch(server.url + path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  const isJson = /json/.test(response.headers.get('content-type') ?? '');
  return { status: response.status, headers: response.headers, text, json: isJson && text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

async function userCount(): Promise<number> {
  return server.store.countDocuments('users');
}

describe('authentication', () => {
  it('answers a request without credentials with 401, WWW-Authenticate: Bearer and a problem', async () => {
    const r = await call('GET', '/users');
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toBe('Bearer realm="idem"');
    expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(r.json).toMatchObject({ type: 'https://idem.dev/problems/unauthorized', status: 401, instance: '/users' });
    expect(r.json?.['detail']).toMatch(/Authorization: Bearer/);
  });

  it('answers an unknown key with 401 and error="invalid_token", and never echoes the secret', async () => {
    const r = await call('GET', '/users', { authorization: `Bearer ${SECRETS.alice}-wrong` });
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toBe('Bearer realm="idem", error="invalid_token"');
    expect(r.text).not.toContain(SECRETS.alice);
  });

  it('does not let an unauthenticated write change anything', async () => {
    const before = await userCount();
    const r = await call('POST', '/users', JSON_BODY, { username: 'mallory', email: 'm@example.com' });
    expect(r.status).toBe(401);
    expect(await userCount()).toBe(before);
  });

  it('keeps /healthz open and protects /openapi.json, /metrics and the admin data', async () => {
    expect((await call('GET', '/healthz')).status).toBe(200);
    for (const path of ['/openapi.json', '/metrics', '/_idem/resources', '/_idem/idempotency']) {
      expect((await call('GET', path)).status, path).toBe(401);
    }
    expect((await call('GET', '/openapi.json', as('reader'))).status).toBe(200);
    expect((await call('GET', '/metrics', as('reader'))).status).toBe(200);
  });
});

describe('roles', () => {
  it('lets a reader GET, and answers its writes with 403 without changing anything', async () => {
    const created = await call('POST', '/users', as('alice', JSON_BODY), { username: 'ada', email: 'ada@example.com' });
    expect(created.status).toBe(201);
    const location = created.headers.get('location') as string;
    const etag = created.headers.get('etag') as string;

    expect((await call('GET', location, as('reader'))).status).toBe(200);
    expect((await call('HEAD', location, as('reader'))).status).toBe(200);
    expect((await call('OPTIONS', location, as('reader'))).status).toBe(204);

    const before = await userCount();
    const attempts = [
      call('POST', '/users', as('reader', JSON_BODY), { username: 'eve', email: 'eve@example.com' }),
      call('PUT', location, as('reader', { ...JSON_BODY, 'if-match': etag }), { username: 'eve', email: 'eve@example.com' }),
      call('PATCH', location, as('reader', { 'content-type': 'application/merge-patch+json', 'if-match': etag }), { username: 'eve' }),
      call('DELETE', location, as('reader', { 'if-match': etag })),
    ];
    for (const r of await Promise.all(attempts)) {
      expect(r.status).toBe(403);
      expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(r.json).toMatchObject({ type: 'https://idem.dev/problems/forbidden', principal: 'reader', requiredRole: 'write' });
    }
    expect(await userCount()).toBe(before);
    const after = await call('GET', location, as('reader'));
    expect(after.headers.get('etag')).toBe(etag);
    expect(after.json).toMatchObject({ username: 'ada', version: 1 });
  });

  it('applies roles per resource type: the clerk writes tickets but only reads users', async () => {
    const ticket = await call('POST', '/tickets', as('clerk', JSON_BODY), { subject: 'Printer on fire', status: 'open' });
    expect(ticket.status).toBe(201);
    const user = await call('POST', '/users', as('clerk', JSON_BODY), { username: 'clerkish', email: 'c@example.com' });
    expect(user.status).toBe(403);
    expect(user.json?.['detail']).toMatch(/has the read role on users; POST needs the write role/);
  });

  it('keeps the console admin data for admins', async () => {
    expect((await call('GET', '/_idem/resources', as('alice'))).status).toBe(403);
    const admin = await call('GET', '/_idem/resources', as('admin'));
    expect(admin.status).toBe(200);
    expect((admin.json?.['items'] as Array<{ name: string }>).map((r) => r.name)).toContain('users');
  });

  it('lets the console pages themselves load without a key: they hold no data', async () => {
    for (const path of ['/', '/docs', '/docs/swagger-ui-bundle.js', '/_idem/console/console.js']) {
      expect((await call('GET', path)).status, path).toBe(200);
    }
  });
});

describe('the principal scopes Idempotency-Keys and is recorded in history', () => {
  it('never replays one principal\'s response to another principal using the same key', async () => {
    const key = '"shared-key-0001"';
    const alice = await call('POST', '/users', as('alice', { ...JSON_BODY, 'idempotency-key': key }), { username: 'alice-user', email: 'a1@example.com' });
    expect(alice.status).toBe(201);

    // Same key, same body shape — but bob's request is his own: it runs and creates his resource.
    const bob = await call('POST', '/users', as('bob', { ...JSON_BODY, 'idempotency-key': key }), { username: 'bob-user', email: 'b1@example.com' });
    expect(bob.status).toBe(201);
    expect(bob.headers.get('idempotent-replayed')).toBeNull();
    expect(bob.headers.get('location')).not.toBe(alice.headers.get('location'));
    expect(bob.json?.['username']).toBe('bob-user');

    // Each principal's own retry is a replay of its own response.
    const aliceRetry = await call('POST', '/users', as('alice', { ...JSON_BODY, 'idempotency-key': key }), { username: 'alice-user', email: 'a1@example.com' });
    expect(aliceRetry.status).toBe(201);
    expect(aliceRetry.headers.get('idempotent-replayed')).toBe('true');
    expect(aliceRetry.headers.get('location')).toBe(alice.headers.get('location'));

    // And bob sending alice's exact request under the shared key is not her replay either.
    const bobAsAlice = await call('POST', '/users', as('bob', { ...JSON_BODY, 'idempotency-key': key }), { username: 'alice-user', email: 'a1@example.com' });
    expect(bobAsAlice.status).toBe(422);
    expect(bobAsAlice.text).not.toContain(alice.headers.get('location') as string);
  });

  it('records who made each change in the history', async () => {
    const created = await call('POST', '/users', as('alice', JSON_BODY), { username: 'histo', email: 'h@example.com' });
    const location = created.headers.get('location') as string;
    const etag = created.headers.get('etag') as string;
    const changed = await call('PATCH', location, as('bob', { 'content-type': 'application/merge-patch+json', 'if-match': etag }), { age: 40 });
    expect(changed.status).toBe(200);
    const history = await call('GET', `${location}/versions`, as('reader'));
    expect((history.json?.['items'] as Array<{ version: number; principal: string }>).map((v) => [v.version, v.principal])).toEqual([
      [2, 'bob'],
      [1, 'alice'],
    ]);
  });
});
