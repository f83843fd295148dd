import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engineHarness, type EngineHarness } from './test-support/engine-harness.js';
import type { Principal } from './types.js';

let h: EngineHarness;
beforeEach(async () => {
  h = await engineHarness();
});
afterEach(async () => h.close());

const key = (k: string) => ({ 'idempotency-key': `"${k}"` });
const order = { items: ['book'], charge_card: false };

describe('Idempotency-Key (SPEC §4)', () => {
  it('replays a finished request with the same fingerprint: status, body, Location, ETag, Content-Type; nothing runs again', async () => {
    const first = await h.call('POST', '/orders', { body: order, headers: key('k1') });
    const second = await h.call('POST', '/orders', { raw: '{"charge_card":false,"items":["book"]}', headers: key('k1') });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    for (const name of ['location', 'etag', 'content-type', 'last-modified']) expect(second.headers[name], name).toBe(first.headers[name]);
    expect(second.text).toBe(first.text);
    expect((await h.call('GET', '/orders')).json.items).toHaveLength(1);
  });

  it('replays a byte-identical retry, a reordered one, and refuses a different one — in that order too', async () => {
    const raw = '{"items":["book"],"charge_card":false}';
    const first = await h.call('POST', '/orders', { raw, headers: key('k-bytes') });
    const same = await h.call('POST', '/orders', { raw, headers: key('k-bytes') });
    const reordered = await h.call('POST', '/orders', { raw: '{"charge_card":false,"items":["book"]}', headers: key('k-bytes') });
    const different = await h.call('POST', '/orders', { raw: '{"items":["lamp"]}', headers: key('k-bytes') });
    expect([first.status, same.status, reordered.status, different.status]).toEqual([201, 201, 201, 422]);
    expect(same.headers['idempotent-replayed']).toBe('true');
    expect(reordered.headers['idempotent-replayed']).toBe('true');
    expect(same.text).toBe(first.text);
    expect((await h.call('GET', '/orders')).json.items).toHaveLength(1);
  });

  it('replays Preference-Applied and an empty body', async () => {
    const headers = { ...key('k2'), prefer: 'return=minimal' };
    const first = await h.call('POST', '/orders', { body: order, headers });
    const second = await h.call('POST', '/orders', { body: order, headers });
    expect(second.status).toBe(201);
    expect(second.text).toBeUndefined();
    expect(second.headers['preference-applied']).toBe('return=minimal');
    expect(second.headers['location']).toBe(first.headers['location']);
  });

  it('the same key with a different body, path or method is 422 and changes nothing', async () => {
    await h.call('POST', '/orders', { body: order, headers: key('k3') });
    const res = await h.call('POST', '/orders', { body: { items: ['other'] }, headers: key('k3') });
    expect(res.status).toBe(422);
    expect(res.json.detail).toMatch(/different request/);
    expect(res.json.detail).toMatch(/kept for 24 h/);
    expect(res.json.retentionSeconds).toBe(86_400);
    expect((await h.call('POST', '/customers', { body: { name: 'A' }, headers: key('k3') })).status).toBe(422);
    expect((await h.call('GET', '/orders')).json.items).toHaveLength(1);
  });

  it('POST /orders without a key is 400 saying how to send one', async () => {
    const res = await h.call('POST', '/orders', { body: order });
    expect(res.status).toBe(400);
    expect(res.json.type).toMatch(/idempotency-key-required$/);
    expect(res.json.detail).toMatch(/Idempotency-Key: "/);
    expect(res.json.retentionSeconds).toBe(86_400);
  });

  it('a malformed key is 400', async () => {
    for (const value of ['"a", "b"', '', '"x"; y=1']) {
      expect((await h.call('POST', '/customers', { body: { name: 'A' }, headers: { 'idempotency-key': value } })).status, value).toBe(400);
    }
  });

  it('a request rejected before it runs stores nothing: the fixed retry runs afresh', async () => {
    const bad = await h.call('POST', '/orders', { body: { items: [] }, headers: key('k4') });
    expect(bad.status).toBe(400);
    const fixed = await h.call('POST', '/orders', { body: { items: ['book'] }, headers: key('k4') });
    expect(fixed.status).toBe(201);
    expect(fixed.headers['idempotent-replayed']).toBeUndefined();
    const wrongType = await h.call('POST', '/orders', { raw: '{"items":["a"]}', headers: { ...key('k5'), 'content-type': 'text/plain' } });
    expect(wrongType.status).toBe(415);
    expect((await h.call('POST', '/orders', { body: { items: ['a'] }, headers: key('k5') })).status).toBe(201);
  });

  it('processed failures (404, 412, 409) are stored and replayed, even after the state changed', async () => {
    const c = await h.create('customers', { name: 'A' });
    const path = `/customers/${c.id}`;
    const stale = await h.call('PUT', path, { body: { name: 'B' }, headers: { ...key('k6'), 'if-match': '"old"' } });
    expect(stale.status).toBe(412);
    const replayed = await h.call('PUT', path, { body: { name: 'B' }, headers: { ...key('k6'), 'if-match': '"old"' } });
    expect(replayed.status).toBe(412);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    const missing = await h.call('DELETE', '/customers/nope', { headers: key('k7') });
    expect(missing.status).toBe(404);
    expect((await h.call('DELETE', '/customers/nope', { headers: key('k7') })).headers['idempotent-replayed']).toBe('true');
  });

  it('a DELETE retried with its key replays 204 instead of answering 404', async () => {
    const c = await h.create('customers', { name: 'A' });
    expect((await h.call('DELETE', `/customers/${c.id}`, { headers: key('k8') })).status).toBe(204);
    const retry = await h.call('DELETE', `/customers/${c.id}`, { headers: key('k8') });
    expect(retry.status).toBe(204);
    expect(retry.headers['idempotent-replayed']).toBe('true');
  });

  it('is scoped by principal: one principal never sees another principal\'s stored response', async () => {
    const alice: Principal = { id: 'alice', roles: { '*': 'write' } };
    const bob: Principal = { id: 'bob', roles: { '*': 'write' } };
    const a = await h.call('POST', '/orders', { body: order, headers: key('shared'), principal: alice });
    const b = await h.call('POST', '/orders', { body: order, headers: key('shared'), principal: bob });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.headers['idempotent-replayed']).toBeUndefined();
    expect(b.json.id).not.toBe(a.json.id);
    expect((await h.call('GET', `/orders/${b.json.id}/versions/1`)).json.principal).toBe('bob');
  });

  it('a key reused after its retention runs afresh', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const clocked = await engineHarness({ idempotencyTtlMs: 60_000, now: () => new Date(now) });
    try {
      const first = await clocked.call('POST', '/orders', { body: order, headers: key('k9') });
      now += 30_000;
      expect((await clocked.call('POST', '/orders', { body: order, headers: key('k9') })).headers['idempotent-replayed']).toBe('true');
      now += 31_000;
      const fresh = await clocked.call('POST', '/orders', { body: order, headers: key('k9') });
      expect(fresh.status).toBe(201);
      expect(fresh.headers['idempotent-replayed']).toBeUndefined();
      expect(fresh.json.id).not.toBe(first.json.id);
      expect(await clocked.engine.pruneIdempotency()).toBe(0);
      now += 61_000;
      expect(await clocked.engine.pruneIdempotency()).toBe(1);
    } finally {
      await clocked.close();
    }
  });

  it('works on PUT and PATCH too', async () => {
    const put1 = await h.call('PUT', '/flights/K1', { body: { status: 'late', gate: 'A' }, headers: key('p1') });
    const put2 = await h.call('PUT', '/flights/K1', { body: { status: 'late', gate: 'A' }, headers: key('p1') });
    expect(put1.status).toBe(201);
    expect(put2.status).toBe(201);
    expect(put2.headers['idempotent-replayed']).toBe('true');
    const patch = { raw: '{"gate":"B"}', headers: { ...key('p2'), 'content-type': 'application/merge-patch+json' } };
    expect((await h.call('PATCH', '/flights/K1', patch)).json.version).toBe(2);
    expect((await h.call('PATCH', '/flights/K1', patch)).json.version).toBe(2);
  });
});
