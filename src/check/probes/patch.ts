import { asObject, brief } from '../compare.js';
import type { ProbeContext } from '../context.js';
import { isSuccess, line, type Exchange } from '../http.js';

const MERGE_PATCH = 'application/merge-patch+json';
const JSON_PATCH = 'application/json-patch+json';

/** The outcome of one PATCH attempt. */
interface Attempt {
  format: string;
  patch: Exchange;
  /** True when the change is visible in a following GET; undefined when the PATCH was refused. */
  applied: boolean | undefined;
  evidence: string[];
}

/**
 * PATCH (RFC 5789): a server that answers 2xx MUST have applied the whole patch (§2); a
 * patch format it does not support is 415 with Accept-Patch listing the ones it does
 * (§2.2, §3.1). Both standard JSON formats are tried: merge patch (RFC 7396) and JSON
 * patch (RFC 6902).
 */
export async function probePatch(ctx: ProbeContext): Promise<void> {
  if (ctx.skipWithoutResource('patchApplies', 'patch415')) return;
  const change = ctx.change ?? ctx.candidates[0];
  if (change === undefined) {
    ctx.record('patchApplies', 'n/a', 'The sample has no scalar field to patch.');
  }
  const attempts: Attempt[] = [];
  if (change !== undefined) {
    attempts.push(await attempt(ctx, MERGE_PATCH, change.field, (value) => ({ [change.field]: value })));
    // JSON Pointer escaping (RFC 6901 §3): ~ is ~0 and / is ~1.
    const pointer = `/${change.field.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    attempts.push(await attempt(ctx, JSON_PATCH, change.field, (value) => [{ op: 'replace', path: pointer, value }]));
    judgeApplies(ctx, attempts);
  }
  await judgeUnsupported(ctx, attempts);
}

async function attempt(ctx: ProbeContext, format: string, field: string, build: (value: unknown) => unknown): Promise<Attempt> {
  const url = ctx.mustResource();
  const before = await ctx.read();
  const value = ctx.changed(before.json)[field];
  const patch = await ctx.write('PATCH', url, { json: build(value), contentType: format });
  const evidence = [`${line(patch, 'accept-patch')} with ${brief(build(value))}`];
  if (!isSuccess(patch.status)) return { format, patch, applied: undefined, evidence };
  const after = await ctx.read();
  const now = asObject(after.json)?.[field];
  evidence.push(`${line(after)} → "${field}": ${brief(now)}`);
  return { format, patch, applied: JSON.stringify(now) === JSON.stringify(value), evidence };
}

function judgeApplies(ctx: ProbeContext, attempts: Attempt[]): void {
  const evidence = attempts.flatMap((a) => a.evidence);
  const ignored = attempts.filter((a) => a.applied === false);
  const applied = attempts.filter((a) => a.applied === true);
  if (ignored.length > 0) {
    const formats = ignored.map((a) => `${a.format} → ${a.patch.status}`).join(', ');
    ctx.record('patchApplies', 'fail', `PATCH answered success but the change is not there (${formats}): the patch was silently dropped.`, evidence, ignored.map((a) => a.patch));
  } else if (applied.length > 0) {
    ctx.record('patchApplies', 'pass', `Applied: ${applied.map((a) => a.format).join(', ')}.`, evidence, applied.map((a) => a.patch));
  } else {
    const statuses = attempts.map((a) => `${a.format} → ${a.patch.status}`).join(', ');
    ctx.record('patchApplies', 'n/a', `No PATCH format was accepted (${statuses}).`, evidence, attempts.map((a) => a.patch));
  }
}

async function judgeUnsupported(ctx: ProbeContext, attempts: Attempt[]): Promise<void> {
  const url = ctx.mustResource();
  const before = await ctx.read();
  const patch = await ctx.write('PATCH', url, { body: 'idem-check: not a patch format', contentType: 'text/plain' });
  const evidence = [line(patch, 'accept-patch', 'content-type')];
  // Every 415 seen, including refusals of the JSON formats above, must say what is accepted.
  const refusals = [...attempts.map((a) => a.patch), patch].filter((e) => e.status === 415);
  const withoutHeader = refusals.filter((e) => !e.headers.has('accept-patch'));
  if (patch.status === 405 && attempts.every((a) => a.patch.status === 405)) {
    ctx.record('patch415', 'n/a', 'PATCH is not supported on this resource (405).', evidence, [patch]);
  } else if (withoutHeader.length > 0) {
    ctx.record('patch415', 'fail', `415 without Accept-Patch (${withoutHeader.map((e) => e.request.headers['Content-Type']).join(', ')}): the client cannot learn which format to use.`, evidence, withoutHeader);
  } else if (patch.status === 415) {
    ctx.record('patch415', 'pass', `415 with Accept-Patch: ${patch.headers.get('accept-patch') ?? ''}.`, evidence, [patch]);
  } else if (isSuccess(patch.status)) {
    const after = await ctx.read();
    evidence.push(`${line(after, 'etag')}; ETag ${before.headers.get('etag') === after.headers.get('etag') ? 'unchanged' : 'changed'}`);
    ctx.record('patch415', 'fail', `A text/plain "patch" was answered ${patch.status}: an unknown patch format must be refused with 415.`, evidence, [patch]);
  } else {
    ctx.record('patch415', 'fail', `${patch.status} instead of 415 for an unsupported patch format.`, evidence, [patch]);
  }
}
