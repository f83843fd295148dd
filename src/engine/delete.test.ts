import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engineHarness, type EngineHarness } from './test-support/engine-harness.js';

let h: EngineHarness;
beforeEach(async () => {
  h = await engineHarness();
});
afterEach(async () => h.close());

describe('DELETE /{c}/{id}', () => {
  it('is 204, then GET is 404 and a second DELETE is 404 with the state unchanged', async () => {
    const c = await h.create('customers', { name: 'A' });
    const path = `/customers/${c.id}`;
    const del = await h.call('DELETE', path);
    expect(del.status).toBe(204);
    expect(del.text).toBeUndefined();
    expect((await h.call('GET', path)).status).toBe(404);
    const again = await h.call('DELETE', path);
    expect(again.status).toBe(404);
    expect(again.headers['content-type']).toMatch(/problem\+json/);
    const history = await h.call('GET', `${path}/versions`);
    expect(history.json.items.map((v: { change: string }) => v.change)).toEqual(['delete', 'create']);
    expect((await h.call('GET', '/customers')).json.items).toEqual([]);
  });

  it('of a missing id is 404', async () => {
    expect((await h.call('DELETE', '/customers/nope')).status).toBe(404);
  });

  it('frees unique values for reuse', async () => {
    const u = await h.create('users', { username: 'ada', email: 'ada@example.com' });
    await h.call('DELETE', `/users/${u.id}`);
    expect((await h.call('POST', '/users', { body: { username: 'ada', email: 'ada@example.com' } })).status).toBe(201);
  });

  it('then a re-create of a client id continues the version count, so no ETag repeats', async () => {
    const first = await h.call('PUT', '/flights/AC1', { body: { status: 'ontime', gate: 'A' } });
    await h.call('DELETE', '/flights/AC1');
    const again = await h.call('PUT', '/flights/AC1', { body: { status: 'ontime', gate: 'A' } });
    expect(again.status).toBe(201);
    expect(again.json.version).toBe(3);
    expect(again.headers['etag']).not.toBe(first.headers['etag']);
    expect((await h.call('PUT', '/flights/AC1', { body: { status: 'late', gate: 'A' }, headers: { 'if-match': first.headers['etag'] as string } })).status).toBe(412);
  });
});
