/**
 * Store contract: listing live documents with keyset pagination and equality filters.
 */
import { describe, expect, it } from 'vitest';
import { doc, tombstone, useFreshStore, type OpenStore } from './contract-fixtures.js';
import type { FieldFilter, Store } from './store.js';

/** listDocuments: order, afterId + limit, filters. */
export function describeListingContract(open: OpenStore): void {
  describe('listing', () => {
    const store = useFreshStore(open);

    const ids = async (filters: FieldFilter[], collection = 'things'): Promise<string[]> =>
      (await store().listDocuments(collection, { filters, afterId: undefined, limit: 100 })).map((d) => d.id);

    async function seed(s: Store, rows: Array<[id: string, fields: Record<string, unknown>]>): Promise<void> {
      await s.transaction(async (tx) => {
        for (const [id, fields] of rows) await tx.putDocument(doc('things', id, 1, fields));
      });
    }

    it('lists live documents of one collection ordered by id, byte-wise (uppercase before lowercase)', async () => {
      const names = ['b', 'B', 'a', '_x', '0', '~z', 'Z9', 'a-1', 'a.1'];
      await seed(store(), names.map((id) => [id, {}]));
      await store().transaction(async (tx) => {
        await tx.putDocument(doc('others', 'aa', 1));
        await tx.putDocument(tombstone('things', 'c', 2));
      });
      const listed = await store().listDocuments('things', { filters: [], afterId: undefined, limit: 100 });
      // Byte order of ASCII: '-' < '.' < '0' < 'B' < 'Z' < '_' < 'a' < 'b' < '~'.
      expect(listed.map((d) => d.id)).toEqual(['0', 'B', 'Z9', '_x', 'a', 'a-1', 'a.1', 'b', '~z']);
      expect(listed[0]).toEqual(doc('things', '0', 1));
    });

    it('afterId + limit pages through every live document once, skipping tombstones', async () => {
      const all = Array.from({ length: 23 }, (_, i) => `id-${String(i).padStart(2, '0')}`);
      await seed(store(), all.map((id) => [id, {}]));
      await store().transaction(async (tx) => {
        await tx.putDocument(tombstone('things', 'id-05', 2));
        await tx.putDocument(tombstone('things', 'id-06', 2));
      });
      const seen: string[] = [];
      let afterId: string | undefined;
      for (let page = 0; page < 10; page++) {
        const rows = await store().listDocuments('things', { filters: [], afterId, limit: 5 });
        expect(rows.length).toBeLessThanOrEqual(5);
        if (rows.length === 0) break;
        seen.push(...rows.map((d) => d.id));
        afterId = rows.at(-1)?.id;
      }
      expect(seen).toEqual(all.filter((id) => id !== 'id-05' && id !== 'id-06'));
      // afterId need not be an existing id.
      expect((await store().listDocuments('things', { filters: [], afterId: 'id-20a', limit: 5 })).map((d) => d.id)).toEqual([
        'id-21',
        'id-22',
      ]);
    });

    it('filters on string, number and boolean fields, several filters meaning AND', async () => {
      await seed(store(), [
        ['1', { city: 'Oslo', seats: 3, open: true }],
        ['2', { city: 'Oslo', seats: 4, open: false }],
        ['3', { city: 'Rome', seats: 3, open: true }],
        ['4', { city: 'oslo', seats: 3.5, open: true }],
      ]);
      expect(await ids([{ field: 'city', value: 'Oslo' }])).toEqual(['1', '2']);
      expect(await ids([{ field: 'seats', value: 3 }])).toEqual(['1', '3']);
      expect(await ids([{ field: 'seats', value: 3.5 }])).toEqual(['4']);
      expect(await ids([{ field: 'open', value: false }])).toEqual(['2']);
      expect(await ids([{ field: 'open', value: true }, { field: 'city', value: 'Oslo' }])).toEqual(['1']);
      expect(await ids([{ field: 'city', value: 'Paris' }])).toEqual([]);
      // Filters combine with pagination.
      const page = await store().listDocuments('things', { filters: [{ field: 'open', value: true }], afterId: '1', limit: 1 });
      expect(page.map((d) => d.id)).toEqual(['3']);
    });

    it('a null filter matches an explicit null, not a missing field', async () => {
      await seed(store(), [
        ['1', { note: null }],
        ['2', {}],
        ['3', { note: 'x' }],
      ]);
      expect(await ids([{ field: 'note', value: null }])).toEqual(['1']);
    });

    it('filter values are typed: true is not 1, false is not 0, "1" is not 1', async () => {
      await seed(store(), [
        ['bool-true', { v: true }],
        ['bool-false', { v: false }],
        ['num-1', { v: 1 }],
        ['num-0', { v: 0 }],
        ['str-1', { v: '1' }],
        ['str-true', { v: 'true' }],
      ]);
      expect(await ids([{ field: 'v', value: true }])).toEqual(['bool-true']);
      expect(await ids([{ field: 'v', value: false }])).toEqual(['bool-false']);
      expect(await ids([{ field: 'v', value: 1 }])).toEqual(['num-1']);
      expect(await ids([{ field: 'v', value: 0 }])).toEqual(['num-0']);
      expect(await ids([{ field: 'v', value: '1' }])).toEqual(['str-1']);
      expect(await ids([{ field: 'v', value: 'true' }])).toEqual(['str-true']);
    });

    it('a scalar filter never matches an array or object field', async () => {
      await seed(store(), [
        ['arr', { tags: ['a'] }],
        ['obj', { tags: { a: 1 } }],
        ['str', { tags: 'a' }],
      ]);
      expect(await ids([{ field: 'tags', value: 'a' }])).toEqual(['str']);
      expect(await ids([{ field: 'tags', value: '["a"]' }])).toEqual([]);
      expect(await ids([{ field: 'tags', value: '{"a":1}' }])).toEqual([]);
    });

    it('strings with NUL, unpaired surrogates or private-use characters are stored and filtered exactly', async () => {
      // All valid JSON (RFC 8259 §7 escapes); a client may send any of them.
      const odd = { nul: 'x\u0000y', lone: '\ud800', pua: '\ue000', pair: '😀', '\u0000key': 1 };
      const written = doc('things', 'odd', 1, odd);
      await seed(store(), [['odd', odd], ['plain', { nul: 'x0y', pua: '', lone: '?' }], ['near', { nul: '\ue0000' }]]);
      expect(await store().getDocument('things', 'odd')).toEqual(written);
      expect(JSON.parse(written.body)).toMatchObject(odd);
      expect(await ids([{ field: 'nul', value: 'x\u0000y' }])).toEqual(['odd']);
      expect(await ids([{ field: 'nul', value: 'x\ue0000y' }])).toEqual([]);
      expect(await ids([{ field: 'nul', value: '\u0000' }])).toEqual([]);
      expect(await ids([{ field: 'lone', value: '\ud800' }])).toEqual(['odd']);
      expect(await ids([{ field: 'pua', value: '\ue000' }])).toEqual(['odd']);
      expect(await ids([{ field: 'pair', value: '😀' }])).toEqual(['odd']);
      expect(await ids([{ field: '\u0000key', value: 1 }])).toEqual(['odd']);
    });

    it('a filter names one top-level field, even with dots or quotes in its name', async () => {
      await seed(store(), [
        ['1', { 'a.b': 'x', a: { b: 'y' } }],
        ['2', { a: { b: 'x' } }],
        ['3', { 'q"uote': 'x' }],
      ]);
      expect(await ids([{ field: 'a.b', value: 'x' }])).toEqual(['1']);
      expect(await ids([{ field: 'q"uote', value: 'x' }])).toEqual(['3']);
    });
  });
}
