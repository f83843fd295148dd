import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engineHarness, type EngineHarness } from './test-support/engine-harness.js';

let h: EngineHarness;
beforeEach(async () => {
  h = await engineHarness();
});
afterEach(async () => h.close());

async function customer() {
  const res = await h.call('POST', '/customers', { body: { name: 'A' } });
  return { id: res.json.id as string, etag: res.headers['etag'] as string, path: `/customers/${res.json.id}` };
}

describe('If-Match (RFC 9110 §13.1.1)', () => {
  it('PUT with the current ETag succeeds', async () => {
    const c = await customer();
    expect((await h.call('PUT', c.path, { body: { name: 'B' }, headers: { 'if-match': c.etag } })).status).toBe(200);
  });

  it('PUT with a stale If-Match is 412 with the current ETag and version, and changes nothing', async () => {
    const c = await customer();
    const next = await h.call('PUT', c.path, { body: { name: 'B' } });
    const res = await h.call('PUT', c.path, { body: { name: 'C' }, headers: { 'if-match': c.etag } });
    expect(res.status).toBe(412);
    expect(res.json.currentEtag).toBe(next.headers['etag']);
    expect(res.json.currentVersion).toBe(2);
    expect(res.json.currentVersionUrl).toBe(`${c.path}/versions/2`);
    expect((await h.call('GET', c.path)).json.name).toBe('B');
  });

  it('matches when any ETag of a list is current', async () => {
    const c = await customer();
    const res = await h.call('PUT', c.path, { body: { name: 'B' }, headers: { 'if-match': `"nope", ${c.etag}` } });
    expect(res.status).toBe(200);
  });

  it('never matches a weak ETag (strong comparison)', async () => {
    const c = await customer();
    const res = await h.call('PUT', c.path, { body: { name: 'B' }, headers: { 'if-match': `W/${c.etag}` } });
    expect(res.status).toBe(412);
  });

  it('* matches an existing resource and fails on a missing one', async () => {
    const c = await customer();
    expect((await h.call('PATCH', c.path, { raw: '{"name":"B"}', headers: { 'content-type': 'application/merge-patch+json', 'if-match': '*' } })).status).toBe(200);
    const missing = await h.call('PUT', '/flights/NEW1', { body: { status: 'late', gate: 'A' }, headers: { 'if-match': '*' } });
    expect(missing.status).toBe(412);
    expect(missing.json.currentEtag).toBeNull();
    expect((await h.call('GET', '/flights/NEW1')).status).toBe(404);
  });

  it('on DELETE: stale is 412 and the resource stays', async () => {
    const c = await customer();
    await h.call('PUT', c.path, { body: { name: 'B' } });
    expect((await h.call('DELETE', c.path, { headers: { 'if-match': c.etag } })).status).toBe(412);
    expect((await h.call('GET', c.path)).status).toBe(200);
  });

  it('a malformed If-Match is 400, not a guess', async () => {
    const c = await customer();
    const res = await h.call('PUT', c.path, { body: { name: 'B' }, headers: { 'if-match': 'unquoted' } });
    expect(res.status).toBe(400);
    expect(res.json.detail).toMatch(/quoted/);
  });
});

describe('If-None-Match (RFC 9110 §13.1.2)', () => {
  it('* on PUT means create-only: 201 when missing, 412 when it exists', async () => {
    const body = { status: 'ontime', gate: 'C3' };
    expect((await h.call('PUT', '/flights/LH1', { body, headers: { 'if-none-match': '*' } })).status).toBe(201);
    const again = await h.call('PUT', '/flights/LH1', { body: { ...body, gate: 'D4' }, headers: { 'if-none-match': '*' } });
    expect(again.status).toBe(412);
    expect(again.json.currentVersion).toBe(1);
    expect((await h.call('GET', '/flights/LH1')).json.gate).toBe('C3');
  });

  it('GET with a matching ETag is 304 without a body, with the ETag', async () => {
    const c = await customer();
    const res = await h.call('GET', c.path, { headers: { 'if-none-match': c.etag } });
    expect(res.status).toBe(304);
    expect(res.text).toBeUndefined();
    expect(res.headers['etag']).toBe(c.etag);
    expect((await h.call('GET', c.path, { headers: { 'if-none-match': `W/${c.etag}` } })).status).toBe(304);
    expect((await h.call('GET', c.path, { headers: { 'if-none-match': '"other"' } })).status).toBe(200);
  });
});

describe('428 Precondition Required (RFC 6585 §3)', () => {
  it('accounts refuse PUT, PATCH and DELETE without If-Match', async () => {
    const created = await h.call('POST', '/accounts', { body: { givenName: 'A', surname: 'B', status: 'active' } });
    const path = `/accounts/${created.json.id}`;
    expect((await h.call('PUT', path, { body: { givenName: 'A', surname: 'B', status: 'blocked' } })).status).toBe(428);
    const patch = await h.call('PATCH', path, { raw: '{"status":"blocked"}', headers: { 'content-type': 'application/merge-patch+json' } });
    expect(patch.status).toBe(428);
    expect(patch.json.detail).toMatch(/If-Match/);
    expect((await h.call('DELETE', path)).status).toBe(428);
    expect((await h.call('GET', path)).json.status).toBe('active');
    const ok = await h.call('PUT', path, { body: { givenName: 'A', surname: 'B', status: 'blocked' }, headers: { 'if-match': created.headers['etag'] as string } });
    expect(ok.status).toBe(200);
  });
});
