import { brief, changedFields } from '../compare.js';
import type { CheckKey } from '../catalog.js';
import type { ProbeContext } from '../context.js';
import { isSuccess, line } from '../http.js';

/** Used when the resource never had another ETag: an entity-tag no server would generate. */
const FABRICATED_ETAG = '"idem-check-stale-etag"';

/**
 * Lost-update protection. An origin server MUST evaluate If-Match / If-None-Match before
 * performing the method (RFC 9110 §13.1.1, §13.1.2) and answer 412 when they are false,
 * without performing it (§13.2.1). The checker sends a write that would change the
 * resource under a false condition and then verifies that nothing changed.
 */
export async function probePreconditions(ctx: ProbeContext): Promise<void> {
  if (ctx.skipWithoutResource('staleIfMatch', 'ifNoneMatchStar')) return;
  const current = (await ctx.read()).headers.get('etag');
  // A genuinely stale tag (one the resource had before) is the realistic case: a client
  // that read, then lost a race.
  const stale = ctx.etags.find((tag) => tag !== current) ?? FABRICATED_ETAG;
  await conditionalWrite(ctx, 'staleIfMatch', { 'If-Match': stale }, `If-Match: ${stale} (current ${current ?? 'none'})`);
  await conditionalWrite(ctx, 'ifNoneMatchStar', { 'If-None-Match': '*' }, 'If-None-Match: * on a resource that exists');
}

async function conditionalWrite(ctx: ProbeContext, key: CheckKey, condition: Record<string, string>, what: string): Promise<void> {
  const url = ctx.mustResource();
  const before = await ctx.read();
  const body = ctx.changed(before.json);
  const put = await ctx.write('PUT', url, { json: body, headers: condition });
  const after = await ctx.read();
  const changed = changedFields(before.json, after.json);
  const etagMoved = before.headers.get('etag') !== after.headers.get('etag');
  const evidence = [`${line(put, 'etag')} with ${brief(body)}`, `${line(after, 'etag')} → ${brief(after.json)}`];
  const unchanged = changed.length === 0 && !etagMoved;
  if (put.status === 412 && unchanged) {
    ctx.record(key, 'pass', `412 Precondition Failed for ${what}, and the resource is unchanged.`, evidence, [put]);
  } else if (put.status === 412) {
    ctx.record(key, 'fail', `412 for ${what}, but the resource changed anyway (${changed.join(', ') || 'ETag'}).`, evidence, [put, after]);
  } else if (isSuccess(put.status)) {
    const effect = unchanged ? 'though the resource did not change' : `and the write was applied (changed: ${changed.join(', ') || 'ETag'})`;
    ctx.record(key, 'fail', `${put.status} for ${what}: the condition was ignored, ${effect}.`, evidence, [put, after]);
  } else if (put.status === 405 || put.status === 400 || put.status === 422) {
    // A request refused by its normal checks never reaches precondition evaluation (§13.2.1).
    ctx.record(key, 'n/a', `The PUT was refused with ${put.status} before preconditions mattered.`, evidence, [put]);
  } else {
    ctx.record(key, 'fail', `${put.status} instead of 412 for ${what}.`, evidence, [put]);
  }
}
