import type { IdempotencyRecord, Store } from '../store/store.js';

/**
 * Claiming an Idempotency-Key before a request goes upstream (docs/PROXY.md, "Claims").
 *
 * The claim is a `running` record with a lease, written with the Store's atomic
 * `claimIdempotency`, so two requests with one key — in one process or in several proxy
 * instances sharing one PostgreSQL — can never both go upstream. Whoever does not win sees
 * the winner's record and answers from it.
 */
export type ClaimResult =
  /** This request owns the key and goes upstream. */
  | { kind: 'claimed'; record: IdempotencyRecord }
  /** Same request, finished: replay the stored response (SPEC §4). */
  | { kind: 'replay'; record: IdempotencyRecord }
  /** Same key, different request: 422 (SPEC §4). */
  | { kind: 'reused'; record: IdempotencyRecord }
  /** Same key still running: 409 + Retry-After (SPEC §4). */
  | { kind: 'in-flight'; record: IdempotencyRecord | undefined }
  /** Sent upstream earlier, answer lost: 409 with `outcome: unknown` until resolved. */
  | { kind: 'unknown'; record: IdempotencyRecord };

/** Who is asking, for which request, and the key policy. */
export interface ClaimRequest {
  principal: string;
  key: string;
  fingerprint: string;
  leaseMs: number;
  retentionMs: number;
  /** Take over an `unknown` record this long after its request was sent; undefined: never. */
  releaseUnknownAfterMs: number | undefined;
}

/** Try to claim the key; `now` is used for every lease and expiry comparison of this attempt. */
export async function claimKey(store: Store, request: ClaimRequest, now = Date.now()): Promise<ClaimResult> {
  const fresh: IdempotencyRecord = {
    principal: request.principal,
    key: request.key,
    fingerprint: request.fingerprint,
    state: 'running',
    response: null,
    createdAt: now,
    expiresAt: now + request.retentionMs,
    leaseUntil: now + request.leaseMs,
  };
  let existing = await store.getIdempotency(request.principal, request.key);
  // A few rounds at most: each one follows a record another request changed under us.
  for (let round = 0; round < 3; round++) {
    if (existing === undefined || existing.expiresAt <= now) {
      // Same `now` as the read above: a claim made meanwhile by someone else has a lease
      // beyond `now`, so this call can never take over a live claim.
      const other = await store.claimIdempotency(fresh, now);
      if (other === undefined) return { kind: 'claimed', record: fresh };
      existing = other;
      continue;
    }
    if (existing.fingerprint !== request.fingerprint) return { kind: 'reused', record: existing };
    if (existing.state === 'done') return { kind: 'replay', record: existing };
    if (existing.state === 'running' && (existing.leaseUntil ?? 0) > now) return { kind: 'in-flight', record: existing };
    if (existing.state === 'running') {
      // The lease lapsed: the proxy that claimed it died while the request may already have
      // reached the upstream. That is exactly the ambiguous case, so the key becomes `unknown`
      // rather than being run again (docs/PROXY.md, "Leases").
      const swapped = await swap(store, existing, { ...existing, state: 'unknown', leaseUntil: null });
      if (swapped === 'busy') return { kind: 'in-flight', record: existing };
      existing = swapped;
      continue;
    }
    const after = request.releaseUnknownAfterMs;
    if (after !== undefined && now >= existing.createdAt + after) {
      const swapped = await swap(store, existing, fresh);
      if (swapped === 'busy') return { kind: 'in-flight', record: existing };
      if (swapped === fresh) return { kind: 'claimed', record: fresh };
      existing = swapped;
      continue;
    }
    return { kind: 'unknown', record: existing };
  }
  return { kind: 'in-flight', record: existing };
}

/**
 * Replace `seen` with `next` only if the stored record is still `seen` (compare-and-set in one
 * transaction under a named lock, so two proxy instances cannot both take over one record).
 * Returns `next` on success, the record found otherwise, or 'busy' when the lock is taken.
 */
async function swap(store: Store, seen: IdempotencyRecord, next: IdempotencyRecord): Promise<IdempotencyRecord | undefined | 'busy'> {
  return store.transaction(async (tx) => {
    if (!(await tx.tryLock(`idem-proxy:${seen.principal}:${seen.key}`))) return 'busy';
    const current = await tx.getIdempotency(seen.principal, seen.key);
    if (current === undefined || !sameRecord(current, seen)) return current;
    await tx.putIdempotency(next);
    return next;
  });
}

function sameRecord(a: IdempotencyRecord, b: IdempotencyRecord): boolean {
  return a.state === b.state && a.createdAt === b.createdAt && a.leaseUntil === b.leaseUntil && a.fingerprint === b.fingerprint;
}

/** Finish a claim with the upstream's definitive answer. */
export async function finishKey(store: Store, claimed: IdempotencyRecord, response: NonNullable<IdempotencyRecord['response']>): Promise<void> {
  await store.saveIdempotency({ ...claimed, state: 'done', response, leaseUntil: null });
}

/** The upstream's answer was lost after sending: the key becomes `unknown` until resolved. */
export async function markUnknown(store: Store, claimed: IdempotencyRecord): Promise<void> {
  await store.saveIdempotency({ ...claimed, state: 'unknown', leaseUntil: null });
}

/** Nothing happened upstream: release the key so a retry runs afresh. */
export async function releaseKey(store: Store, claimed: IdempotencyRecord): Promise<void> {
  await store.deleteIdempotency(claimed.principal, claimed.key);
}
