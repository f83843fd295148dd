import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engineHarness, type EngineHarness } from './test-support/engine-harness.js';

let h: EngineHarness;
beforeEach(async () => {
  h = await engineHarness();
});
afterEach(async () => h.close());

describe('version history (SPEC §6)', () => {
  it('the support-ticket story: a stale edit is 412 naming v2, history shows v1 and v2, the re-applied edit keeps both changes', async () => {
    const created = await h.call('POST', '/tickets', { body: { subject: 'Refund request', status: 'open', notes: [] } });
    const path = `/tickets/${created.json.id}`;
    // Rep A and rep B both load v1.
    const a = await h.call('GET', path);
    const b = await h.call('GET', path);
    // B closes the ticket.
    const closed = await h.call('PUT', path, { body: { ...b.json, status: 'closed' }, headers: { 'if-match': b.headers['etag'] as string } });
    expect(closed.status).toBe(200);
    // A adds a note on top of v1: refused, naming v2.
    const stale = await h.call('PUT', path, { body: { ...a.json, notes: ['Refund approved, $150'] }, headers: { 'if-match': a.headers['etag'] as string } });
    expect(stale.status).toBe(412);
    expect(stale.json.currentVersion).toBe(2);
    expect(stale.json.currentEtag).toBe(closed.headers['etag']);
    // The history shows exactly v1 and v2, newest first.
    const history = await h.call('GET', `${path}/versions`);
    expect(history.json.items.map((v: { version: number; change: string }) => [v.version, v.change])).toEqual([
      [2, 'replace'],
      [1, 'create'],
    ]);
    // A fetches the current version from the link in the problem and re-applies the note.
    const current = await h.call('GET', stale.json.currentVersionUrl);
    expect(current.json.document.status).toBe('closed');
    const reapplied = await h.call('PUT', path, { body: { ...current.json.document, notes: ['Refund approved, $150'] }, headers: { 'if-match': stale.json.currentEtag } });
    expect(reapplied.status).toBe(200);
    expect(reapplied.json).toMatchObject({ status: 'closed', notes: ['Refund approved, $150'], version: 3 });
  });

  it('records who, when, which request, method and idempotency key', async () => {
    const res = await h.call('POST', '/customers', { body: { name: 'A' }, headers: { 'idempotency-key': '"abc"' } });
    const v1 = await h.call('GET', `/customers/${res.json.id}/versions/1`);
    expect(v1.status).toBe(200);
    expect(v1.json).toMatchObject({ version: 1, change: 'create', method: 'POST', principal: 'anonymous', idempotencyKey: 'abc', etag: res.headers['etag'] });
    expect(v1.json.requestId).toEqual(expect.any(String));
    expect(v1.json.at).toBe(res.json.createdAt);
    expect(v1.json.document).toEqual(res.json);
  });

  it('stays readable after DELETE; 404 for an id that never existed or a version that does not', async () => {
    const c = await h.create('customers', { name: 'A' });
    await h.call('PATCH', `/customers/${c.id}`, { raw: '{"name":"B"}', headers: { 'content-type': 'application/merge-patch+json' } });
    await h.call('DELETE', `/customers/${c.id}`);
    const history = await h.call('GET', `/customers/${c.id}/versions`);
    expect(history.status).toBe(200);
    expect(history.json.items.map((v: { change: string }) => v.change)).toEqual(['delete', 'patch', 'create']);
    expect(history.json.items[0].document).toBeNull();
    expect((await h.call('GET', `/customers/${c.id}/versions/2`)).json.document.name).toBe('B');
    expect((await h.call('GET', '/customers/never/versions')).status).toBe(404);
    expect((await h.call('GET', `/customers/${c.id}/versions/9`)).status).toBe(404);
    expect((await h.call('GET', `/customers/${c.id}/versions/zero`)).status).toBe(404);
  });

  it('paginates newest first', async () => {
    const c = await h.create('customers', { name: 'v1' });
    for (let i = 2; i <= 5; i++) await h.call('PUT', `/customers/${c.id}`, { body: { name: `v${i}` } });
    const first = await h.call('GET', `/customers/${c.id}/versions?limit=2`);
    expect(first.json.items.map((v: { version: number }) => v.version)).toEqual([5, 4]);
    const next = /<([^>]+)>/.exec(first.headers['link'] as string)?.[1] as string;
    const second = await h.call('GET', next);
    expect(second.json.items.map((v: { version: number }) => v.version)).toEqual([3, 2]);
  });

  it('no-op writes add no version', async () => {
    const c = await h.create('customers', { name: 'A' });
    await h.call('PUT', `/customers/${c.id}`, { body: { name: 'A' } });
    await h.call('PATCH', `/customers/${c.id}`, { raw: '{}', headers: { 'content-type': 'application/merge-patch+json' } });
    expect((await h.call('GET', `/customers/${c.id}/versions`)).json.items).toHaveLength(1);
  });

  it('--history-limit N keeps only the newest N versions', async () => {
    const limited = await engineHarness({ historyLimit: 2 });
    try {
      const c = await limited.create('customers', { name: 'v1' });
      for (let i = 2; i <= 4; i++) await limited.call('PUT', `/customers/${c.id}`, { body: { name: `v${i}` } });
      const history = await limited.call('GET', `/customers/${c.id}/versions`);
      expect(history.json.items.map((v: { version: number }) => v.version)).toEqual([4, 3]);
    } finally {
      await limited.close();
    }
  });
});
