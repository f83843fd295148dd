import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExampleServer, type ExampleServer } from '../test-support/example-server.js';
import { API_KEYS, as, JSON_BODY } from './test-keys.js';

/** The console's JSON endpoints under /_idem/ (admin role). */
let server: ExampleServer;
beforeAll(async () => {
  server = await startExampleServer({ apiKeys: API_KEYS });
});
afterAll(async () => {
  await server?.close();
});

async function admin(path: string): Promise<{ status: number; type: string | null; body: Record<string, unknown> }> {
  const response = await fetch(server.url + path, { headers: as('admin') });
  return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as Record<string, unknown> };
}

describe('/_idem admin endpoints', () => {
  it('list resource types with their document counts', async () => {
    for (const username of ['c1', 'c2']) {
      await fetch(`${server.url}/users`, { method: 'POST', headers: as('alice', JSON_BODY), body: JSON.stringify({ username, email: `${username}@example.com` }) });
    }
    const { status, body } = await admin('/_idem/resources');
    expect(status).toBe(200);
    const items = body['items'] as Array<{ name: string; count: number; idPolicy: string }>;
    expect(items.find((r) => r.name === 'users')).toMatchObject({ count: 2, idPolicy: 'server' });
    expect(items.find((r) => r.name === 'flights')).toMatchObject({ count: 0, idPolicy: 'client' });
  });

  it('show a resource\'s history with parsed documents, newest first, after it was deleted too', async () => {
    const created = await fetch(`${server.url}/tickets`, { method: 'POST', headers: as('alice', JSON_BODY), body: JSON.stringify({ subject: 'Broken', status: 'open' }) });
    const location = created.headers.get('location') as string;
    const id = location.split('/')[2] as string;
    const del = await fetch(server.url + location, { method: 'DELETE', headers: as('bob', { 'if-match': created.headers.get('etag') as string }) });
    expect(del.status).toBe(204);
    const { status, body } = await admin(`/_idem/resources/tickets/${id}/versions`);
    expect(status).toBe(200);
    const items = body['items'] as Array<{ version: number; change: string; principal: string; document: unknown }>;
    expect(items.map((v) => [v.version, v.change, v.principal])).toEqual([
      [2, 'delete', 'bob'],
      [1, 'create', 'alice'],
    ]);
    expect(items[1]?.document).toMatchObject({ subject: 'Broken', status: 'open' });
    expect(items[0]?.document).toBeNull();
  });

  it('list recent idempotency keys with their outcome but not the stored response body', async () => {
    await fetch(`${server.url}/users`, { method: 'POST', headers: as('alice', { ...JSON_BODY, 'idempotency-key': '"console-key"' }), body: JSON.stringify({ username: 'keyed', email: 'k@example.com' }) });
    const { status, body } = await admin('/_idem/idempotency?limit=10');
    expect(status).toBe(200);
    const entry = (body['items'] as Array<Record<string, unknown>>).find((k) => k['key'] === 'console-key');
    expect(entry).toMatchObject({ principal: 'alice', state: 'done', status: 201 });
    expect(JSON.stringify(entry)).not.toContain('k@example.com');
  });

  it('answer bad input with problems: an unknown type is 404, a bad limit is 400', async () => {
    const unknown = await admin('/_idem/resources/nope/1/versions');
    expect(unknown.status).toBe(404);
    expect(unknown.type).toMatch(/^application\/problem\+json/);
    const bad = await admin('/_idem/idempotency?limit=abc');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ type: 'https://idem.dev/problems/invalid-query' });
    expect(bad.body['detail']).toMatch(/limit must be a whole number/);
    expect((await admin('/_idem/resources/users/never-existed/versions')).status).toBe(404);
  });
});
