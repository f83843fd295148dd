import { newId } from './new-id.js';
import { canonicalJson } from '../idempotency/fingerprint.js';
import { ProblemError } from '../http/problem.js';
import type { StoreTx, StoredDocument } from '../store/store.js';
import type { JsonObject } from './body.js';
import { conflictDetails } from './conflict.js';
import type { RequestContext } from './context.js';
import type { EffectDeclaration } from './types.js';

export type ChangeKind = 'create' | 'replace' | 'patch' | 'delete';

/**
 * Write one change and everything that belongs to it in the caller's transaction: unique
 * values, the document (or tombstone), the history row, history trimming and the outbox rows
 * of declared effects (SPEC §5, §6). Nothing here commits: the caller's transaction does, once.
 */
export async function commitChange(
  tx: StoreTx,
  ctx: RequestContext,
  change: ChangeKind,
  next: StoredDocument,
  fields: JsonObject | undefined,
  previous: StoredDocument | undefined,
): Promise<void> {
  const { resource, core } = ctx;
  await claimUniqueFields(tx, ctx, next.id, fields, previous);
  await tx.putDocument(next);
  await tx.appendVersion({
    collection: resource.name,
    id: next.id,
    version: next.version,
    change,
    body: next.deleted ? null : next.body,
    etag: next.deleted ? null : next.etag,
    at: ctx.at,
    principal: ctx.principal.id,
    requestId: ctx.requestId,
    method: ctx.req.method,
    idempotencyKey: ctx.idempotencyKey ?? null,
  });
  if (core.historyLimit !== undefined) await tx.trimVersions(resource.name, next.id, core.historyLimit);
  for (const effect of resource.effects ?? []) {
    if (triggers(effect, change, fields)) await enqueue(tx, ctx, effect, change, next);
  }
}

/**
 * Keep unique fields unique: release this resource's values, then claim the new ones. On a
 * conflict the old claims are restored before the 409 is thrown, because a processed 409 is
 * committed (with its idempotency record) and must leave the state exactly as it was.
 */
async function claimUniqueFields(tx: StoreTx, ctx: RequestContext, id: string, fields: JsonObject | undefined, previous: StoredDocument | undefined): Promise<void> {
  const unique = ctx.resource.unique ?? [];
  if (unique.length === 0) return;
  await tx.releaseUnique(ctx.resource.name, id);
  if (!fields) return;
  const conflict = await claimAll(tx, ctx.resource.name, unique, id, fields);
  if (!conflict) return;
  await tx.releaseUnique(ctx.resource.name, id);
  if (previous && !previous.deleted) await claimAll(tx, ctx.resource.name, unique, id, JSON.parse(previous.body) as JsonObject);
  const { field, owner } = conflict;
  throw new ProblemError(
    'unique-conflict',
    `Another ${ctx.resource.name} resource (${owner}) already has ${field} ${JSON.stringify(fields[field])}; ${field} must be unique. Choose another value or change that resource.`,
    { ...conflictDetails(previous, { collection: ctx.resource.name, id }), field, conflictingId: owner, errors: [{ pointer: `/${field}`, message: 'is already taken' }] },
  );
}

async function claimAll(tx: StoreTx, collection: string, unique: string[], id: string, fields: JsonObject): Promise<{ field: string; owner: string } | undefined> {
  for (const field of unique) {
    const value = fields[field];
    if (value === undefined || value === null) continue;
    const owner = await tx.claimUnique(collection, field, canonicalJson(value), id);
    if (owner !== undefined) return { field, owner };
  }
  return undefined;
}

function triggers(effect: EffectDeclaration, change: ChangeKind, fields: JsonObject | undefined): boolean {
  if (!(effect.on ?? ['create']).includes(change)) return false;
  if (!effect.when) return true;
  return fields !== undefined && canonicalJson(fields[effect.when.field]) === canonicalJson(effect.when.equals);
}

/**
 * The derived key is `<request key or change id>:<effect name>` (SPEC §5): a retried request
 * replays and enqueues nothing new, and a redelivered effect carries the same key, so the
 * receiver can deduplicate.
 */
async function enqueue(tx: StoreTx, ctx: RequestContext, effect: EffectDeclaration, change: ChangeKind, doc: StoredDocument): Promise<void> {
  const changeId = `${doc.collection}/${doc.id}/v${doc.version}`;
  // Keys are scoped by principal (SPEC §4): prefix other principals' keys so two principals
  // that happen to pick the same key never share a derived key at the receiver.
  const requestKey = ctx.idempotencyKey === undefined ? undefined : ctx.principal.id === 'anonymous' ? ctx.idempotencyKey : `${ctx.principal.id}/${ctx.idempotencyKey}`;
  const now = Date.parse(ctx.at);
  await tx.enqueueEffect({
    id: newId(),
    collection: doc.collection,
    resourceId: doc.id,
    effect: effect.name,
    idempotencyKey: `${requestKey ?? changeId}:${effect.name}`,
    payload: JSON.stringify({
      url: effect.url,
      body: { effect: effect.name, resource: doc.collection, id: doc.id, version: doc.version, change, document: doc.deleted ? null : JSON.parse(doc.body) },
    }),
    state: 'pending',
    attempts: 0,
    nextAttemptAt: now,
    lastError: null,
    createdAt: now,
    deliveredAt: null,
  });
  ctx.enqueuedEffects = true;
}
