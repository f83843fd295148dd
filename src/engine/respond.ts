import { PROBLEM_MEDIA_TYPE, type ProblemError } from '../http/problem.js';
import type { StoredDocument } from '../store/store.js';
import type { RequestContext } from './context.js';
import { validatorHeaders } from './representation.js';
import type { EngineResponse } from './types.js';

/** Fastify would append the charset to strings anyway; saying it here keeps GET, HEAD and replays identical. */
export const JSON_TYPE = 'application/json; charset=utf-8';

/** A JSON response. */
export function jsonResponse(status: number, body: string, headers: Record<string, string> = {}): EngineResponse {
  return { status, headers: { 'content-type': JSON_TYPE, ...headers }, body };
}

/** An RFC 9457 problem response, with the headers the problem needs (Allow, Retry-After…). */
export function problemResponse(error: ProblemError, instance: string, requestId: string): EngineResponse {
  const body = JSON.stringify({ ...error.problem, instance, requestId });
  return { status: error.status, headers: { 'content-type': PROBLEM_MEDIA_TYPE, ...error.headers }, body };
}

/**
 * The response to a successful write about one resource, honouring `Prefer: return=minimal`
 * (RFC 7240 §4.2): 200 becomes 204 without a body, 201 keeps its status without a body.
 */
export function writeResponse(ctx: RequestContext, status: 200 | 201, doc: StoredDocument): EngineResponse {
  const headers: Record<string, string> = { ...validatorHeaders(doc) };
  if (status === 201) headers['location'] = `/${doc.collection}/${encodeURIComponent(doc.id)}`;
  // RFC 7240 §3: Preference-Applied names the preference that was honoured.
  if (ctx.returnPreference !== undefined) headers['preference-applied'] = `return=${ctx.returnPreference}`;
  if (ctx.returnPreference === 'minimal') return { status: status === 200 ? 204 : 201, headers };
  return jsonResponse(status, doc.body, headers);
}
