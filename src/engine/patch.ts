import jsonPatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { canonicalJson } from '../idempotency/fingerprint.js';
import { ACCEPT_PATCH, essence, JSON_PATCH, MERGE_PATCH } from '../http/media-type.js';
import { ProblemError, type ProblemExtensions } from '../http/problem.js';
import { conflictDetails } from './conflict.js';
import type { StoreTx } from '../store/store.js';
import { parseJson, requireMediaType, type JsonObject } from './body.js';
import { commitChange } from './commit-change.js';
import { headerValue, type RequestContext } from './context.js';
import { applyMergePatch } from './merge-patch.js';
import { checkWritePreconditions } from './preconditions.js';
import { buildDocument, clientFields, isServerField, SERVER_FIELDS } from './representation.js';
import { writeResponse } from './respond.js';
import type { EngineResponse } from './types.js';
import { checkVersionGuard, validateFields } from './write.js';

/** A patch document, parsed and checked for shape before any transaction starts. */
export type PreparedPatch = { format: 'merge'; patch: unknown } | { format: 'json'; operations: Operation[] };

/**
 * Read a PATCH body: only the two patch formats idem applies are accepted (RFC 5789 §2.2: 415
 * with Accept-Patch for any other), and a malformed patch document is 400.
 */
export function preparePatch(ctx: RequestContext): PreparedPatch {
  const contentType = headerValue(ctx.req, 'content-type');
  const accepted = (type: string | undefined) => essence(type) === MERGE_PATCH || essence(type) === JSON_PATCH;
  requireMediaType(contentType, accepted, `${MERGE_PATCH} (RFC 7396) or ${JSON_PATCH} (RFC 6902)`, { 'accept-patch': ACCEPT_PATCH });
  const body = parseJson(ctx.req.body, 'The patch document');
  ctx.parsedBody = body;
  if (essence(contentType) === MERGE_PATCH) return { format: 'merge', patch: body };
  const structural = Array.isArray(body) ? jsonPatch.validate(body as Operation[]) : undefined;
  if (!Array.isArray(body) || structural) {
    const why = structural ? structural.message.split('\n')[0] : 'it must be an array of operations';
    throw new ProblemError('invalid-patch', `The JSON Patch is malformed: ${why}. See RFC 6902 §4, e.g. [{"op": "replace", "path": "/status", "value": "closed"}].`);
  }
  const operations = body as Operation[];
  for (const op of operations) {
    const touched = [op.path, 'from' in op ? op.from : undefined].map((p) => p?.split('/')[1]).find((f) => f !== undefined && isServerField(f));
    if (touched !== undefined && op.op !== 'test') throw readOnly(touched);
  }
  return { format: 'json', operations };
}

function readOnly(field: string): ProblemError {
  return new ProblemError('read-only-field', `"${field}" is managed by the server and cannot be patched; leave it out (send "version" only as a guard equal to the current version).`, {
    errors: [{ pointer: `/${field}`, message: 'is read-only' }],
  });
}

/**
 * PATCH /{c}/{id}: apply the patch to the current document inside the write transaction,
 * validate the result as a whole document, and write it. A patch that changes nothing
 * writes nothing.
 */
export async function patchResource(tx: StoreTx, ctx: RequestContext, id: string, prepared: PreparedPatch): Promise<EngineResponse> {
  const target = { collection: ctx.resource.name, id };
  const stored = await tx.getDocumentForUpdate(ctx.resource.name, id);
  const current = stored && !stored.deleted ? stored : undefined;
  checkWritePreconditions(ctx.preconditions, current, target);
  if (!current) throw new ProblemError('not-found', `There is no ${ctx.resource.name} ${id} to patch; create it first.`);
  const representation = JSON.parse(current.body) as JsonObject;
  let fields: JsonObject;
  if (prepared.format === 'merge') {
    const members = mergeMembers(prepared.patch, target.id);
    checkVersionGuard(members['version'] as number | undefined, current, target);
    fields = clientFields(applyMergePatch(clientFields(representation), clientFields(members)) as JsonObject);
  } else {
    fields = jsonPatchFields(representation, prepared.operations, conflictDetails(current, target));
  }
  validateFields(ctx, fields, 'patch');
  if (canonicalJson(clientFields(representation)) === canonicalJson(fields)) return writeResponse(ctx, 200, current);
  const doc = buildDocument(ctx.resource.name, id, fields, current.version + 1, current.createdAt, ctx.at);
  await commitChange(tx, ctx, 'patch', doc, fields, current);
  return writeResponse(ctx, 200, doc);
}

/** The merge patch's members, refusing server-managed fields except a `version` guard and the same id. */
function mergeMembers(patch: unknown, id: string): JsonObject {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
    throw new ProblemError('invalid-patch', 'A merge patch for a resource must be a JSON object of the fields to change (RFC 7396); null removes a field.');
  }
  const members = patch as JsonObject;
  for (const field of SERVER_FIELDS) {
    const value = members[field];
    if (value === undefined) continue;
    if (field === 'version' && typeof value === 'number') continue;
    if (field === 'id' && value === id) continue;
    throw readOnly(field);
  }
  return members;
}

/** RFC 6902 §5: a failed `test` or an unresolvable path leaves the document unchanged; idem answers 409. */
function jsonPatchFields(representation: JsonObject, operations: Operation[], conflict: ProblemExtensions): JsonObject {
  try {
    const result = jsonPatch.applyPatch(representation, operations, true, false, true).newDocument;
    if (result === null || typeof result !== 'object' || Array.isArray(result)) {
      throw new ProblemError('invalid-patch', 'The JSON Patch replaces the whole document with something that is not an object; patch fields instead.');
    }
    for (const field of SERVER_FIELDS) {
      if (canonicalJson((result as JsonObject)[field]) !== canonicalJson(representation[field])) throw readOnly(field);
    }
    return clientFields(result as JsonObject);
  } catch (error) {
    if (error instanceof ProblemError) throw error;
    if (error instanceof jsonPatch.JsonPatchError) {
      const detail = error.name === 'TEST_OPERATION_FAILED' ? 'a "test" operation failed' : `an operation cannot apply (${error.name})`;
      throw new ProblemError('patch-test-failed', `The JSON Patch does not apply to the current document: ${detail} at operation ${(error.index ?? 0) + 1}. Re-read the resource and build the patch against it.`, {
        ...conflict,
        operationIndex: error.index ?? 0,
      });
    }
    throw new ProblemError('invalid-patch', `The JSON Patch cannot be applied: ${(error as Error).message}.`);
  }
}
