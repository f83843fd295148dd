import type { ProbeContext } from '../context.js';
import { isSuccess, line, type Exchange } from '../http.js';

/** Statuses that show a method is implemented on a resource, even if this request was refused. */
const IMPLEMENTED = new Set([200, 201, 202, 204, 304, 409, 412, 422, 428]);

/**
 * 405 and Allow. A 405 MUST carry Allow (RFC 9110 §15.5.6), and Allow lists the methods
 * the resource supports (§10.2.1): the checker compares it with what it saw work on the
 * same URL during the run. It sends one method the resource most likely lacks (POST on an
 * item; with client ids also POST on the collection). `since` is where this collection's
 * part of the log starts (it includes the pre-flight GET of the collection).
 */
export async function probeMethods(ctx: ProbeContext, since: number): Promise<void> {
  let itemProbe: Exchange | undefined;
  if (ctx.resourceUrl !== undefined) {
    itemProbe = await ctx.http.send('POST', ctx.resourceUrl, { json: ctx.freshDocument() });
    ctx.noteCreated(itemProbe);
  }
  if (ctx.target.clientIds) {
    const collectionProbe = await ctx.http.send('POST', ctx.target.url, { json: ctx.freshDocument() });
    ctx.noteCreated(collectionProbe);
  }

  const seen = ctx.http.log.slice(since).filter((e) => belongsTo(e.request.url, ctx.target.url));
  const refusals = seen.filter((e) => e.status === 405);

  const missing = refusals.filter((e) => !e.headers.has('allow'));
  if (refusals.length === 0) {
    const why = itemProbe !== undefined ? ` (POST on an item answered ${itemProbe.status})` : '';
    ctx.record('allowOn405', 'n/a', `No request got 405${why}.`, itemProbe ? [line(itemProbe, 'allow')] : [], itemProbe ? [itemProbe] : []);
  } else if (missing.length > 0) {
    ctx.record('allowOn405', 'fail', `${missing.length} of ${refusals.length} 405 responses have no Allow header.`, missing.map((e) => line(e, 'allow')), missing.slice(0, 1));
  } else {
    ctx.record('allowOn405', 'pass', `Every 405 (${refusals.length}) carries Allow.`, refusals.map((e) => line(e, 'allow')), refusals.slice(0, 1));
  }

  const problems: string[] = [];
  for (const refusal of refusals) {
    const allow = parseAllow(refusal.headers.get('allow'));
    if (allow === undefined) continue;
    const url = refusal.request.url;
    if (allow.has(refusal.request.method)) problems.push(`${refusal.request.method} ${url} is 405 but Allow lists it`);
    const working = new Set(seen.filter((e) => e.request.url === url && IMPLEMENTED.has(e.status)).map((e) => e.request.method));
    for (const method of working) if (!allow.has(method)) problems.push(`${method} works on ${url} but Allow (${[...allow].join(', ')}) leaves it out`);
  }
  // A 404 for an unsupported method on a resource that exists sends the client looking for a wrong URL.
  const misleading = itemProbe !== undefined && itemProbe.status === 404;
  if (misleading && itemProbe !== undefined) problems.push(`POST ${itemProbe.request.url} is 404 although the resource exists (GET is 200): expected 405 with Allow`);
  const evidence = [...refusals.map((e) => line(e, 'allow')), ...(itemProbe ? [line(itemProbe, 'allow')] : [])];
  if (problems.length > 0) {
    ctx.record('allowAccurate', 'fail', `${problems[0]}${problems.length > 1 ? ` (+${problems.length - 1} more)` : ''}.`, [...problems, ...evidence], misleading && itemProbe ? [itemProbe] : refusals.slice(0, 1));
  } else if (refusals.length > 0) {
    ctx.record('allowAccurate', 'pass', 'Allow matches the methods seen to work, and never lists the refused one.', evidence, refusals.slice(0, 1));
  } else if (itemProbe !== undefined && isSuccess(itemProbe.status)) {
    ctx.record('allowAccurate', 'n/a', `POST on an item is supported here (${itemProbe.status}), so there was no unsupported method to check.`, evidence, [itemProbe]);
  } else {
    ctx.record('allowAccurate', 'n/a', 'No 405 was seen to compare with.', evidence);
  }
}

/** The methods of an Allow value (RFC 9110 §10.2.1: `#method`), upper-cased. */
export function parseAllow(value: string | null): Set<string> | undefined {
  if (value === null) return undefined;
  return new Set(value.split(',').map((m) => m.trim().toUpperCase()).filter((m) => m !== ''));
}

/** True for the collection URL itself and URLs below it. */
export function belongsTo(url: string, collection: string): boolean {
  const base = collection.replace(/\/+$/, '');
  return url === base || url.startsWith(`${base}/`) || url.startsWith(`${base}?`);
}
