import { strongEtag } from '../http/etag.js';
import { ProblemError } from '../http/problem.js';
import type { RequestContext } from './context.js';
import { checkReadPreconditions } from './preconditions.js';
import { encodeCursor, filterableFields, nextPageUrl, parsePageQuery } from './query.js';
import { httpDate, validatorHeaders } from './representation.js';
import { JSON_TYPE, jsonResponse } from './respond.js';
import type { EngineResponse } from './types.js';

/**
 * Every read of state that changes says `Cache-Control: no-cache` (RFC 9111 §5.2.2.4): a cache
 * may keep the response but must revalidate it (If-None-Match → 304) before each reuse. Without
 * it, a response with Last-Modified is heuristically fresh for a while (RFC 9111 §4.2.2), and a
 * browser answered a read from its cache with a version older than a write it had just seen
 * acknowledged (src/client/browser.test.ts): a stale read before an update is a 412 at best.
 */
const REVALIDATE = 'no-cache';

/** GET /{c}/{id}: the stored representation, with ETag and Last-Modified; 304 when it matches. */
export async function readResource(ctx: RequestContext, id: string, validId: boolean): Promise<EngineResponse> {
  const doc = validId ? await ctx.core.store.getDocument(ctx.resource.name, id) : undefined;
  if (!doc || doc.deleted) {
    const detail = doc ? `${ctx.resource.name} ${id} was deleted; its history is at /${ctx.resource.name}/${id}/versions.` : `There is no ${ctx.resource.name} with id ${JSON.stringify(id)}.`;
    throw new ProblemError('not-found', detail);
  }
  if (checkReadPreconditions(ctx.preconditions, doc, { collection: ctx.resource.name, id }) === 'not-modified') {
    // A 304 carries the Cache-Control the 200 would have (RFC 9110 §15.4.5).
    return { status: 304, headers: { ...validatorHeaders(doc), 'cache-control': REVALIDATE } };
  }
  // One headers object, not validatorHeaders() spread into jsonResponse(): this is every GET.
  return {
    status: 200,
    headers: { 'content-type': JSON_TYPE, etag: doc.etag, 'last-modified': httpDate(doc.updatedAt), 'cache-control': REVALIDATE },
    body: doc.body,
  };
}

/** GET /{c}: one page of live documents in id order, `next` cursor and a Link rel="next" (RFC 8288). */
export async function listResources(ctx: RequestContext): Promise<EngineResponse> {
  const query = parsePageQuery(ctx.req.query, filterableFields(ctx.resource));
  const afterId = typeof query.position === 'string' ? query.position : undefined;
  const docs = await ctx.core.store.listDocuments(ctx.resource.name, { filters: query.filters, afterId, limit: query.limit + 1 });
  const page = docs.slice(0, query.limit);
  const last = page[page.length - 1];
  const cursor = docs.length > query.limit && last ? encodeCursor(last.id) : null;
  const body = `{"items":[${page.map((d) => d.body).join(',')}],"next":${JSON.stringify(cursor)}}`;
  return pageResponse(ctx, body, cursor, `/${ctx.resource.name}`, query.params);
}

/** A page response: its own strong ETag (304 on a match) and the next link. */
export function pageResponse(ctx: RequestContext, body: string, cursor: string | null, path: string, params: URLSearchParams): EngineResponse {
  const etag = strongEtag(body);
  const headers: Record<string, string> = { etag, 'cache-control': REVALIDATE };
  if (cursor !== null) headers['link'] = `<${nextPageUrl(path, params, cursor)}>; rel="next"`;
  const ifNoneMatch = ctx.preconditions.ifNoneMatch;
  if (ifNoneMatch && (ifNoneMatch.any || ifNoneMatch.tags.some((t) => t.opaque === etag))) return { status: 304, headers };
  return jsonResponse(200, body, headers);
}
