import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engineHarness, type EngineHarness } from './test-support/engine-harness.js';

let h: EngineHarness;
beforeEach(async () => {
  h = await engineHarness();
});
afterEach(async () => h.close());

describe('GET /{c}/{id} and HEAD', () => {
  it('GET is 200 with the body, a strong ETag and Last-Modified', async () => {
    const c = await h.create('customers', { name: 'A' });
    const res = await h.call('GET', `/customers/${c.id}`);
    expect(res.status).toBe(200);
    expect(res.json).toEqual(c);
    expect(res.headers['etag']).toMatch(/^"[^"]+"$/);
    expect(new Date(res.headers['last-modified'] as string).toUTCString()).toBe(res.headers['last-modified']);
  });

  it('HEAD is GET without the body: same status and headers, Content-Length of the GET body', async () => {
    const c = await h.create('customers', { name: 'A' });
    const get = await h.call('GET', `/customers/${c.id}`);
    const head = await h.call('HEAD', `/customers/${c.id}`);
    expect(head.status).toBe(200);
    expect(head.text).toBeUndefined();
    expect(head.headers['etag']).toBe(get.headers['etag']);
    expect(head.headers['content-type']).toBe(get.headers['content-type']);
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(get.text as string)));
    expect((await h.call('HEAD', '/customers/nope')).status).toBe(404);
    expect((await h.call('HEAD', '/customers')).status).toBe(200);
  });

  it('every read of changing state says Cache-Control: no-cache, on 200 and on 304 (RFC 9111 §5.2.2.4)', async () => {
    const c = await h.create('customers', { name: 'A' });
    const get = await h.call('GET', `/customers/${c.id}`);
    const notModified = await h.call('GET', `/customers/${c.id}`, { headers: { 'if-none-match': get.headers['etag'] as string } });
    expect(notModified.status).toBe(304);
    const page = await h.call('GET', '/customers');
    const pageAgain = await h.call('GET', '/customers', { headers: { 'if-none-match': page.headers['etag'] as string } });
    expect(pageAgain.status).toBe(304);
    const history = await h.call('GET', `/customers/${c.id}/versions`);
    for (const [name, res] of Object.entries({ get, notModified, page, pageAgain, history })) expect(res.headers['cache-control'], name).toBe('no-cache');
  });

  it('an unknown id, collection or route is 404 problem+json', async () => {
    for (const path of ['/customers/nope', '/nothing', '/customers/x/y', '/', '/customers/']) {
      const res = await h.call('GET', path);
      expect(res.status, path).toBe(404);
      expect(res.headers['content-type'], path).toMatch(/^application\/problem\+json/);
    }
  });
});

describe('405 and OPTIONS', () => {
  it('a method that does not work is 405 with Allow naming exactly the methods that do', async () => {
    const c = await h.create('customers', { name: 'A' });
    const item = await h.call('POST', `/customers/${c.id}`, { body: {} });
    expect(item.status).toBe(405);
    expect(item.headers['allow']).toBe('GET, HEAD, PUT, PATCH, DELETE, OPTIONS');
    const coll = await h.call('DELETE', '/customers');
    expect(coll.status).toBe(405);
    expect(coll.headers['allow']).toBe('GET, HEAD, POST, OPTIONS');
    expect((await h.call('TRACE', '/customers')).status).toBe(405);
    expect((await h.call('PUT', `/customers/${c.id}/versions`, { body: {} })).headers['allow']).toBe('GET, HEAD, OPTIONS');
  });

  it('OPTIONS lists the methods, and Accept-Patch on items', async () => {
    const res = await h.call('OPTIONS', '/customers/any');
    expect(res.status).toBe(204);
    expect(res.headers['allow']).toBe('GET, HEAD, PUT, PATCH, DELETE, OPTIONS');
    expect(res.headers['accept-patch']).toBe('application/merge-patch+json, application/json-patch+json');
  });
});

describe('GET /{c}: the collection', () => {
  it('pages with limit and an opaque cursor, a next link, and no duplicates or gaps', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await h.create('customers', { name: `c${i}` })).id);
    const seen: string[] = [];
    let url: string | null = '/customers?limit=3';
    let pages = 0;
    while (url) {
      const res = await h.call('GET', url);
      expect(res.status).toBe(200);
      seen.push(...res.json.items.map((d: { id: string }) => d.id));
      const link = res.headers['link'];
      if (res.json.next) expect(link).toMatch(/^<\/customers\?limit=3&cursor=[^>]+>; rel="next"$/);
      else expect(link).toBeUndefined();
      url = link ? (/<([^>]+)>/.exec(link)?.[1] ?? null) : null;
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(ids);
  });

  it('defaults to 50 items and carries an ETag', async () => {
    for (let i = 0; i < 55; i++) await h.create('customers', { name: `c${i}` });
    const res = await h.call('GET', '/customers');
    expect(res.json.items).toHaveLength(50);
    expect(res.json.next).toEqual(expect.any(String));
    expect(res.headers['etag']).toMatch(/^"/);
  });

  it('filters by equality on top-level scalar fields, typed by the schema', async () => {
    await h.call('PUT', '/flights/A1', { body: { status: 'late', gate: '1' } });
    await h.call('PUT', '/flights/A2', { body: { status: 'ontime', gate: '2' } });
    await h.call('PUT', '/flights/A3', { body: { status: 'late', gate: '3' } });
    const late = await h.call('GET', '/flights?status=late');
    expect(late.json.items.map((f: { id: string }) => f.id)).toEqual(['A1', 'A3']);
    await h.create('customers', { name: 'x', age: 30 });
    await h.create('customers', { name: 'y', age: 31 });
    expect((await h.call('GET', '/customers?age=30')).json.items.map((c: { name: string }) => c.name)).toEqual(['x']);
    await h.create('orders', { items: ['a'], charge_card: false }, { 'idempotency-key': '"o1"' });
    expect((await h.call('GET', '/orders?charge_card=false')).json.items).toHaveLength(1);
    expect((await h.call('GET', '/orders?charge_card=true')).json.items).toHaveLength(0);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=1&limit=2', 'limit'],
    ['cursor=garbage', 'cursor'],
    ['nosuchfield=1', 'nosuchfield'],
    ['age=old', 'age'],
  ])('a bad query %s is 400 naming the parameter', async (query, parameter) => {
    const res = await h.call('GET', `/customers?${query}`);
    expect(res.status).toBe(400);
    expect(res.json.parameter).toBe(parameter);
    expect(res.json.detail.length).toBeGreaterThan(10);
  });
});
