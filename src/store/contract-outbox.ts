/**
 * Store contract: the transactional outbox (SPEC §5) — claim with a lease, deliver, fail
 * and back off.
 */
import { describe, expect, it } from 'vitest';
import { effect, useFreshStore, type OpenStore } from './contract-fixtures.js';
import type { OutboxEffect, Store } from './store.js';

const byId = (a: OutboxEffect, b: OutboxEffect): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

async function enqueue(store: Store, effects: OutboxEffect[]): Promise<void> {
  await store.transaction(async (tx) => {
    for (const e of effects) await tx.enqueueEffect(e);
  });
}

/** The outbox. */
export function describeOutboxContract(open: OpenStore): void {
  describe('outbox', () => {
    const store = useFreshStore(open);

    it('an enqueued effect is listed for its resource and counted as pending', async () => {
      await enqueue(store(), [effect('e1'), effect('e2', { createdAt: 2_000 }), effect('e3', { resourceId: 'o2' })]);
      expect(await store().listEffects('orders', 'o1')).toEqual([effect('e1'), effect('e2', { createdAt: 2_000 })]);
      expect(await store().listEffects('orders', 'o9')).toEqual([]);
      expect(await store().countPendingEffects()).toBe(3);
    });

    it('claimEffects takes due pending effects only, up to the limit, leasing them and counting the attempt', async () => {
      await enqueue(store(), [
        effect('e1', { nextAttemptAt: 1_000 }),
        effect('e2', { nextAttemptAt: 2_000 }),
        effect('e3', { nextAttemptAt: 3_000 }),
        effect('later', { nextAttemptAt: 9_000 }),
      ]);
      const claimed = (await store().claimEffects(5_000, 30_000, 2)).sort(byId);
      // The two longest due go first.
      expect(claimed).toEqual([
        effect('e1', { nextAttemptAt: 35_000, attempts: 1 }),
        effect('e2', { nextAttemptAt: 35_000, attempts: 1 }),
      ]);
      expect((await store().claimEffects(5_000, 30_000, 10)).map((e) => e.id)).toEqual(['e3']);
      // Claimed rows stay hidden until their lease runs out; 'later' is not due yet.
      expect(await store().claimEffects(5_000, 30_000, 10)).toEqual([]);
      // Claimed effects are still pending (not yet delivered).
      expect(await store().countPendingEffects()).toBe(4);
      const afterLease = (await store().claimEffects(36_000, 30_000, 10)).sort(byId);
      expect(afterLease.map((e) => [e.id, e.attempts, e.nextAttemptAt])).toEqual([
        ['e1', 2, 66_000],
        ['e2', 2, 66_000],
        ['e3', 2, 66_000],
        ['later', 1, 66_000],
      ]);
    });

    it('a delivered effect is never claimed again and no longer pending', async () => {
      await enqueue(store(), [effect('e1'), effect('e2')]);
      await store().claimEffects(1_000, 100, 10);
      await store().markEffectDelivered('e1', 1_050);
      const delivered = (await store().listEffects('orders', 'o1')).find((e) => e.id === 'e1');
      expect(delivered).toMatchObject({ id: 'e1', state: 'delivered', deliveredAt: 1_050, lastError: null });
      expect(await store().countPendingEffects()).toBe(1);
      expect((await store().claimEffects(1_000_000, 100, 10)).map((e) => e.id)).toEqual(['e2']);
    });

    it('a failed attempt with a next time backs off until then; without one the effect is given up', async () => {
      await enqueue(store(), [effect('retry'), effect('give-up')]);
      await store().claimEffects(1_000, 100, 10);
      await store().markEffectFailed('retry', 'HTTP 503 from receiver', 20_000);
      await store().markEffectFailed('give-up', 'HTTP 400 from receiver', null);

      const listed = new Map((await store().listEffects('orders', 'o1')).map((e) => [e.id, e]));
      expect(listed.get('retry')).toMatchObject({ state: 'pending', lastError: 'HTTP 503 from receiver', nextAttemptAt: 20_000, deliveredAt: null });
      expect(listed.get('give-up')).toMatchObject({ state: 'failed', lastError: 'HTTP 400 from receiver', deliveredAt: null });
      expect(await store().countPendingEffects()).toBe(1);

      expect(await store().claimEffects(19_999, 100, 10)).toEqual([]);
      const retried = await store().claimEffects(20_000, 100, 10);
      expect(retried.map((e) => [e.id, e.attempts])).toEqual([['retry', 2]]);
      // Once its lease runs out the retried effect is due again; the given-up one never is.
      expect((await store().claimEffects(10_000_000, 100, 10)).map((e) => e.id)).toEqual(['retry']);
    });

    it('concurrent dispatchers claim every effect exactly once', async () => {
      const ids = Array.from({ length: 120 }, (_, i) => `e${String(i).padStart(3, '0')}`);
      await enqueue(store(), ids.map((id) => effect(id)));
      const claimedBy: string[][] = [];
      // Eight dispatchers race, each claiming 2 at a time until nothing is left for it.
      await Promise.all(
        [0, 1, 2, 3, 4, 5, 6, 7].map(async (n) => {
          const mine: string[] = [];
          claimedBy[n] = mine;
          for (;;) {
            const batch = await store().claimEffects(5_000, 60_000, 2);
            if (batch.length === 0) return;
            mine.push(...batch.map((e) => e.id));
          }
        }),
      );
      const all = claimedBy.flat().sort();
      expect(all).toEqual(ids);
    });
  });
}
