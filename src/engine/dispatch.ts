import { ProblemError } from '../http/problem.js';
import { ACCEPT_PATCH } from '../http/media-type.js';
import { deleteResource } from './delete.js';
import type { RequestContext } from './context.js';
import { listEffects, listVersions, readVersion } from './history.js';
import { readIdempotencyKey, replayIdentical, runWrite } from './idempotent.js';
import { patchResource, preparePatch } from './patch.js';
import { listResources, readResource } from './read.js';
import { allowedMethods, type Route } from './routes.js';
import type { EngineResponse } from './types.js';
import { createResource, prepareDocument, replaceResource } from './write.js';

/**
 * Route a matched request to its handler. HEAD is answered as GET; the caller drops the body.
 *
 * dispatch, item and create are plain functions handing on the handler's promise: an async
 * function returning a promise would wrap it in another and resolve that through two extra
 * microtask jobs, on every request. They may throw synchronously; the engine's caller awaits
 * them inside its try, which turns both kinds of failure into the same problem response.
 */
export function dispatch(ctx: RequestContext, method: string): Promise<EngineResponse> {
  const route = ctx.route;
  const allow = allowedMethods(route);
  if (method === 'OPTIONS') return Promise.resolve({ status: 204, headers: allowHeaders(route, allow) });
  if (!allow.includes(method)) throw new ProblemError('method-not-allowed', methodDetail(route, method, allow), { allowed: [...allow] }, allowHeaders(route, allow));
  const read = method === 'GET' || method === 'HEAD';
  switch (route.kind) {
    case 'collection':
      if (read) return listResources(ctx);
      return create(ctx);
    case 'versions':
      return listVersions(ctx, route.id);
    case 'version':
      return readVersion(ctx, route.id, route.version);
    case 'effects':
      return listEffects(ctx, route.id);
    case 'item':
      return item(ctx, method, route.id, route.validId);
  }
}

function item(ctx: RequestContext, method: string, id: string, validId: boolean): Promise<EngineResponse> {
  if (method === 'GET' || method === 'HEAD') return readResource(ctx, id, validId);
  if (!validId) {
    if (method !== 'PUT') throw new ProblemError('not-found', `There is no ${ctx.resource.name} with id ${JSON.stringify(id)}.`);
    throw new ProblemError('invalid-id', `${JSON.stringify(id)} is not a valid id: use 1 to 128 of the characters A-Z a-z 0-9 . _ ~ - (URL-unreserved).`);
  }
  requirePrecondition(ctx, method);
  readIdempotencyKey(ctx, false);
  const replayed = replayIdentical(ctx);
  if (replayed) return Promise.resolve(replayed);
  if (method === 'PUT') {
    const prepared = prepareDocument(ctx, 'PUT');
    return runWrite(ctx, (tx) => replaceResource(tx, ctx, id, prepared));
  }
  if (method === 'PATCH') {
    const prepared = preparePatch(ctx);
    return runWrite(ctx, (tx) => patchResource(tx, ctx, id, prepared));
  }
  return runWrite(ctx, (tx) => deleteResource(tx, ctx, id));
}

/** POST /{c}: every check that can reject the request runs before the transaction. */
function create(ctx: RequestContext): Promise<EngineResponse> {
  readIdempotencyKey(ctx, ctx.resource.requireIdempotencyKey === true);
  const replayed = replayIdentical(ctx);
  if (replayed) return Promise.resolve(replayed);
  const prepared = prepareDocument(ctx, 'POST');
  return runWrite(ctx, (tx) => createResource(tx, ctx, prepared));
}

/** RFC 6585 §3: a resource type that requires conditional writes answers 428 to an unconditional one. */
function requirePrecondition(ctx: RequestContext, method: string): void {
  if (!ctx.resource.requirePreconditions || ctx.preconditions.ifMatch) return;
  if (method === 'PUT' && ctx.preconditions.ifNoneMatch?.any) return; // create-only PUT is conditional too
  throw new ProblemError(
    'precondition-required',
    `${method} on ${ctx.resource.name} must be conditional so no update is lost: GET the resource, then send its ETag in If-Match${method === 'PUT' ? ' (or If-None-Match: * to create)' : ''}.`,
  );
}

/** Allow on OPTIONS and 405 (RFC 9110 §10.2.1); Accept-Patch where PATCH works (RFC 5789 §3.1). */
function allowHeaders(route: Route, allow: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = { allow: allow.join(', ') };
  if (route.kind === 'item') headers['accept-patch'] = ACCEPT_PATCH;
  return headers;
}

function methodDetail(route: Route, method: string, allow: readonly string[]): string {
  if (route.kind === 'collection' && method === 'POST') {
    return `${route.resource.name} ids are chosen by the client: create with PUT /${route.resource.name}/{id}. Allowed here: ${allow.join(', ')}.`;
  }
  return `${method} is not supported on this resource. Allowed: ${allow.join(', ')}.`;
}
