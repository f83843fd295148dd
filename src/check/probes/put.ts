import { asObject, brief, changedFields, differingFields } from '../compare.js';
import type { ProbeContext } from '../context.js';
import { omittableFields } from '../document-variants.js';
import { isSuccess, line, type Exchange } from '../http.js';

/** How many refused candidates the checker tries before it gives up on a PUT variant. */
const MAX_ATTEMPTS = 4;

/**
 * PUT semantics (RFC 9110 §9.3.4): the enclosed representation replaces the state, so fields
 * left out are gone; PUT is idempotent (§9.2.2), so repeating it changes nothing and is not
 * a second creation; an unchanged representation keeps its ETag (§8.8.3).
 */
export async function probePut(ctx: ProbeContext): Promise<void> {
  if (!ctx.target.clientIds) await checkPutMissing(ctx);
  if (ctx.skipWithoutResource('putReplaces', 'putIdempotent', 'putNoopEtag')) return;
  const supported = await checkReplaces(ctx);
  if (!supported) {
    for (const key of ['putIdempotent', 'putNoopEtag'] as const) ctx.record(key, 'n/a', 'PUT is not supported on this resource (405).');
    return;
  }
  await checkIdempotent(ctx);
}

/** Server ids: PUT to a missing id must not pretend to replace (200) what was not there. */
async function checkPutMissing(ctx: ProbeContext): Promise<void> {
  const url = ctx.itemUrl(ctx.newId());
  const response = await ctx.write('PUT', url, { json: ctx.freshDocument() });
  const evidence = [line(response, 'location')];
  if (response.status === 201) {
    ctx.noteCreated(response, url);
    ctx.record('putMissing', 'pass', '201 Created: this API lets PUT create at a client-chosen id.', evidence, [response]);
  } else if (response.status >= 400 && response.status < 500) {
    ctx.record('putMissing', 'pass', `${response.status}: this API does not create by PUT, and says so.`, evidence, [response]);
  } else if (isSuccess(response.status)) {
    const after = await ctx.http.send('GET', url);
    if (after.status === 200) ctx.created.add(url);
    const what = after.status === 200 ? 'it did create the resource, which requires 201 Created' : 'yet nothing exists there';
    ctx.record('putMissing', 'fail', `${response.status} for a PUT to a missing id: ${what}.`, [...evidence, line(after)], [response]);
  } else {
    ctx.record('putMissing', 'fail', `${response.status} for a PUT to a missing id.`, evidence, [response]);
  }
}

/** Returns false when PUT is not supported at all. */
async function checkReplaces(ctx: ProbeContext): Promise<boolean> {
  const url = ctx.mustResource();
  const fields = omittableFields(ctx.document, ctx.target.schema);
  if (Object.keys(ctx.document).length < 2 || fields.length === 0) {
    ctx.record('putReplaces', 'n/a', 'The sample has no field that can be left out; add an optional field to --sample.');
    return true;
  }
  const evidence: string[] = [];
  for (const field of fields.slice(0, MAX_ATTEMPTS)) {
    const { [field]: _omitted, ...body } = ctx.document;
    const put = await ctx.write('PUT', url, { json: body });
    evidence.push(`${line(put)} without "${field}"`);
    if (put.status === 405) {
      ctx.record('putReplaces', 'n/a', 'PUT is not supported on this resource (405).', evidence, [put]);
      return false;
    }
    if (!isSuccess(put.status)) continue;
    const after = await ctx.read();
    evidence.push(`${line(after)} → ${brief(after.json)}`);
    const kept = asObject(after.json)?.[field];
    if (kept === undefined) {
      ctx.record('putReplaces', 'pass', `After a PUT without "${field}", the field is gone.`, evidence, [put, after]);
    } else {
      ctx.record('putReplaces', 'fail', `After a PUT without "${field}", "${field}" is still ${brief(kept)}: PUT merged instead of replacing.`, evidence, [put, after]);
    }
    return true;
  }
  ctx.record('putReplaces', 'n/a', 'Every PUT that left a field out was refused, so all sample fields look required; add an optional field to --sample.', evidence);
  return true;
}

/** Find a change the API accepts, send it twice, compare. */
async function checkIdempotent(ctx: ProbeContext): Promise<void> {
  const url = ctx.mustResource();
  const before = await ctx.read();
  const evidence: string[] = [];
  let first: Exchange | undefined;
  let body: Record<string, unknown> = ctx.document;
  for (const candidate of ctx.candidates.slice(0, MAX_ATTEMPTS)) {
    ctx.change = candidate;
    body = ctx.changed(before.json);
    first = await ctx.write('PUT', url, { json: body });
    evidence.push(`${line(first, 'etag')} with ${brief(body)}`);
    if (isSuccess(first.status)) break;
    ctx.change = undefined;
  }
  if (first === undefined || !isSuccess(first.status)) {
    // No change was accepted: the unchanged sample is still a valid PUT to repeat.
    body = ctx.document;
    first = await ctx.write('PUT', url, { json: body });
    evidence.push(`${line(first, 'etag')} with ${brief(body)}`);
  }
  if (!isSuccess(first.status)) {
    ctx.record('putIdempotent', 'n/a', `Every PUT the checker tried was refused (last: ${first.status}).`, evidence, [first]);
    ctx.record('putNoopEtag', 'n/a', 'No PUT was accepted.');
    return;
  }
  const afterFirst = await ctx.read();
  const second = await ctx.write('PUT', url, { json: body });
  const afterSecond = await ctx.read();
  evidence.push(`${line(afterFirst, 'etag')} → ${brief(afterFirst.json)}`, `${line(second, 'etag')} (the same PUT again)`, `${line(afterSecond, 'etag')} → ${brief(afterSecond.json)}`);

  const lost = differingFields(body, afterSecond.json);
  const moved = changedFields(afterFirst.json, afterSecond.json);
  if (second.status === 201) {
    ctx.record('putIdempotent', 'fail', 'The repeated PUT answered 201 Created although the resource already existed.', evidence, [second]);
  } else if (!isSuccess(second.status)) {
    ctx.record('putIdempotent', 'fail', `The repeated PUT answered ${second.status}; the first answered ${first.status}.`, evidence, [first, second]);
  } else if (lost.length > 0) {
    ctx.record('putIdempotent', 'fail', `After the repeat the sent fields differ: ${lost.join(', ')}.`, evidence, [second, afterSecond]);
  } else {
    const note = moved.length > 0 ? ` (server fields changed on the repeat: ${moved.join(', ')})` : '';
    ctx.record('putIdempotent', 'pass', `The repeat answered ${second.status} and left the sent fields as they were${note}.`, evidence, [first, second]);
  }

  const etag1 = afterFirst.headers.get('etag');
  const etag2 = afterSecond.headers.get('etag');
  const etagEvidence = [line(afterFirst, 'etag'), line(second, 'etag'), line(afterSecond, 'etag')];
  if (etag1 === null || etag2 === null) {
    ctx.record('putNoopEtag', 'n/a', 'The resource has no ETag.', etagEvidence);
  } else if (etag1 === etag2) {
    ctx.record('putNoopEtag', 'pass', `The ETag stayed ${etag1} after a PUT that changed nothing.`, etagEvidence, [second]);
  } else {
    const why = moved.length > 0 ? ` (changed: ${moved.join(', ')})` : '';
    ctx.record('putNoopEtag', 'fail', `A PUT that changed nothing moved the ETag from ${etag1} to ${etag2}${why}: caches and If-Match clients see a change that did not happen.`, etagEvidence, [second, afterSecond]);
  }
}
