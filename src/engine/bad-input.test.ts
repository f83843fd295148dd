import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engineHarness, type EngineHarness } from './test-support/engine-harness.js';

let h: EngineHarness;
beforeEach(async () => {
  h = await engineHarness();
});
afterEach(async () => h.close());

/** Every bad input gets a 4xx problem that says what to do — never a 500, a crash or a write. */
function expectProblem(res: { status: number; headers: Record<string, string>; json: any }, status: number): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.json.type).toMatch(/^https:\/\//);
  expect(res.json.title).toEqual(expect.any(String));
  expect(res.json.status).toBe(status);
  expect(res.json.detail).toEqual(expect.any(String));
  expect(res.json.instance).toEqual(expect.any(String));
}

describe('bad input is a clear 4xx problem', () => {
  it.each([
    ['malformed JSON', '{"name": "A",}'],
    ['truncated JSON', '{"name": '],
    ['an empty body', ''],
    ['not JSON at all', 'name=A'],
  ])('%s is 400', async (_what, raw) => {
    const res = await h.call('POST', '/customers', { raw });
    expectProblem(res, 400);
  });

  it.each([
    ['an array', '[{"name":"A"}]'],
    ['a string', '"A"'],
    ['a number', '42'],
    ['null', 'null'],
  ])('%s as a document is 400', async (_what, raw) => {
    expectProblem(await h.call('POST', '/customers', { raw }), 400);
    expectProblem(await h.call('PUT', '/flights/X1', { raw }), 400);
  });

  it('a __proto__ key is refused and never reaches a prototype', async () => {
    const raw = '{"name":"A","__proto__":{"polluted":true}}';
    expectProblem(await h.call('POST', '/customers', { raw }), 400);
    const nested = await h.call('POST', '/users', { raw: '{"username":"a","email":"a@b.co","interests":[{"constructor":{"prototype":{"x":1}}}]}' });
    expectProblem(nested, 400);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });

  it('a merge patch cannot pollute a prototype', async () => {
    const c = await h.create('customers', { name: 'A' });
    const res = await h.call('PATCH', `/customers/${c.id}`, { raw: '{"__proto__":{"polluted":true}}', headers: { 'content-type': 'application/merge-patch+json' } });
    expectProblem(res, 400);
    const jp = await h.call('PATCH', `/customers/${c.id}`, { raw: '[{"op":"add","path":"/__proto__/polluted","value":true}]', headers: { 'content-type': 'application/json-patch+json' } });
    expect(jp.status).toBeGreaterThanOrEqual(400);
    expect(jp.status).toBeLessThan(500);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('100k-deep nesting is 400, not a stack overflow', async () => {
    const deep = `{"name":"A","city":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    expectProblem(await h.call('POST', '/customers', { raw: deep }), 400);
    const deepObject = `{"name":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`;
    expectProblem(await h.call('PUT', '/flights/D1', { raw: deepObject }), 400);
    const c = await h.create('customers', { name: 'A' });
    expectProblem(await h.call('PATCH', `/customers/${c.id}`, { raw: deep, headers: { 'content-type': 'application/merge-patch+json' } }), 400);
  });

  it.each([
    ['text/plain', 'POST'],
    ['application/x-www-form-urlencoded', 'POST'],
    ['application/xml', 'PUT'],
  ])('Content-Type %s on %s is 415', async (type, method) => {
    const res = await h.call(method, method === 'POST' ? '/customers' : '/flights/X1', { raw: '{"name":"A"}', headers: { 'content-type': type } });
    expectProblem(res, 415);
    expect(res.json.detail).toMatch(/application\/json/);
  });

  it('no Content-Type is 415; a +json type and a charset are accepted', async () => {
    expectProblem(await h.call('POST', '/customers', { raw: '{"name":"A"}', headers: { 'content-type': '' } }), 415);
    // Headers arrive as arrays when repeated; a repeated Content-Type is not JSON either.
    expectProblem(await h.call('POST', '/customers', { raw: '{"name":"A"}', headers: { 'content-type': ['application/json', 'text/plain'] } }), 415);
    expect((await h.call('POST', '/customers', { raw: '{"name":"A"}', headers: { 'content-type': 'application/json; charset=utf-8' } })).status).toBe(201);
    expect((await h.call('POST', '/customers', { raw: '{"name":"A"}', headers: { 'content-type': 'application/vnd.acme+json' } })).status).toBe(201);
  });

  it('a body over the limit is 413', async () => {
    const small = await engineHarness({ bodyLimit: 100 });
    try {
      const res = await small.call('POST', '/customers', { body: { name: 'x'.repeat(200) } });
      expectProblem(res, 413);
    } finally {
      await small.close();
    }
  });

  it('broken percent-encoding in a path is 404, not 500', async () => {
    expectProblem(await h.call('GET', '/customers/%E0%A4%A'), 404);
    expectProblem(await h.call('PUT', '/flights/%zz', { body: { status: 'late', gate: 'A' } }), 400);
  });

  it('wrong types in every field are reported together', async () => {
    const res = await h.call('POST', '/users', { body: { username: 5, email: [], age: 'old', interests: 'x' } });
    expectProblem(res, 400);
    expect(res.json.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/age', '/email', '/interests', '/username']);
  });

  it('a non-integer or negative version guard is 400', async () => {
    const c = await h.create('customers', { name: 'A' });
    expectProblem(await h.call('PUT', `/customers/${c.id}`, { body: { name: 'B', version: 'one' } }), 400);
    expectProblem(await h.call('PUT', `/customers/${c.id}`, { body: { name: 'B', version: -1 } }), 400);
  });
});
