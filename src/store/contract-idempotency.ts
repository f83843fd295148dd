/**
 * Store contract: idempotency records (SPEC §4) — in transactions, and claimed by a proxy.
 */
import { describe, expect, it } from 'vitest';
import { doc, keyRecord, useFreshStore, versionRecord, type OpenStore } from './contract-fixtures.js';
import type { StoreTx, StoredDocument } from './store.js';

/** What a keyed create writes before its key record: the document and its first version, under key 'k1'. */
async function writeKeyedCreate(tx: StoreTx, created: StoredDocument): Promise<void> {
  await tx.putDocument(created);
  await tx.appendVersion(versionRecord(created.collection, created.id, 1, { body: created.body, etag: created.etag, idempotencyKey: 'k1' }));
}

/** Idempotency records: scope, claim, lease takeover, expiry, prune. */
export function describeIdempotencyContract(open: OpenStore): void {
  describe('idempotency records', () => {
    const store = useFreshStore(open);

    it('a record written in a transaction reads back exactly, scoped by principal', async () => {
      const record = keyRecord('alice', 'k1');
      await store().transaction((tx) => tx.putIdempotency(record));
      expect(await store().getIdempotency('alice', 'k1')).toEqual(record);
      expect(await store().transaction((tx) => tx.getIdempotency('alice', 'k1'))).toEqual(record);
      // Another principal never sees it.
      expect(await store().getIdempotency('bob', 'k1')).toBeUndefined();
      expect(await store().transaction((tx) => tx.getIdempotency('bob', 'k1'))).toBeUndefined();
    });

    it("a keyed write's record whose body is its version's representation reads back exactly, also after history trimming removed that version", async () => {
      // What the engine writes for a keyed POST: the document, its version, the key record whose
      // response body is that version's body — all in one transaction.
      const created = doc('orders', 'o1', 1, { items: ['book'] });
      const record = keyRecord('alice', 'k1', { response: { status: 201, headers: { 'content-type': 'application/json', location: '/orders/o1', etag: created.etag }, body: created.body } });
      await store().transaction(async (tx) => {
        await writeKeyedCreate(tx, created);
        await tx.putIdempotency(record);
      });
      // Another principal's record for the same key, with the same body, stays its own.
      const bobs = keyRecord('bob', 'k1', { response: { ...(record.response as NonNullable<typeof record.response>) } });
      await store().transaction((tx) => tx.putIdempotency(bobs));
      expect(await store().getIdempotency('alice', 'k1')).toEqual(record);
      expect(await store().transaction((tx) => tx.getIdempotency('alice', 'k1'))).toEqual(record);
      expect(await store().listIdempotency(10)).toEqual(expect.arrayContaining([record, bobs]));

      for (const version of [2, 3]) {
        const next = doc('orders', 'o1', version, { items: ['book', `v${version}`] });
        await store().transaction(async (tx) => {
          await tx.putDocument(next);
          await tx.appendVersion(versionRecord('orders', 'o1', version, { body: next.body, etag: next.etag }));
          await tx.trimVersions('orders', 'o1', 1);
        });
      }
      expect((await store().listVersions('orders', 'o1', { beforeVersion: undefined, limit: 10 })).map((v) => v.version)).toEqual([3]);
      expect(await store().getIdempotency('alice', 'k1')).toEqual(record);
      expect(await store().transaction((tx) => tx.getIdempotency('alice', 'k1'))).toEqual(record);
      expect(await store().getIdempotency('bob', 'k1')).toEqual(bobs);
    });

    it('a keyed write whose own version was trimmed in its transaction (a history limit of 0) still stores its whole response', async () => {
      const created = doc('orders', 'o1', 1, { items: ['book'] });
      const record = keyRecord('alice', 'k1', { response: { status: 201, headers: {}, body: created.body } });
      await store().transaction(async (tx) => {
        await writeKeyedCreate(tx, created);
        await tx.trimVersions('orders', 'o1', 0);
        await tx.putIdempotency(record);
      });
      expect(await store().listVersions('orders', 'o1', { beforeVersion: undefined, limit: 10 })).toEqual([]);
      expect(await store().getIdempotency('alice', 'k1')).toEqual(record);
    });

    it('a record whose body only looks like the version its transaction wrote (another key) is kept whole', async () => {
      const created = doc('orders', 'o1', 1, { items: ['book'] });
      const other = keyRecord('alice', 'k2', { response: { status: 201, headers: {}, body: created.body } });
      await store().transaction(async (tx) => {
        await writeKeyedCreate(tx, created);
        await tx.putIdempotency(other);
      });
      const next = doc('orders', 'o1', 2, { items: ['pen'] });
      await store().transaction(async (tx) => {
        await tx.putDocument(next);
        await tx.appendVersion(versionRecord('orders', 'o1', 2, { body: next.body }));
        await tx.trimVersions('orders', 'o1', 1);
      });
      expect(await store().getIdempotency('alice', 'k2')).toEqual(other);
    });

    it('putIdempotency and saveIdempotency overwrite the record of the same (principal, key)', async () => {
      await store().transaction((tx) => tx.putIdempotency(keyRecord('alice', 'k1', { state: 'running', response: null, leaseUntil: 5_000 })));
      const finished = keyRecord('alice', 'k1', { fingerprint: 'POST /orders other' });
      await store().transaction((tx) => tx.putIdempotency(finished));
      expect(await store().getIdempotency('alice', 'k1')).toEqual(finished);
      const unknown = keyRecord('alice', 'k1', { state: 'unknown', response: null });
      await store().saveIdempotency(unknown);
      expect(await store().getIdempotency('alice', 'k1')).toEqual(unknown);
    });

    it('claimIdempotency on a free key stores the running claim', async () => {
      const claim = keyRecord('alice', 'k1', { state: 'running', response: null, leaseUntil: 31_000 });
      expect(await store().claimIdempotency(claim, 1_000)).toBeUndefined();
      expect(await store().getIdempotency('alice', 'k1')).toEqual(claim);
    });

    it('claimIdempotency on a live record returns it and changes nothing', async () => {
      const running = keyRecord('alice', 'run', { state: 'running', response: null, leaseUntil: 31_000 });
      const done = keyRecord('alice', 'done');
      await store().saveIdempotency(running);
      await store().saveIdempotency(done);
      const attempt = (key: string) => keyRecord('alice', key, { state: 'running', response: null, fingerprint: 'other', createdAt: 2_000, leaseUntil: 40_000 });
      expect(await store().claimIdempotency(attempt('run'), 10_000)).toEqual(running);
      expect(await store().claimIdempotency(attempt('done'), 10_000)).toEqual(done);
      expect(await store().getIdempotency('alice', 'run')).toEqual(running);
      expect(await store().getIdempotency('alice', 'done')).toEqual(done);
    });

    it('claimIdempotency takes over a running record whose lease has run out, and an expired record', async () => {
      await store().saveIdempotency(keyRecord('alice', 'stale', { state: 'running', response: null, leaseUntil: 5_000 }));
      await store().saveIdempotency(keyRecord('alice', 'old', { expiresAt: 9_000 }));
      const fresh = (key: string) => keyRecord('alice', key, { state: 'running', response: null, createdAt: 10_000, expiresAt: 90_000, leaseUntil: 40_000 });
      expect(await store().claimIdempotency(fresh('stale'), 10_000)).toBeUndefined();
      expect(await store().claimIdempotency(fresh('old'), 10_000)).toBeUndefined();
      expect(await store().getIdempotency('alice', 'stale')).toEqual(fresh('stale'));
      expect(await store().getIdempotency('alice', 'old')).toEqual(fresh('old'));
    });

    it('ten concurrent claims of one key: exactly one wins, the others get its record', async () => {
      const attempts = Array.from({ length: 10 }, (_, i) =>
        keyRecord('alice', 'k1', { state: 'running', response: null, fingerprint: `fp-${i}`, leaseUntil: 31_000 }),
      );
      const results = await Promise.all(attempts.map((record) => store().claimIdempotency(record, 1_000)));
      const winners = results.filter((r) => r === undefined);
      expect(winners).toHaveLength(1);
      const stored = await store().getIdempotency('alice', 'k1');
      expect(attempts).toContainEqual(stored);
      for (const loser of results.filter((r) => r !== undefined)) expect(loser).toEqual(stored);
    });

    it('deleteIdempotency removes one record', async () => {
      await store().saveIdempotency(keyRecord('alice', 'k1'));
      await store().saveIdempotency(keyRecord('alice', 'k2'));
      await store().deleteIdempotency('alice', 'k1');
      expect(await store().getIdempotency('alice', 'k1')).toBeUndefined();
      expect(await store().getIdempotency('alice', 'k2')).toEqual(keyRecord('alice', 'k2'));
    });

    it('pruneIdempotency deletes records that expired before now and says how many', async () => {
      await store().saveIdempotency(keyRecord('alice', 'a', { expiresAt: 1_000 }));
      await store().saveIdempotency(keyRecord('bob', 'b', { expiresAt: 2_000 }));
      await store().saveIdempotency(keyRecord('alice', 'c', { expiresAt: 50_000 }));
      expect(await store().pruneIdempotency(10_000)).toBe(2);
      expect(await store().getIdempotency('alice', 'a')).toBeUndefined();
      expect(await store().getIdempotency('bob', 'b')).toBeUndefined();
      expect(await store().getIdempotency('alice', 'c')).toEqual(keyRecord('alice', 'c', { expiresAt: 50_000 }));
      expect(await store().pruneIdempotency(10_000)).toBe(0);
    });

    it('pruneIdempotency deletes every expired record written before the oldest live one, in one call', async () => {
      for (let i = 0; i < 300; i++) await store().saveIdempotency(keyRecord(i % 2 ? 'alice' : 'bob', `old-${i}`, { expiresAt: 1_000 + i }));
      await store().saveIdempotency(keyRecord('alice', 'live', { expiresAt: 50_000 }));
      expect(await store().pruneIdempotency(10_000)).toBe(300);
      expect(await store().getIdempotency('bob', 'old-0')).toBeUndefined();
      expect(await store().getIdempotency('alice', 'old-299')).toBeUndefined();
      expect(await store().getIdempotency('alice', 'live')).toEqual(keyRecord('alice', 'live', { expiresAt: 50_000 }));
      // Once the live one has expired too, everything goes.
      expect(await store().pruneIdempotency(60_000)).toBe(1);
      expect(await store().listIdempotency(10)).toEqual([]);
    });

    it('listIdempotency returns the most recent records first (one retention), up to the limit', async () => {
      const ttl = 86_400_000;
      for (const [key, createdAt] of [['a', 1_000], ['b', 2_000], ['c', 3_000], ['d', 4_000]] as const) {
        await store().saveIdempotency(keyRecord('alice', key, { createdAt, expiresAt: createdAt + ttl }));
      }
      // Rewriting a record (a proxy claim finished) makes it the most recent.
      await store().saveIdempotency(keyRecord('alice', 'b', { createdAt: 5_000, expiresAt: 5_000 + ttl }));
      const recent = await store().listIdempotency(3);
      expect(recent.map((r) => r.key)).toEqual(['b', 'd', 'c']);
      expect(recent[0]).toEqual(keyRecord('alice', 'b', { createdAt: 5_000, expiresAt: 5_000 + ttl }));
    });
  });
}
