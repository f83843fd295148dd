/**
 * Store contract: what concurrent transactions may and may not see. These run real
 * concurrent transactions on one store; a store whose transactions never overlap (SQLite's
 * single writer) passes them by serializing, one whose transactions overlap (PostgreSQL)
 * must pass them with its locks.
 */
import { describe, expect, it } from 'vitest';
import { doc, pause, useFreshStore, waitFor, type OpenStore } from './contract-fixtures.js';

/** Serialization per resource, unique claims under contention, tryLock exclusion. */
export function describeConcurrencyContract(open: OpenStore): void {
  describe('concurrency', () => {
    const store = useFreshStore(open);

    it('concurrent read-modify-write transactions on one document are serialized: no update is lost', async () => {
      await store().transaction((tx) => tx.putDocument(doc('accounts', 'a1', 1, { balance: 0 })));
      const seen = await Promise.all(
        Array.from({ length: 6 }, () =>
          store().transaction(async (tx) => {
            const current = await tx.getDocumentForUpdate('accounts', 'a1');
            if (current === undefined) throw new Error('the document vanished');
            const { balance } = JSON.parse(current.body) as { balance: number };
            // Give the other transactions every chance to read the same version.
            await pause(10);
            await tx.putDocument(doc('accounts', 'a1', current.version + 1, { balance: balance + 10 }));
            return current.version;
          }),
        ),
      );
      // Each transaction saw the write of the one before it.
      expect(seen.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
      const final = await store().getDocument('accounts', 'a1');
      expect(final?.version).toBe(7);
      expect(JSON.parse(final?.body ?? '{}')).toMatchObject({ balance: 60 });
    });

    it('concurrent creates of one missing id: exactly one creates, the others see its write', async () => {
      const outcomes = await Promise.all(
        Array.from({ length: 6 }, (_, n) =>
          store().transaction(async (tx) => {
            const current = await tx.getDocumentForUpdate('tickets', 'client-chosen-id');
            await pause(10);
            await tx.putDocument(doc('tickets', 'client-chosen-id', (current?.version ?? 0) + 1, { by: n }));
            return current === undefined ? 'created' : 'updated';
          }),
        ),
      );
      expect(outcomes.filter((o) => o === 'created')).toHaveLength(1);
      expect((await store().getDocument('tickets', 'client-chosen-id'))?.version).toBe(6);
    });

    it('two resources racing for one unique value: exactly one gets it, the other is told the owner', async () => {
      const results = await Promise.all(
        ['u1', 'u2'].map((id) =>
          store().transaction(async (tx) => {
            const owner = await tx.claimUnique('users', 'email', 'same@x', id);
            await pause(10);
            return { id, owner };
          }),
        ),
      );
      const winners = results.filter((r) => r.owner === undefined);
      expect(winners).toHaveLength(1);
      const loser = results.find((r) => r.owner !== undefined);
      expect(loser?.owner).toBe(winners[0]?.id);
    });

    it('tryLock: two concurrent transactions never hold one name at once, and it is free again after commit', async () => {
      let holders = 0;
      let maxHolders = 0;
      let tried = 0;
      let overlapped = false;
      let inside = 0;
      const results = await Promise.all(
        [0, 1].map(() =>
          store().transaction(async (tx) => {
            inside++;
            const got = await tx.tryLock('idem:alice:k1');
            tried++;
            if (got) {
              holders++;
              maxHolders = Math.max(maxHolders, holders);
            }
            // Hold the lock while the other transaction tries (if the store lets them overlap).
            await waitFor(() => tried === 2, 300);
            if (inside === 2) overlapped = true;
            if (got) holders--;
            inside--;
            return got;
          }),
        ),
      );
      expect(maxHolders).toBe(1);
      // Overlapping transactions: exactly one got it. Serialized ones: each got it in turn.
      expect(results.filter(Boolean)).toHaveLength(overlapped ? 1 : 2);
      expect(await store().transaction((tx) => tx.tryLock('idem:alice:k1'))).toBe(true);
    });

    it('tryLock on different names does not conflict, and a name may hold any character', async () => {
      const got = await store().transaction(async (tx) => [await tx.tryLock('a'), await tx.tryLock('b'), await tx.tryLock('alice\u0000k\\1')]);
      expect(got).toEqual([true, true, true]);
    });
  });
}
