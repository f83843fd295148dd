import { describe, expect, it } from 'vitest';
import { buildDocument } from '../engine/representation.js';
import { BODY_KIND, representation, storedBody } from './sqlite-document-body.js';
import type { StoredDocument } from './store.js';

const T1 = '2026-01-02T03:04:05.678Z';
const T2 = '2026-02-03T04:05:06.789Z';

function roundTrip(doc: StoredDocument): string {
  const [text, kind] = storedBody(doc);
  return representation(doc.id, doc.version, doc.createdAt, doc.updatedAt, text, kind);
}

describe('document bodies in SQLite rows', () => {
  it('keep only the client fields of a representation, as a JSON object', () => {
    const [text, kind] = storedBody(buildDocument('customers', 'c-1', { name: 'Ann', age: 31 }, 3, T1, T2));
    expect(kind).toBe(BODY_KIND.fields);
    expect(JSON.parse(text)).toEqual({ name: 'Ann', age: 31 });
  });

  it('give back the exact bytes of the representation, so the ETag still matches', () => {
    const cases: Array<Record<string, unknown>> = [
      {},
      { name: 'Ann' },
      { subject: 'quote " and \\ backslash, comma, "version":1 inside', notes: ['a', 'b'] },
      { bio: 'ünïcødé ✓ \u2028 line\nbreak', nested: { id: 'inner', version: 9 }, n: -0.5, ok: false, none: null },
    ];
    for (const id of ['c-1', 'AC789', 'a.b_c~d-e', '0']) {
      for (const fields of cases) {
        const doc = buildDocument('tickets', id, fields, 12, T1, T2);
        expect(storedBody(doc)[1]).toBe(BODY_KIND.fields);
        expect(roundTrip(doc)).toBe(doc.body);
      }
    }
  });

  it('keep any other body whole: tombstones, other member orders, envelopes that do not match the row', () => {
    const live = buildDocument('customers', 'c-1', { name: 'Ann' }, 2, T1, T2);
    const others: StoredDocument[] = [
      { ...live, deleted: true, body: '' },
      { ...live, body: JSON.stringify({ name: 'Ann', id: 'c-1', version: 2, createdAt: T1, updatedAt: T2 }) },
      { ...live, version: 3 },
      { ...live, id: 'c-2' },
      { ...live, updatedAt: T1 },
      { ...live, body: `{"id":"c-1",,"version":2,"createdAt":"${T1}","updatedAt":"${T2}"}` },
      { ...live, body: `{"id":"c-1""version":2,"createdAt":"${T1}","updatedAt":"${T2}"}` },
    ];
    for (const doc of others) {
      expect(storedBody(doc), doc.body).toEqual([doc.body, BODY_KIND.whole]);
      expect(roundTrip(doc)).toBe(doc.body);
    }
  });
});
