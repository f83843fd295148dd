import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engineHarness, type EngineHarness } from './test-support/engine-harness.js';

let h: EngineHarness;
beforeEach(async () => {
  h = await engineHarness();
});
afterEach(async () => h.close());

const ada = { username: 'ada', email: 'ada@example.com', age: 36, interests: ['maths'] };

describe('POST /{c}', () => {
  it('creates with a server id: 201, Location, ETag, body with server fields', async () => {
    const res = await h.call('POST', '/users', { body: ada });
    expect(res.status).toBe(201);
    expect(res.headers['location']).toBe(`/users/${res.json.id}`);
    expect(res.headers['etag']).toMatch(/^"[^"]+"$/);
    expect(res.json).toMatchObject({ ...ada, version: 1 });
    expect(res.json.createdAt).toBe(res.json.updatedAt);
    expect(new Date(res.json.createdAt).toISOString()).toBe(res.json.createdAt);
    const got = await h.call('GET', res.headers['location'] as string);
    expect(got.json).toEqual(res.json);
    expect(got.headers['etag']).toBe(res.headers['etag']);
  });

  it('assigns sortable, unguessable ids (UUIDv7)', async () => {
    const a = await h.create('customers', { name: 'A' });
    const b = await h.create('customers', { name: 'B' });
    expect(a.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.id < b.id).toBe(true);
  });

  it('refuses an invalid document with 400 naming every error, and stores nothing', async () => {
    const res = await h.call('POST', '/users', { body: { username: 'x', email: 'not-an-email', age: -1, nickname: 'typo' } });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const pointers = res.json.errors.map((e: { pointer: string }) => e.pointer).sort();
    expect(pointers).toEqual(['/age', '/email', '/nickname']);
    expect((await h.call('GET', '/users')).json.items).toEqual([]);
  });

  it('is 405 with Allow on a collection whose ids the client picks', async () => {
    const res = await h.call('POST', '/flights', { body: { status: 'late', gate: 'A1' } });
    expect(res.status).toBe(405);
    expect(res.headers['allow']).toBe('GET, HEAD, OPTIONS');
  });

  it('refuses a body id on a server-id collection', async () => {
    const res = await h.call('POST', '/customers', { body: { id: 'mine', name: 'A' } });
    expect(res.status).toBe(400);
    expect(res.json.type).toMatch(/id-mismatch$/);
  });

  it('returns 201 without a body for Prefer: return=minimal, saying so', async () => {
    const res = await h.call('POST', '/customers', { body: { name: 'A' }, headers: { prefer: 'return=minimal' } });
    expect(res.status).toBe(201);
    expect(res.text).toBeUndefined();
    expect(res.headers['preference-applied']).toBe('return=minimal');
    expect(res.headers['location']).toMatch(/^\/customers\//);
    expect(res.headers['etag']).toBeDefined();
  });

  it('is 409 for a duplicate unique field, naming the field, and creates nothing', async () => {
    await h.create('users', ada);
    const res = await h.call('POST', '/users', { body: { username: 'ada', email: 'other@example.com' } });
    expect(res.status).toBe(409);
    expect(res.json.field).toBe('username');
    expect(res.json).toHaveProperty('currentEtag');
    expect(res.json).toHaveProperty('currentVersion');
    expect((await h.call('GET', '/users')).json.items).toHaveLength(1);
  });
});

describe('PUT /{c}/{id}', () => {
  it('replaces the whole document: optional fields left out are removed, nothing is merged', async () => {
    const created = await h.create('users', ada);
    const res = await h.call('PUT', `/users/${created.id}`, { body: { username: 'ada', email: 'ada@example.org' } });
    expect(res.status).toBe(200);
    expect(res.json).not.toHaveProperty('age');
    expect(res.json).not.toHaveProperty('interests');
    expect(res.json).toMatchObject({ id: created.id, username: 'ada', email: 'ada@example.org', version: 2, createdAt: created.createdAt });
    expect(res.headers['etag']).not.toBe(created.etag);
  });

  it('with required fields missing is 400 naming each one and pointing to PATCH, and changes nothing', async () => {
    const created = await h.create('users', ada);
    const res = await h.call('PUT', `/users/${created.id}`, { body: { age: 40 } });
    expect(res.status).toBe(400);
    expect(res.json.missing.sort()).toEqual(['email', 'username']);
    expect(res.json.detail).toMatch(/PUT replaces the whole resource/);
    expect(res.json.detail).toMatch(/PATCH/);
    expect((await h.call('GET', `/users/${created.id}`)).json).toEqual(created);
  });

  it('that changes nothing changes nothing: same version, updatedAt, ETag, no history entry', async () => {
    const created = await h.create('users', ada);
    const before = await h.call('GET', `/users/${created.id}`);
    const res = await h.call('PUT', `/users/${created.id}`, { body: { email: ada.email, interests: ['maths'], username: 'ada', age: 36 } });
    expect(res.status).toBe(200);
    expect(res.json).toEqual(created);
    expect(res.headers['etag']).toBe(before.headers['etag']);
    expect((await h.call('GET', `/users/${created.id}/versions`)).json.items).toHaveLength(1);
  });

  it('accepts what GET returned: server fields are output-only, createdAt/updatedAt ignored', async () => {
    const created = await h.create('customers', { name: 'A', city: 'Oslo' });
    const edited = { ...created, city: 'Bergen', createdAt: '2000-01-01T00:00:00.000Z', updatedAt: '2000-01-01T00:00:00.000Z' };
    const res = await h.call('PUT', `/customers/${created.id}`, { body: edited });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ city: 'Bergen', version: 2, createdAt: created.createdAt });
    expect(res.json.updatedAt).not.toBe('2000-01-01T00:00:00.000Z');
  });

  it('repeated leaves the same state', async () => {
    const created = await h.create('customers', { name: 'A' });
    const first = await h.call('PUT', `/customers/${created.id}`, { body: { name: 'B' } });
    const second = await h.call('PUT', `/customers/${created.id}`, { body: { name: 'B' } });
    expect(second.status).toBe(200);
    expect(second.json).toEqual(first.json);
    expect(second.headers['etag']).toBe(first.headers['etag']);
  });

  it('with a body id that differs from the URL is 400', async () => {
    const created = await h.create('customers', { name: 'A' });
    const res = await h.call('PUT', `/customers/${created.id}`, { body: { id: 'other', name: 'B' } });
    expect(res.status).toBe(400);
    expect(res.json.type).toMatch(/id-mismatch$/);
  });

  it('with a stale body version is 409 with the current version and ETag, and changes nothing', async () => {
    const created = await h.create('customers', { name: 'A' });
    const updated = await h.call('PUT', `/customers/${created.id}`, { body: { name: 'B' } });
    const res = await h.call('PUT', `/customers/${created.id}`, { body: { ...created, name: 'C' } });
    expect(res.status).toBe(409);
    expect(res.json.currentVersion).toBe(2);
    expect(res.json.currentEtag).toBe(updated.headers['etag']);
    expect((await h.call('GET', `/customers/${created.id}`)).json.name).toBe('B');
  });

  it('on a missing server-id resource is 404: you cannot replace what is not there', async () => {
    const res = await h.call('PUT', '/customers/nope', { body: { name: 'A' } });
    expect(res.status).toBe(404);
    expect(res.json.detail).toMatch(/POST \/customers/);
  });

  it('creates a client-id resource: 201 with Location', async () => {
    const res = await h.call('PUT', '/flights/AC789', { body: { status: 'ontime', gate: 'B12' } });
    expect(res.status).toBe(201);
    expect(res.headers['location']).toBe('/flights/AC789');
    expect(res.json).toMatchObject({ id: 'AC789', version: 1 });
    const again = await h.call('PUT', '/flights/AC789', { body: { status: 'late', gate: 'B12' } });
    expect(again.status).toBe(200);
    expect(again.json.version).toBe(2);
  });

  it('creates on a both-policy collection, which also accepts POST', async () => {
    const put = await h.call('PUT', '/accounts/acme', { body: { givenName: 'A', surname: 'B', status: 'active' }, headers: { 'if-none-match': '*' } });
    expect(put.status).toBe(201);
    const post = await h.call('POST', '/accounts', { body: { givenName: 'C', surname: 'D', status: 'active' } });
    expect(post.status).toBe(201);
  });

  it('with an invalid id is 400; GET of that id is 404', async () => {
    const res = await h.call('PUT', '/flights/bad%20id', { body: { status: 'late', gate: 'A' } });
    expect(res.status).toBe(400);
    expect(res.json.type).toMatch(/invalid-id$/);
    expect((await h.call('GET', '/flights/bad%20id')).status).toBe(404);
    expect((await h.call('PUT', `/flights/${'x'.repeat(129)}`, { body: { status: 'late', gate: 'A' } })).status).toBe(400);
  });

  it('returns 204 for Prefer: return=minimal', async () => {
    const created = await h.create('customers', { name: 'A' });
    const res = await h.call('PUT', `/customers/${created.id}`, { body: { name: 'B' }, headers: { prefer: 'return=minimal' } });
    expect(res.status).toBe(204);
    expect(res.text).toBeUndefined();
    expect(res.headers['preference-applied']).toBe('return=minimal');
    expect(res.headers['etag']).toBeDefined();
  });
});
