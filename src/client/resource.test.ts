import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { createClient, type Client } from './client.js';
import type { Doc, MergePatch, Page } from './resource.js';
import { targets, type Target } from './test-support/targets.js';
import type { Failure, MergeConflict, Result, Success } from './types.js';

interface User {
  username: string;
  email: string;
  age?: number;
  bio?: string;
  interests?: string[];
}

describe.each(targets)('client.resource() against $name', ({ start }) => {
  let target: Target;
  let client: Client;
  beforeAll(async () => {
    target = await start();
    client = createClient({ baseUrl: target.url });
  });
  afterAll(async () => target.close());

  const uniqueUser = (): User => {
    const n = Math.random().toString(36).slice(2, 10);
    return { username: `u${n}`, email: `u${n}@example.com`, age: 30 };
  };

  it('create is 201 with Location and a strong ETag; get reads it back', async () => {
    const users = client.resource<User>('users');
    const made = await users.create(uniqueUser());
    expect(made).toMatchObject({ ok: true, status: 201, replayed: false, data: { version: 1 } });
    if (!made.ok) return;
    expect(made.location).toContain(made.data.id);
    expect(made.etag).toMatch(/^"/);
    const read = await users.get(made.data.id);
    expect(read).toMatchObject({ ok: true, status: 200, etag: made.etag, data: made.data });
  });

  it('replace puts the whole document back; patch sends a merge patch; remove deletes', async () => {
    const users = client.resource<User>('users');
    const made = await users.create(uniqueUser());
    if (!made.ok) throw new Error(made.kind);
    const { id } = made.data;

    const replaced = await users.replace(id, { ...made.data, bio: 'hi' }, { ifMatch: made.etag ?? '' });
    expect(replaced).toMatchObject({ ok: true, status: 200, data: { bio: 'hi', version: 2 } });

    const patched = await users.patch(id, { bio: null, age: 31 });
    expect(patched).toMatchObject({ ok: true, status: 200, data: { age: 31, version: 3 } });
    expect(patched.ok && 'bio' in patched.data).toBe(false);

    expect(await users.remove(id)).toMatchObject({ ok: true, status: 204 });
    expect(await users.get(id)).toMatchObject({ ok: false, kind: 'not-found', status: 404 });
  });

  it('a PUT with a stale If-Match is a conflict carrying the current ETag', async () => {
    const users = client.resource<User>('users');
    const made = await users.create(uniqueUser());
    if (!made.ok) throw new Error(made.kind);
    const first = await users.replace(made.data.id, { ...made.data, age: 40 }, { ifMatch: made.etag ?? '' });
    const stale = await users.replace(made.data.id, { ...made.data, age: 50 }, { ifMatch: made.etag ?? '' });
    expect(stale).toMatchObject({ ok: false, kind: 'conflict', status: 412, currentEtag: first.ok ? first.etag : 'x' });
  });

  it('list walks every page through Link rel="next"', async () => {
    // Each target is fresh for this describe, and no other test here creates customers.
    const customers = client.resource<{ name: string }>('customers');
    for (const name of ['a', 'b', 'c', 'd', 'e']) expect((await customers.create({ name })).ok).toBe(true);

    const sizes: number[] = [];
    for await (const page of customers.list({ limit: 2 })) {
      expect(page.ok).toBe(true);
      if (page.ok) sizes.push(page.data.items.length);
    }
    expect(sizes).toEqual([2, 2, 1]);
    const all = await customers.listAll({ limit: 2 });
    expect(all.ok && all.data.map((c) => c.name).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('HEAD answers like GET without a body', async () => {
    const made = await client.resource<User>('users').create(uniqueUser());
    if (!made.ok) throw new Error(made.kind);
    expect(await client.head(`/users/${made.data.id}`)).toMatchObject({ ok: true, status: 200, data: undefined, etag: made.etag });
  });
});

describe('the typed resource API', () => {
  it('types documents, patches and results', () => {
    const users = createClient({ baseUrl: 'http://127.0.0.1:1' }).resource<User>('users');
    expectTypeOf(users.get).returns.resolves.toEqualTypeOf<Result<Doc<User>>>();
    expectTypeOf(users.list).returns.toEqualTypeOf<AsyncIterable<Result<Page<Doc<User>>>>>();
    expectTypeOf(users.create).parameter(0).toEqualTypeOf<User>();
    expectTypeOf(users.patch).parameter(1).toEqualTypeOf<MergePatch<User>>();
    expectTypeOf<MergePatch<User>>().toMatchTypeOf<{ age?: number | null; interests?: string[] | null }>();
    expectTypeOf(users.remove).returns.resolves.toEqualTypeOf<Result<undefined>>();
    expectTypeOf(users.update).returns.resolves.toEqualTypeOf<Result<Doc<User>> | MergeConflict<Doc<User>>>();
    expectTypeOf<Doc<User>>().toHaveProperty('version').toEqualTypeOf<number>();
    // @ts-expect-error a required field is missing
    void users.create({ username: 'x' });
    // @ts-expect-error merge patches cannot set unknown fields
    void users.patch('id', { nickname: 'x' });
  });

  it('narrowing on ok and kind exposes the right members', () => {
    const narrow = (r: Result<Doc<User>>): string => {
      if (r.ok) {
        expectTypeOf(r).toEqualTypeOf<Success<Doc<User>>>();
        return r.data.username;
      }
      expectTypeOf(r).toEqualTypeOf<Failure>();
      if (r.kind === 'validation') return r.errors.map((e) => e.pointer).join();
      if (r.kind === 'conflict') return String(r.currentVersion);
      return r.kind;
    };
    expect(narrow({ ok: false, kind: 'validation', errors: [{ pointer: '/age', message: 'm' }], attempts: 1 })).toBe('/age');
  });

  it('an update conflict narrows to base, mine, theirs and fields', () => {
    const fields = (r: Result<Doc<User>> | MergeConflict<Doc<User>>): string[] => {
      if (!r.ok && r.kind === 'conflict' && 'fields' in r) {
        expectTypeOf(r.theirs).toEqualTypeOf<Doc<User>>();
        return r.fields;
      }
      return [];
    };
    const doc: Doc<User> = { id: 'u', version: 1, createdAt: '', updatedAt: '', username: 'a', email: 'a@b.c' };
    expect(fields({ ok: false, kind: 'conflict', attempts: 1, base: doc, mine: doc, theirs: doc, fields: ['bio'] })).toEqual(['bio']);
  });
});
