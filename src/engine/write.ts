import { newId } from './new-id.js';
import { canonicalJson } from '../idempotency/fingerprint.js';
import { ProblemError } from '../http/problem.js';
import type { StoreTx, StoredDocument } from '../store/store.js';
import { parseJsonObject, requireMediaType, isJson, type JsonObject } from './body.js';
import { commitChange } from './commit-change.js';
import { conflictDetails } from './conflict.js';
import { headerValue, type RequestContext } from './context.js';
import { checkWritePreconditions } from './preconditions.js';
import { buildDocument, clientFields, storedClientFields } from './representation.js';
import { writeResponse } from './respond.js';
import type { EngineResponse } from './types.js';

/** A parsed and validated document body, ready to be written inside a transaction. */
export interface PreparedDocument {
  fields: JsonObject;
  /** The `version` the client sent, if any: a guard checked against the current version. */
  version: number | undefined;
}

/**
 * Read, check and validate a PUT/POST body before any transaction starts: a request rejected
 * here stores nothing (SPEC §4). Server-managed fields are output-only (SPEC §1): createdAt and
 * updatedAt are ignored, an `id` must match the URL, a `version` is kept as a guard.
 */
export function prepareDocument(ctx: RequestContext, method: 'PUT' | 'POST'): PreparedDocument {
  requireMediaType(headerValue(ctx.req, 'content-type'), isJson, 'application/json');
  const body = parseJsonObject(ctx.req.body);
  ctx.parsedBody = body;
  const urlId = ctx.route.kind === 'item' ? ctx.route.id : undefined;
  if (body['id'] !== undefined && body['id'] !== urlId) {
    const detail =
      method === 'POST'
        ? `The server assigns ids in /${ctx.resource.name}; leave "id" out${ctx.resource.idPolicy === 'both' ? ` or PUT /${ctx.resource.name}/{id} to choose it` : ''}.`
        : `The body's id ${JSON.stringify(body['id'])} differs from the URL's id ${JSON.stringify(urlId)}; send the same id or leave it out.`;
    throw new ProblemError('id-mismatch', detail, { errors: [{ pointer: '/id', message: 'must match the URL' }] });
  }
  const version = body['version'];
  if (version !== undefined && (typeof version !== 'number' || !Number.isInteger(version) || version < 1)) {
    throw new ProblemError('invalid-document', '"version" is server-managed: leave it out, or send the version you read (a positive integer) to guard against lost updates.', {
      errors: [{ pointer: '/version', message: 'must be a positive integer' }],
    });
  }
  const fields = clientFields(body);
  validateFields(ctx, fields, method === 'PUT' ? 'replace' : 'create');
  return { fields, version: version as number | undefined };
}

/** Validate a complete document; a PUT missing required fields gets a problem that points to PATCH. */
export function validateFields(ctx: RequestContext, fields: JsonObject, purpose: 'create' | 'replace' | 'patch'): void {
  const validate = ctx.core.validators.get(ctx.resource.name);
  const result = validate ? validate(fields) : { valid: true, errors: [], missing: [] };
  if (result.valid) return;
  const { errors, missing } = result;
  if (purpose === 'replace' && missing.length > 0) {
    throw new ProblemError(
      'incomplete-replacement',
      `PUT replaces the whole resource, and the body is missing ${missing.map((f) => `"${f}"`).join(', ')}. Send the complete document, or use PATCH to change only some fields.`,
      { missing, errors },
    );
  }
  const summary = errors.map((e) => `${e.pointer || '/'} ${e.message}`).join('; ');
  const what = purpose === 'patch' ? 'The patched document' : 'The document';
  throw new ProblemError('invalid-document', `${what} does not match the ${ctx.resource.name} schema: ${summary}.`, missing.length > 0 ? { errors, missing } : { errors });
}

/** POST /{c}: create with a server-assigned, time-sortable id (UUIDv7, RFC 9562 §5.7). */
export async function createResource(tx: StoreTx, ctx: RequestContext, prepared: PreparedDocument): Promise<EngineResponse> {
  const id = newId();
  const doc = buildDocument(ctx.resource.name, id, prepared.fields, 1, ctx.at, ctx.at);
  await commitChange(tx, ctx, 'create', doc, prepared.fields, undefined);
  return writeResponse(ctx, 201, doc);
}

/**
 * PUT /{c}/{id}: replace the whole document, or create it where the id policy allows (SPEC §1).
 * A PUT that changes nothing writes nothing: same version, updatedAt and ETag (RFC 9110 §9.3.4
 * makes PUT idempotent; idem keeps even the metadata still).
 */
export async function replaceResource(tx: StoreTx, ctx: RequestContext, id: string, prepared: PreparedDocument): Promise<EngineResponse> {
  const target = { collection: ctx.resource.name, id };
  const stored = await tx.getDocumentForUpdate(ctx.resource.name, id);
  const current = stored && !stored.deleted ? stored : undefined;
  checkWritePreconditions(ctx.preconditions, current, target);
  if (!current) {
    if ((ctx.resource.idPolicy ?? 'server') === 'server') {
      throw new ProblemError('not-found', `There is no ${ctx.resource.name} ${id} to replace, and ${ctx.resource.name} ids are assigned by the server: create it with POST /${ctx.resource.name}.`);
    }
    // A re-create after DELETE continues the version count, so no ETag or version ever repeats.
    const doc = buildDocument(ctx.resource.name, id, prepared.fields, (stored?.version ?? 0) + 1, ctx.at, ctx.at);
    await commitChange(tx, ctx, 'create', doc, prepared.fields, stored);
    return writeResponse(ctx, 201, doc);
  }
  checkVersionGuard(prepared.version, current, target);
  if (canonicalJson(storedClientFields(current)) === canonicalJson(prepared.fields)) return writeResponse(ctx, 200, current);
  const doc = buildDocument(ctx.resource.name, id, prepared.fields, current.version + 1, current.createdAt, ctx.at);
  await commitChange(tx, ctx, 'replace', doc, prepared.fields, current);
  return writeResponse(ctx, 200, doc);
}

/** A `version` in the body is the body spelling of If-Match: a mismatch is 409 (SPEC §3). */
export function checkVersionGuard(version: number | undefined, current: StoredDocument, target: { collection: string; id: string }): void {
  if (version === undefined || version === current.version) return;
  throw new ProblemError(
    'version-conflict',
    `The body says version ${version}, but the current version is ${current.version}: someone changed it since you read it. Re-read it, re-apply your change and retry.`,
    conflictDetails(current, target),
  );
}
