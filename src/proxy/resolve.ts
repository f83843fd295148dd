import type { IdempotencyRecord, Store } from '../store/store.js';

/**
 * What an operator decides for a key whose outcome is unknown (docs/PROXY.md, "Resolving"):
 * - `release`: the request did not take effect upstream; delete the record so a retry runs.
 * - `replay`: it did; store this answer (the status the upstream gave or would have given)
 *   so every retry gets it and nothing runs again.
 */
export type ResolveAction =
  | { kind: 'release' }
  | { kind: 'replay'; status: number; headers: Record<string, string>; body: string };

/** Options of one resolution. */
export interface ResolveOptions {
  /** Also resolve a key that is `done`, or `running` with a live lease (normally refused). */
  force?: boolean;
  /** Keep a replayed record this long from now (default: its original expiry, or 24 h if that has passed). */
  retentionMs?: number;
  now?: number;
}

/** Apply an operator's decision to one key; throws an Error explaining why when it refuses. */
export async function resolveKey(store: Store, principal: string, key: string, action: ResolveAction, options: ResolveOptions = {}): Promise<{ before: IdempotencyRecord; after: IdempotencyRecord | undefined }> {
  const now = options.now ?? Date.now();
  const before = await store.getIdempotency(principal, key);
  if (before === undefined) {
    throw new Error(`No record for Idempotency-Key ${JSON.stringify(key)} and principal ${principal}: check the key, and pass --authorization (or --principal) if the client sent an Authorization header.`);
  }
  if (!options.force) {
    if (before.state === 'done') throw new Error(`Key ${JSON.stringify(key)} is already done (status ${before.response?.status}); pass --force to overwrite a known answer.`);
    if (before.state === 'running' && (before.leaseUntil ?? 0) > now) {
      throw new Error(`Key ${JSON.stringify(key)} is still in flight until ${new Date(before.leaseUntil ?? 0).toISOString()}; wait for it, or pass --force.`);
    }
  }
  if (action.kind === 'release') {
    await store.deleteIdempotency(principal, key);
    return { before, after: undefined };
  }
  if (!Number.isInteger(action.status) || action.status < 200 || action.status > 599) {
    throw new Error(`--replay-status ${action.status} is not an HTTP status a request can end with (200-599).`);
  }
  const expiresAt = options.retentionMs !== undefined ? now + options.retentionMs : Math.max(before.expiresAt, now + 24 * 3_600_000);
  const after: IdempotencyRecord = {
    ...before,
    state: 'done',
    response: { status: action.status, headers: action.headers, body: action.body },
    leaseUntil: null,
    expiresAt,
  };
  await store.saveIdempotency(after);
  return { before, after };
}
