import { ProblemError } from '../http/problem.js';
import { requestFingerprint } from '../idempotency/fingerprint.js';
import { parseIdempotencyKey } from '../idempotency/key.js';
import { isProcessedOutcome, replay, replayableHeaders } from '../idempotency/policy.js';
import type { IdempotencyRecord, StoreTx } from '../store/store.js';
import type { RequestContext } from './context.js';
import { newId } from './new-id.js';
import { problemResponse } from './respond.js';
import type { EngineResponse } from './types.js';

/** The `idempotency` event payloads: constants, as listeners only read them. */
export const OUTCOME = {
  stored: Object.freeze({ outcome: 'stored' }),
  replayed: Object.freeze({ outcome: 'replayed' }),
  mismatch: Object.freeze({ outcome: 'mismatch' }),
  inFlight: Object.freeze({ outcome: 'in-flight' }),
} as const;

/** Seconds a client is told to wait before retrying a request whose key is still in flight. */
const IN_FLIGHT_RETRY_AFTER = '1';

/** Read the Idempotency-Key header into the context; 400 for a malformed one or a missing required one. */
export function readIdempotencyKey(ctx: RequestContext, required: boolean): void {
  const raw = ctx.req.headers['idempotency-key'];
  if (raw === undefined) {
    if (required) {
      throw new ProblemError(
        'idempotency-key-required',
        `POST /${ctx.resource.name} needs an Idempotency-Key header so a retry cannot create a second ${ctx.resource.name} resource. Send a fresh unique value per operation, e.g. a UUIDv7, Idempotency-Key: "${newId()}", and reuse it when you retry (within ${retentionText(ctx)}).`,
        retention(ctx),
      );
    }
    return;
  }
  const parsed = parseIdempotencyKey(raw);
  if (!parsed.ok) throw new ProblemError('idempotency-key-invalid', parsed.reason, retention(ctx));
  ctx.idempotencyKey = parsed.key;
}

/**
 * A retry that is byte-for-byte a request this process finished: its stored response, before
 * the body is parsed or validated (it was, the first time). Undefined when it is not one.
 */
export function replayIdentical(ctx: RequestContext): EngineResponse | undefined {
  const key = ctx.idempotencyKey;
  if (key === undefined) return undefined;
  const { req } = ctx;
  const replayed = ctx.core.finishedKeys.replayIdentical(keyScope(ctx, key), ctx.core.nowMs(), req.method, req.path, req.body);
  if (replayed) ctx.core.events.emit('idempotency', OUTCOME.replayed);
  return replayed;
}

/**
 * Run a write in one transaction. With an Idempotency-Key, the key record is read and written
 * in that same transaction (SPEC §4): a finished request with the same fingerprint is replayed
 * and nothing runs again; a different fingerprint is 422; a concurrent request with the same
 * key is 409 + Retry-After. Outcomes of processed requests are stored with the change; a
 * rejection or a rollback stores nothing.
 */
export async function runWrite(ctx: RequestContext, write: (tx: StoreTx) => Promise<EngineResponse>): Promise<EngineResponse> {
  const { core } = ctx;
  const key = ctx.idempotencyKey;
  if (key === undefined) return timedTransaction(ctx, (tx) => processed(ctx, () => write(tx)));

  const fingerprint = requestFingerprint(ctx.req.method, ctx.req.path, ctx.req.body, ctx.parsedBody);
  const scope = keyScope(ctx, key);
  // A finished record never changes until it expires, so a copy answers a retry without a
  // transaction (finished-cache.ts).
  const remembered = core.finishedKeys.get(scope, core.nowMs());
  if (remembered) return answerExisting(ctx, remembered, fingerprint);
  if (core.inFlight.has(scope)) {
    // Same key running in this process — or just finished, and committed: then replay it.
    const committed = await core.store.getIdempotency(ctx.principal.id, key);
    if (committed && committed.state === 'done' && committed.expiresAt > core.nowMs()) return answerRetry(ctx, scope, committed, fingerprint);
    throw inFlight(ctx, key);
  }
  core.inFlight.add(scope);
  let stored = false;
  try {
    const response = await timedTransaction(ctx, async (tx) => {
      if (!(await tx.tryLock(`idem-key:${scope}`))) throw inFlight(ctx, key);
      const now = core.nowMs();
      const existing = await tx.getIdempotency(ctx.principal.id, key);
      if (existing && existing.expiresAt > now) return answerRetry(ctx, scope, existing, fingerprint);
      const response = await processed(ctx, () => write(tx));
      const record: IdempotencyRecord = {
        principal: ctx.principal.id,
        key,
        fingerprint,
        state: 'done',
        response: { status: response.status, headers: replayableHeaders(response.headers), body: response.body ?? '' },
        createdAt: now,
        expiresAt: now + core.idempotencyTtlMs,
        leaseUntil: null,
      };
      await tx.putIdempotency(record);
      stored = true;
      return response;
    });
    // Not remembered in FinishedKeys here: most keys are never retried, and holding every new
    // record cost more garbage collection than the store read a first retry makes.
    if (stored) core.events.emit('idempotency', OUTCOME.stored);
    return response;
  } finally {
    core.inFlight.delete(scope);
  }
}

