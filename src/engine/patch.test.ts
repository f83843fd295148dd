import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engineHarness, type EngineHarness } from './test-support/engine-harness.js';

let h: EngineHarness;
beforeEach(async () => {
  h = await engineHarness();
});
afterEach(async () => h.close());

const MERGE = { 'content-type': 'application/merge-patch+json' };
const JSONP = { 'content-type': 'application/json-patch+json' };

async function ticket() {
  return h.create('tickets', { subject: 'Refund', status: 'open', notes: ['first'] });
}

describe('PATCH with application/merge-patch+json (RFC 7396)', () => {
  it('changes only the named fields; null removes one', async () => {
    const t = await ticket();
    const res = await h.call('PATCH', `/tickets/${t.id}`, { raw: '{"status":"pending","notes":null}', headers: MERGE });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ subject: 'Refund', status: 'pending', version: 2 });
    expect(res.json).not.toHaveProperty('notes');
    expect(res.headers['etag']).toBeDefined();
  });

  it('validates the result as a whole document: 400 and nothing changes', async () => {
    const t = await ticket();
    const bad = await h.call('PATCH', `/tickets/${t.id}`, { raw: '{"status":"lost"}', headers: MERGE });
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].pointer).toBe('/status');
    const removesRequired = await h.call('PATCH', `/tickets/${t.id}`, { raw: '{"subject":null}', headers: MERGE });
    expect(removesRequired.status).toBe(400);
    expect((await h.call('GET', `/tickets/${t.id}`)).json).toEqual(t);
  });

  it('that changes nothing changes nothing (no version bump)', async () => {
    const t = await ticket();
    const res = await h.call('PATCH', `/tickets/${t.id}`, { raw: '{"status":"open"}', headers: MERGE });
    expect(res.status).toBe(200);
    expect(res.json).toEqual(t);
    expect((await h.call('GET', `/tickets/${t.id}/versions`)).json.items).toHaveLength(1);
  });

  it('cannot patch server-managed fields (400); a matching version is a guard, a stale one 409', async () => {
    const t = await ticket();
    for (const raw of ['{"createdAt":"2000-01-01T00:00:00Z"}', '{"updatedAt":"x"}', '{"id":"other"}', '{"version":null}']) {
      const res = await h.call('PATCH', `/tickets/${t.id}`, { raw, headers: MERGE });
      expect(res.status, raw).toBe(400);
      expect(res.json.type).toMatch(/read-only-field$/);
    }
    expect((await h.call('PATCH', `/tickets/${t.id}`, { raw: '{"version":1,"status":"closed"}', headers: MERGE })).status).toBe(200);
    const stale = await h.call('PATCH', `/tickets/${t.id}`, { raw: '{"version":1,"status":"open"}', headers: MERGE });
    expect(stale.status).toBe(409);
    expect(stale.json.currentVersion).toBe(2);
    expect(stale.json.currentEtag).toEqual(expect.any(String));
  });

  it('honours If-Match and 428 like PUT', async () => {
    const t = await ticket();
    const stale = await h.call('PATCH', `/tickets/${t.id}`, { raw: '{"status":"closed"}', headers: { ...MERGE, 'if-match': '"old"' } });
    expect(stale.status).toBe(412);
    const acct = await h.call('POST', '/accounts', { body: { givenName: 'A', surname: 'B', status: 'active' } });
    expect((await h.call('PATCH', `/accounts/${acct.json.id}`, { raw: '{"status":"blocked"}', headers: MERGE })).status).toBe(428);
  });

  it('of a missing resource is 404', async () => {
    expect((await h.call('PATCH', '/tickets/nope', { raw: '{"status":"closed"}', headers: MERGE })).status).toBe(404);
  });
});

describe('PATCH with application/json-patch+json (RFC 6902)', () => {
  it('applies operations in order', async () => {
    const t = await ticket();
    const ops = [
      { op: 'add', path: '/notes/-', value: 'second' },
      { op: 'replace', path: '/status', value: 'closed' },
    ];
    const res = await h.call('PATCH', `/tickets/${t.id}`, { body: ops, headers: JSONP });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ notes: ['first', 'second'], status: 'closed', version: 2 });
  });

  it('a failing test operation is 409 with the current version, and nothing changes', async () => {
    const t = await ticket();
    const res = await h.call('PATCH', `/tickets/${t.id}`, { body: [{ op: 'test', path: '/status', value: 'closed' }, { op: 'replace', path: '/status', value: 'open' }], headers: JSONP });
    expect(res.status).toBe(409);
    expect(res.json.currentVersion).toBe(1);
    expect(res.json.currentEtag).toEqual(expect.any(String));
    expect((await h.call('GET', `/tickets/${t.id}`)).json).toEqual(t);
  });

  it('a test on /version works as a guard', async () => {
    const t = await ticket();
    const ok = await h.call('PATCH', `/tickets/${t.id}`, { body: [{ op: 'test', path: '/version', value: 1 }, { op: 'replace', path: '/status', value: 'closed' }], headers: JSONP });
    expect(ok.status).toBe(200);
    const stale = await h.call('PATCH', `/tickets/${t.id}`, { body: [{ op: 'test', path: '/version', value: 1 }, { op: 'replace', path: '/status', value: 'open' }], headers: JSONP });
    expect(stale.status).toBe(409);
  });

  it('a path that does not exist is 409', async () => {
    const t = await ticket();
    const res = await h.call('PATCH', `/tickets/${t.id}`, { body: [{ op: 'replace', path: '/nope/deeper', value: 1 }], headers: JSONP });
    expect(res.status).toBe(409);
  });

  it('a malformed patch document is 400', async () => {
    const t = await ticket();
    for (const body of [{ op: 'add' }, [{ op: 'bogus', path: '/status' }], [{ op: 'add', path: 'status', value: 1 }], [{ op: 'replace', path: '/status' }]]) {
      const res = await h.call('PATCH', `/tickets/${t.id}`, { body, headers: JSONP });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });

  it('cannot touch server-managed fields', async () => {
    const t = await ticket();
    const res = await h.call('PATCH', `/tickets/${t.id}`, { body: [{ op: 'replace', path: '/version', value: 9 }], headers: JSONP });
    expect(res.status).toBe(400);
    expect(res.json.type).toMatch(/read-only-field$/);
  });
});

describe('PATCH media types', () => {
  it('any other type is 415 with Accept-Patch listing both formats', async () => {
    const t = await ticket();
    const res = await h.call('PATCH', `/tickets/${t.id}`, { raw: '{"status":"closed"}', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(415);
    expect(res.headers['accept-patch']).toBe('application/merge-patch+json, application/json-patch+json');
  });
});
