import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../store/sqlite.js';
import type { Store } from '../store/store.js';
import { claimKey, finishKey, markUnknown, type ClaimRequest } from './claim.js';
import { tempDb } from './test-support/temp-store.js';

const db = tempDb();
let store: Store;

// Several proxy processes on one file are covered in proxy-instances.test.ts: two SQLite
// stores on one file inside one process would make better-sqlite3 busy-wait on itself.
beforeAll(async () => {
  store = await openSqliteStore(db.path);
});
afterAll(async () => {
  await store.close();
  db.dispose();
});

const request = (key: string, fingerprint = 'fp'): ClaimRequest => ({ principal: 'anonymous', key, fingerprint, leaseMs: 1000, retentionMs: 60_000, releaseUnknownAfterMs: undefined });

describe('claiming a key', () => {
  it('of 20 concurrent claims, exactly one wins; the others see it in flight', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => claimKey(store, request('race'))));
    expect(results.filter((r) => r.kind === 'claimed')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'in-flight')).toHaveLength(19);
  });

  it('a finished key replays for the same fingerprint and is "reused" for another', async () => {
    const won = await claimKey(store, request('done-1'));
    if (won.kind !== 'claimed') throw new Error(`expected a claim, got ${won.kind}`);
    await finishKey(store, won.record, { status: 201, headers: {}, body: '{}' });
    expect((await claimKey(store, request('done-1'))).kind).toBe('replay');
    expect((await claimKey(store, request('done-1', 'other-fp'))).kind).toBe('reused');
  });

  it('a claim whose lease lapsed becomes unknown, not a fresh claim (its request may have been sent)', async () => {
    const t0 = Date.now();
    expect((await claimKey(store, request('lapsed'), t0)).kind).toBe('claimed');
    expect((await claimKey(store, request('lapsed'), t0 + 500)).kind).toBe('in-flight');
    expect((await claimKey(store, request('lapsed'), t0 + 1001)).kind).toBe('unknown');
    expect((await store.getIdempotency('anonymous', 'lapsed'))?.state).toBe('unknown');
  });

  it('an unknown key stays unknown without a release policy, and is taken over once the policy allows', async () => {
    const t0 = Date.now();
    const won = await claimKey(store, request('policy'), t0);
    if (won.kind !== 'claimed') throw new Error(`expected a claim, got ${won.kind}`);
    await markUnknown(store, won.record);
    expect((await claimKey(store, request('policy'), t0 + 10_000)).kind).toBe('unknown');
    const policy = { ...request('policy'), releaseUnknownAfterMs: 5000 };
    expect((await claimKey(store, policy, t0 + 4000)).kind).toBe('unknown');
    const results = await Promise.all([claimKey(store, policy, t0 + 6000), claimKey(store, policy, t0 + 6000)]);
    expect(results.map((r) => r.kind).sort()).toEqual(['claimed', 'in-flight']);
  });

  it('a key past its retention runs afresh', async () => {
    const t0 = Date.now();
    const won = await claimKey(store, request('old'), t0);
    if (won.kind !== 'claimed') throw new Error(`expected a claim, got ${won.kind}`);
    await finishKey(store, won.record, { status: 201, headers: {}, body: '{}' });
    expect((await claimKey(store, request('old'), t0 + 60_001)).kind).toBe('claimed');
  });
});
