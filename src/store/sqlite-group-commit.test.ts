import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from './sqlite.js';
import type { Store, StoredDocument } from './store.js';

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'idem-group-'));
  store = await openSqliteStore(join(dir, 'g.db'));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const doc = (id: string, version: number): StoredDocument => ({
  collection: 'c',
  id,
  version,
  etag: `"${id}-${version}"`,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  deleted: false,
  body: JSON.stringify({ id, version }),
});

describe('SQLite group commit', () => {
  it('transactions committed together stay independent: one that throws is undone alone', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) =>
        store.transaction(async (tx) => {
          await tx.putDocument(doc(`d${i}`, 1));
          if (i % 3 === 0) throw new Error(`tx ${i} fails after writing`);
          return i;
        }),
      ),
    );
    for (const [i, r] of results.entries()) {
      expect(r.status, `tx ${i}`).toBe(i % 3 === 0 ? 'rejected' : 'fulfilled');
      const stored = await store.getDocument('c', `d${i}`);
      expect(stored === undefined, `d${i}`).toBe(i % 3 === 0);
    }
  });

  it('runs concurrent transactions one after another: each sees the writes before it', async () => {
    await store.transaction((tx) => tx.putDocument(doc('counter', 0)));
    await Promise.all(
      Array.from({ length: 25 }, () =>
        store.transaction(async (tx) => {
          const current = (await tx.getDocumentForUpdate('c', 'counter')) as StoredDocument;
          await tx.putDocument(doc('counter', current.version + 1));
        }),
      ),
    );
    expect((await store.getDocument('c', 'counter'))?.version).toBe(25);
  });

  it('answers a transaction only once its commit is visible to readers', async () => {
    const seen = await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.transaction((tx) => tx.putDocument(doc(`v${i}`, 1))).then(() => store.getDocument('c', `v${i}`))),
    );
    expect(seen.every((d) => d !== undefined)).toBe(true);
  });
});
