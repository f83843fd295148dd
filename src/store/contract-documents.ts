/**
 * Store contract: documents, tombstones, transactions, history and unique values.
 */
import { describe, expect, it } from 'vitest';
import { Abort, doc, effect, keyRecord, tombstone, useFreshStore, versionRecord, type OpenStore } from './contract-fixtures.js';

/** Documents and their transactions. */
export function describeDocumentContract(open: OpenStore): void {
  describe('documents', () => {
    const store = useFreshStore(open);

    it('an unknown document is undefined, outside and inside a transaction', async () => {
      expect(await store().getDocument('users', 'nobody')).toBeUndefined();
      expect(await store().transaction((tx) => tx.getDocumentForUpdate('users', 'nobody'))).toBeUndefined();
    });

    it('a committed document reads back exactly as written, body text byte for byte', async () => {
      // Key order, spacing, escapes and non-ASCII must survive: GET serves this text and
      // the ETag was computed over it.
      const written = { ...doc('users', 'u1', 1), body: '{"z":1,  "a":"é\\u2028😀","n":1.50}' };
      await store().transaction((tx) => tx.putDocument(written));
      expect(await store().getDocument('users', 'u1')).toEqual(written);
      expect(await store().transaction((tx) => tx.getDocumentForUpdate('users', 'u1'))).toEqual(written);
    });

    it('a read that follows an acknowledged write sees it, even in the turn of an earlier read', async () => {
      await store().transaction((tx) => tx.putDocument(doc('users', 'u1', 1)));
      const write = store().transaction((tx) => tx.putDocument(doc('users', 'u1', 2)));
      // A read while the write is in flight may see either version. On SQLite it comes before
      // the COMMIT, which waits for the next turn, and it opens this turn's read snapshot.
      expect([1, 2]).toContain((await store().getDocument('users', 'u1'))?.version);
      await write;
      // The write was acknowledged before this turn of the event loop ended: reads see it now.
      expect((await store().getDocument('users', 'u1'))?.version).toBe(2);
    });

    it('putDocument overwrites the row of the same (collection, id) and nothing else', async () => {
      await store().transaction(async (tx) => {
        await tx.putDocument(doc('users', 'u1', 1, { name: 'Ann' }));
        await tx.putDocument(doc('admins', 'u1', 1, { name: 'Root' }));
      });
      const second = doc('users', 'u1', 2, { name: 'Anna' });
      await store().transaction((tx) => tx.putDocument(second));
      expect(await store().getDocument('users', 'u1')).toEqual(second);
      expect(await store().getDocument('admins', 'u1')).toEqual(doc('admins', 'u1', 1, { name: 'Root' }));
    });

    it('a tombstone is returned as deleted, is not listed or counted, and a re-create continues its versions', async () => {
      await store().transaction((tx) => tx.putDocument(doc('users', 'u1', 1)));
      await store().transaction((tx) => tx.putDocument(tombstone('users', 'u1', 2)));
      expect(await store().getDocument('users', 'u1')).toEqual(tombstone('users', 'u1', 2));
      expect(await store().transaction((tx) => tx.getDocumentForUpdate('users', 'u1'))).toEqual(tombstone('users', 'u1', 2));
      expect(await store().listDocuments('users', { filters: [], afterId: undefined, limit: 10 })).toEqual([]);
      expect(await store().countDocuments('users')).toBe(0);

      await store().transaction((tx) => tx.putDocument(doc('users', 'u1', 3)));
      expect(await store().getDocument('users', 'u1')).toEqual(doc('users', 'u1', 3));
      expect(await store().countDocuments('users')).toBe(1);
    });

    it('countDocuments counts the live documents of one collection', async () => {
      await store().transaction(async (tx) => {
        for (const id of ['a', 'b', 'c']) await tx.putDocument(doc('users', id, 1));
        await tx.putDocument(tombstone('users', 'd', 2));
        await tx.putDocument(doc('flights', 'f1', 1));
      });
      expect(await store().countDocuments('users')).toBe(3);
      expect(await store().countDocuments('flights')).toBe(1);
      expect(await store().countDocuments('tickets')).toBe(0);
    });
  });

  describe('transactions', () => {
    const store = useFreshStore(open);

    it('a transaction resolves to what its function returns and sees its own writes', async () => {
      const seen = await store().transaction(async (tx) => {
        await tx.putDocument(doc('users', 'u1', 1));
        await tx.putIdempotency(keyRecord('alice', 'k1'));
        return { doc: await tx.getDocumentForUpdate('users', 'u1'), key: await tx.getIdempotency('alice', 'k1') };
      });
      expect(seen).toEqual({ doc: doc('users', 'u1', 1), key: keyRecord('alice', 'k1') });
    });

    it('writes are invisible outside the transaction until it commits', async () => {
      let before: unknown = 'not read';
      await store().transaction(async (tx) => {
        await tx.putDocument(doc('users', 'u1', 1));
        before = await store().getDocument('users', 'u1');
      });
      expect(before).toBeUndefined();
      expect(await store().getDocument('users', 'u1')).toEqual(doc('users', 'u1', 1));
    });

    it('a transaction that throws keeps nothing of its document, history, unique, key or outbox writes, and rethrows', async () => {
      await store().transaction((tx) => tx.putDocument(doc('users', 'u1', 1, { email: 'a@x' })));
      const failing = store().transaction(async (tx) => {
        await tx.putDocument(doc('users', 'u1', 2, { email: 'b@x' }));
        await tx.appendVersion(versionRecord('users', 'u1', 2));
        await tx.claimUnique('users', 'email', 'b@x', 'u1');
        await tx.putIdempotency(keyRecord('alice', 'k1'));
        await tx.enqueueEffect(effect('e1', { collection: 'users', resourceId: 'u1' }));
        throw new Abort();
      });
      await expect(failing).rejects.toBeInstanceOf(Abort);

      expect(await store().getDocument('users', 'u1')).toEqual(doc('users', 'u1', 1, { email: 'a@x' }));
      expect(await store().getVersion('users', 'u1', 2)).toBeUndefined();
      expect(await store().getIdempotency('alice', 'k1')).toBeUndefined();
      expect(await store().listEffects('users', 'u1')).toEqual([]);
      expect(await store().countPendingEffects()).toBe(0);
      // The unique value was not kept: another resource can claim it.
      expect(await store().transaction((tx) => tx.claimUnique('users', 'email', 'b@x', 'u2'))).toBeUndefined();
    });

    it('the store keeps working after a failed transaction', async () => {
      await expect(store().transaction(async () => Promise.reject(new Abort()))).rejects.toBeInstanceOf(Abort);
      await store().transaction((tx) => tx.putDocument(doc('users', 'u1', 1)));
      expect(await store().getDocument('users', 'u1')).toEqual(doc('users', 'u1', 1));
    });
  });

  describe('history', () => {
    const store = useFreshStore(open);

    /** Versions 1..versions of one resource, each written as the engine writes it: document, then version. */
    async function writeHistory(collection: string, id: string, versions: number, from = 1): Promise<void> {
      await store().transaction(async (tx) => {
        for (let v = from; v <= versions; v++) {
          await tx.putDocument(doc(collection, id, v));
          await tx.appendVersion(versionRecord(collection, id, v));
        }
      });
    }

    it('versions list newest first, page with beforeVersion + limit, and read back exactly', async () => {
      await writeHistory('users', 'u1', 5);
      const deletion = versionRecord('users', 'u1', 6, { change: 'delete', body: null, etag: null, method: 'DELETE', idempotencyKey: 'k9' });
      await store().transaction(async (tx) => {
        await tx.putDocument(tombstone('users', 'u1', 6));
        await tx.appendVersion(deletion);
      });

      const first = await store().listVersions('users', 'u1', { beforeVersion: undefined, limit: 4 });
      expect(first.map((v) => v.version)).toEqual([6, 5, 4, 3]);
      expect(first[0]).toEqual(deletion);
      const rest = await store().listVersions('users', 'u1', { beforeVersion: 3, limit: 4 });
      expect(rest).toEqual([versionRecord('users', 'u1', 2), versionRecord('users', 'u1', 1)]);

      expect(await store().getVersion('users', 'u1', 6)).toEqual(deletion);
      expect(await store().getVersion('users', 'u1', 1)).toEqual(versionRecord('users', 'u1', 1));
      expect(await store().getVersion('users', 'u1', 7)).toBeUndefined();
      expect(await store().getVersion('users', 'u2', 1)).toBeUndefined();
    });

    it('trimVersions keeps only the newest N versions of that one resource', async () => {
      await writeHistory('users', 'u1', 6);
      await writeHistory('users', 'u2', 3);
      await store().transaction((tx) => tx.trimVersions('users', 'u1', 2));
      const kept = await store().listVersions('users', 'u1', { beforeVersion: undefined, limit: 100 });
      expect(kept.map((v) => v.version)).toEqual([6, 5]);
      const other = await store().listVersions('users', 'u2', { beforeVersion: undefined, limit: 100 });
      expect(other.map((v) => v.version)).toEqual([3, 2, 1]);
      // Trimming to more than there are keeps everything.
      await store().transaction((tx) => tx.trimVersions('users', 'u2', 10));
      expect(await store().listVersions('users', 'u2', { beforeVersion: undefined, limit: 100 })).toHaveLength(3);
    });

    it('a long history, written interleaved with another, pages, reads back and trims exactly at every version', async () => {
      // 70 versions each, written in turns: long enough to cross the SQLite store's index of
      // every 16th version (sqlite-history.ts) several times.
      for (let v = 1; v <= 70; v += 10) {
        await writeHistory('users', 'long', v + 9, v);
        await writeHistory('users', 'other', v + 9, v);
      }
      const paged: number[] = [];
      for (let before: number | undefined, page; (page = await store().listVersions('users', 'long', { beforeVersion: before, limit: 7 })).length > 0; ) {
        paged.push(...page.map((v) => v.version));
        before = page.at(-1)?.version;
      }
      expect(paged).toEqual(Array.from({ length: 70 }, (_, i) => 70 - i));
      for (let v = 1; v <= 70; v++) expect(await store().getVersion('users', 'long', v)).toEqual(versionRecord('users', 'long', v));
      expect((await store().listVersions('users', 'long', { beforeVersion: 33, limit: 3 })).map((v) => v.version)).toEqual([32, 31, 30]);

      await store().transaction((tx) => tx.trimVersions('users', 'long', 20));
      const kept = await store().listVersions('users', 'long', { beforeVersion: undefined, limit: 100 });
      expect(kept.map((v) => v.version)).toEqual(Array.from({ length: 20 }, (_, i) => 70 - i));
      expect(await store().getVersion('users', 'long', 50)).toBeUndefined();
      expect(await store().getVersion('users', 'long', 51)).toEqual(versionRecord('users', 'long', 51));
      // Writing on after a trim, and trimming as the engine does after each write.
      for (let v = 71; v <= 75; v++) {
        await writeHistory('users', 'long', v, v);
        await store().transaction((tx) => tx.trimVersions('users', 'long', 20));
      }
      expect((await store().listVersions('users', 'long', { beforeVersion: undefined, limit: 100 })).map((v) => v.version)).toEqual(Array.from({ length: 20 }, (_, i) => 75 - i));
      // The other resource lost nothing.
      expect(await store().listVersions('users', 'other', { beforeVersion: undefined, limit: 100 })).toHaveLength(70);
    });

    it("a deleted resource's history stays readable", async () => {
      await writeHistory('users', 'u1', 2);
      await store().transaction(async (tx) => {
        await tx.putDocument(tombstone('users', 'u1', 3));
        await tx.appendVersion(versionRecord('users', 'u1', 3, { change: 'delete', body: null, etag: null }));
      });
      const history = await store().listVersions('users', 'u1', { beforeVersion: undefined, limit: 10 });
      expect(history.map((v) => [v.version, v.change])).toEqual([[3, 'delete'], [2, 'replace'], [1, 'create']]);
    });
  });

  describe('unique values', () => {
    const store = useFreshStore(open);

    it('claimUnique gives a value to its first claimer and names that owner to any other', async () => {
      const claim = (collection: string, field: string, value: string, id: string) =>
        store().transaction((tx) => tx.claimUnique(collection, field, value, id));
      expect(await claim('users', 'email', 'a@x', 'u1')).toBeUndefined();
      expect(await claim('users', 'email', 'a@x', 'u2')).toBe('u1');
      // The owner re-claiming its own value is no conflict.
      expect(await claim('users', 'email', 'a@x', 'u1')).toBeUndefined();
      // Values are scoped by collection and field.
      expect(await claim('admins', 'email', 'a@x', 'u2')).toBeUndefined();
      expect(await claim('users', 'login', 'a@x', 'u2')).toBeUndefined();
    });

    it('a unique value may hold any character, and different values never collide', async () => {
      const claims = await store().transaction(async (tx) => [
        await tx.claimUnique('users', 'login', 'a\u0000b', 'u1'),
        await tx.claimUnique('users', 'login', 'a\ue0000b', 'u2'),
        await tx.claimUnique('users', 'login', 'a\u0000b', 'u3'),
      ]);
      expect(claims).toEqual([undefined, undefined, 'u1']);
    });

    it('releaseUnique frees every value of that resource, and only of it', async () => {
      await store().transaction(async (tx) => {
        await tx.claimUnique('users', 'email', 'a@x', 'u1');
        await tx.claimUnique('users', 'login', 'ann', 'u1');
        await tx.claimUnique('users', 'email', 'b@x', 'u2');
      });
      await store().transaction((tx) => tx.releaseUnique('users', 'u1'));
      const after = await store().transaction(async (tx) => [
        await tx.claimUnique('users', 'email', 'a@x', 'u3'),
        await tx.claimUnique('users', 'login', 'ann', 'u3'),
        await tx.claimUnique('users', 'email', 'b@x', 'u3'),
      ]);
      expect(after).toEqual([undefined, undefined, 'u2']);
    });
  });
}