/**
 * A store transaction, its duration (queueing for the group commit included) reported as the
 * `transaction` event: the metrics' store latency. Only requests that open one report it; a
 * replay from memory or a request rejected before its transaction does not.
 */
async function timedTransaction(ctx: RequestContext, body: (tx: StoreTx) => Promise<EngineResponse>): Promise<EngineResponse> {
  const started = performance.now();
  try {
    return await ctx.core.store.transaction(body);
  } finally {
    ctx.core.events.emit('transaction', { ms: performance.now() - started });
  }
}

/**
 * A retry that found its key's committed record in the store: keep the record in FinishedKeys,
 * so later retries are answered from memory — with this request's bytes when it is the same
 * request, so a byte-identical one is recognised before parsing — then answer it.
 */
function answerRetry(ctx: RequestContext, scope: string, existing: IdempotencyRecord, fingerprint: string): EngineResponse {
  const same = existing.fingerprint === fingerprint;
  ctx.core.finishedKeys.remember(scope, existing, same ? { method: ctx.req.method, path: ctx.req.path, body: ctx.req.body } : undefined);
  return answerExisting(ctx, existing, fingerprint);
}

/** A key that is already recorded: replay a finished request with the same fingerprint, 422 for another request. */
function answerExisting(ctx: RequestContext, existing: IdempotencyRecord, fingerprint: string): EngineResponse {
  const key = existing.key;
  if (existing.fingerprint !== fingerprint) {
    ctx.core.events.emit('idempotency', OUTCOME.mismatch);
    throw new ProblemError(
      'idempotency-key-reused',
      `Idempotency-Key ${JSON.stringify(key)} was already used for a different request (method, path or body differ). Use a new key for a new operation; reuse a key only to retry the identical request. Keys are kept for ${retentionText(ctx)}.`,
      retention(ctx),
    );
  }
  if (existing.state !== 'done' || !existing.response) throw inFlight(ctx, key);
  ctx.core.events.emit('idempotency', OUTCOME.replayed);
  return replay(existing.response);
}

/** SPEC §4: a key belongs to its principal; this names it in FinishedKeys and inFlight. */
function keyScope(ctx: RequestContext, key: string): string {
  return `${ctx.principal.id}\u0000${key}`;
}

/** Turn a processed failure (404, 409, 412) into a response so it commits and is stored; rethrow the rest. */
async function processed(ctx: RequestContext, run: () => Promise<EngineResponse>): Promise<EngineResponse> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ProblemError && isProcessedOutcome(error.status)) return problemResponse(error, ctx.req.path, ctx.requestId);
    throw error;
  }
}

function inFlight(ctx: RequestContext, key: string): ProblemError {
  return new ProblemError(
    'idempotency-in-flight',
    `A request with Idempotency-Key ${JSON.stringify(key)} is still being processed. Retry the same request after the Retry-After delay to get its outcome.`,
    retention(ctx),
    { 'retry-after': IN_FLIGHT_RETRY_AFTER },
  );
}

/** SPEC §4: the retention is visible in every Idempotency-Key problem. */
function retention(ctx: RequestContext): { retentionSeconds: number } {
  return { retentionSeconds: Math.round(ctx.core.idempotencyTtlMs / 1000) };
}

function retentionText(ctx: RequestContext): string {
  const seconds = Math.round(ctx.core.idempotencyTtlMs / 1000);
  return seconds % 3600 === 0 ? `${seconds / 3600} h` : seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}
