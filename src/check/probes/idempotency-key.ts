import { brief } from '../compare.js';
import type { ProbeContext } from '../context.js';
import { isSuccess, line, type Exchange } from '../http.js';

/** Where a create goes: POST to the collection, or PUT to one fresh id (client ids). */
interface CreateTarget {
  method: 'POST' | 'PUT';
  url: string;
}

/**
 * Idempotency-Key (draft-ietf-httpapi-idempotency-key-header; idem SPEC §4): a retry with
 * the same key and body gets the first response again and runs nothing twice; the same key
 * with another body is 422; concurrent requests with one key produce one effect. Creates
 * are used because a non-idempotent create is exactly what the header exists to protect.
 */
export async function probeIdempotencyKey(ctx: ProbeContext, concurrency: number): Promise<void> {
  await checkReplayAndMismatch(ctx);
  await checkConcurrent(ctx, concurrency);
}

function createTarget(ctx: ProbeContext): CreateTarget {
  return ctx.target.clientIds ? { method: 'PUT', url: ctx.itemUrl(ctx.newId()) } : { method: 'POST', url: ctx.target.url };
}

async function create(ctx: ProbeContext, target: CreateTarget, key: string, body: unknown): Promise<Exchange> {
  const response = await ctx.write(target.method, target.url, { json: body, headers: { 'Idempotency-Key': key } });
  ctx.noteCreated(response, target.method === 'PUT' ? target.url : undefined);
  return response;
}

/** What identifies the created resource in a response: Location, else the id in the body. */
function createdIdentity(ctx: ProbeContext, response: Exchange): string | undefined {
  const location = response.headers.get('location');
  if (location !== null) return new URL(location, response.request.url).toString();
  const body = response.json;
  const id = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[ctx.target.idField] : undefined;
  return id === undefined ? undefined : String(id);
}

async function checkReplayAndMismatch(ctx: ProbeContext): Promise<void> {
  const target = createTarget(ctx);
  const key = ctx.newKey();
  const document = ctx.freshDocument();
  const first = await create(ctx, target, key, document);
  if (!isSuccess(first.status)) {
    const summary = `A create with an Idempotency-Key answered ${first.status}, so replay cannot be tested.`;
    ctx.record('keyReplay', 'n/a', summary, [line(first)], [first]);
    ctx.record('keyMismatch', 'n/a', summary, [line(first)], [first]);
    return;
  }
  const retry = await create(ctx, target, key, document);
  const evidence = [line(first, 'location'), `${line(retry, 'location', 'idempotent-replayed')} (same key, same body)`];
  const firstId = createdIdentity(ctx, first);
  const retryId = createdIdentity(ctx, retry);
  if (retry.status === first.status && retryId === firstId) {
    const flagged = retry.headers.get('idempotent-replayed') === 'true' ? ' and is marked Idempotent-Replayed: true' : '';
    ctx.record('keyReplay', 'pass', `The retry got the first response again (${retry.status}${firstId ? `, ${firstId}` : ''})${flagged}.`, evidence, [retry]);
  } else if (target.method === 'POST' && isSuccess(retry.status) && retryId !== firstId) {
    ctx.record('keyReplay', 'fail', `The retry with the same key created a second resource (${retryId ?? '?'} besides ${firstId ?? '?'}).`, evidence, [first, retry]);
  } else {
    ctx.record('keyReplay', 'fail', `The retry with the same key answered ${retry.status} where the first answered ${first.status}: it ran again instead of replaying.`, evidence, [first, retry]);
  }

  const other = ctx.changed(first.json, document);
  const mismatch = await create(ctx, target, key, other);
  const mismatchEvidence = [line(first, 'location'), `${line(mismatch, 'location')} (same key, body ${brief(other)})`];
  if (mismatch.status === 422) {
    ctx.record('keyMismatch', 'pass', '422 for a reused key with a different body.', mismatchEvidence, [mismatch]);
  } else if (isSuccess(mismatch.status)) {
    ctx.record('keyMismatch', 'fail', `${mismatch.status} for a reused key with a different body: the key was ignored.`, mismatchEvidence, [mismatch]);
  } else {
    ctx.record('keyMismatch', 'fail', `${mismatch.status} instead of 422 for a reused key with a different body.`, mismatchEvidence, [mismatch]);
  }
}

async function checkConcurrent(ctx: ProbeContext, concurrency: number): Promise<void> {
  const target = createTarget(ctx);
  const key = ctx.newKey();
  const document = ctx.freshDocument();
  const responses = await Promise.all(Array.from({ length: concurrency }, () => create(ctx, target, key, document)));
  const successes = responses.filter((r) => isSuccess(r.status));
  const statuses = responses.map((r) => `${r.status}${r.headers.get('idempotent-replayed') === 'true' ? ' (replayed)' : ''}`);
  const evidence = [`${concurrency} × ${target.method} ${target.url} at once with Idempotency-Key: ${key} → ${statuses.join(', ')}`];
  if (successes.length === 0) {
    ctx.record('keyConcurrent', 'n/a', `None of the ${concurrency} concurrent creates succeeded (${statuses.join(', ')}).`, evidence, responses.slice(0, 1));
    return;
  }
  const identities = new Set(successes.map((r) => createdIdentity(ctx, r) ?? '?'));
  evidence.push(`created: ${[...identities].join(', ')}`);
  const firstStatus = successes[0]?.status;
  // Losers of the race must either replay the winner's response or be told to retry (409).
  const strays = responses.filter((r) => r.status !== 409 && r.status !== firstStatus);
  if (target.method === 'POST' && identities.size > 1) {
    ctx.record('keyConcurrent', 'fail', `${concurrency} concurrent requests with one key created ${identities.size} resources.`, evidence, responses.slice(0, 1));
  } else if (strays.length > 0) {
    ctx.record('keyConcurrent', 'fail', `The concurrent requests with one key got different answers (${statuses.join(', ')}): some ran again instead of replaying or waiting.`, evidence, responses.slice(0, 1));
  } else {
    ctx.record('keyConcurrent', 'pass', `One resource was created; the other requests replayed it or got 409 (${statuses.join(', ')}).`, evidence, responses.slice(0, 1));
  }
}
