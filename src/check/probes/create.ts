import { brief, differingFields } from '../compare.js';
import type { ProbeContext } from '../context.js';
import { isSuccess, line, type Exchange } from '../http.js';

/**
 * Create the resource every later probe works on, and judge the creation:
 * - server ids: POST {collection} SHOULD be 201 with Location (RFC 9110 §9.3.3);
 * - client ids: PUT {collection}/{id} on a new id MUST be 201 (RFC 9110 §9.3.4).
 * Then read it back from where the server said it is.
 */
export async function probeCreate(ctx: ProbeContext): Promise<void> {
  if (ctx.target.clientIds) await createWithPut(ctx);
  else await createWithPost(ctx);
  await checkReadBack(ctx);
}

/** Whether a refused create may be due to the run tag the checker put into the sample. */
function refusedVariant(ctx: ProbeContext, response: Exchange): boolean {
  return ctx.varies && (response.status === 400 || response.status === 422);
}

async function createWithPost(ctx: ProbeContext): Promise<void> {
  // A fresh Idempotency-Key on every create, as a careful client sends it; APIs that
  // require one (idem SPEC §4) would otherwise refuse the POST with 400.
  const post = () => ctx.write('POST', ctx.target.url, { json: ctx.document, headers: { 'Idempotency-Key': ctx.newKey() } });
  const evidence: string[] = [];
  let response = await post();
  if (refusedVariant(ctx, response)) {
    evidence.push(`${line(response)} with ${brief(ctx.document)}: refused, retrying with the sample exactly as given`);
    ctx.useSampleAsGiven();
    response = await post();
  }
  ctx.resourceUrl = ctx.noteCreated(response);
  evidence.push(line(response, 'location', 'content-type'), `sent ${brief(ctx.document)}`);
  const location = response.headers.get('location');
  if (response.status === 201 && location !== null) {
    ctx.record('createPost', 'pass', `201 Created, Location: ${location}.`, evidence, [response]);
  } else if (response.status === 201) {
    ctx.record('createPost', 'fail', '201 Created but no Location header: the client cannot tell where the new resource is.', evidence, [response]);
  } else if (isSuccess(response.status)) {
    ctx.record('createPost', 'fail', `${response.status} instead of 201 Created for a POST that created a resource.`, evidence, [response]);
  } else {
    const hint = response.status === 405 ? ' If clients choose ids here, run with --client-ids.' : '';
    ctx.record('createPost', 'fail', `POST of the sample answered ${response.status}; nothing was created.${hint}`, [...evidence, `body ${brief(response.json ?? response.text)}`], [response]);
  }
}

async function createWithPut(ctx: ProbeContext): Promise<void> {
  const url = ctx.itemUrl(ctx.newId());
  const evidence: string[] = [];
  let response = await ctx.write('PUT', url, { json: ctx.document });
  if (refusedVariant(ctx, response)) {
    evidence.push(`${line(response)} with ${brief(ctx.document)}: refused, retrying with the sample exactly as given`);
    ctx.useSampleAsGiven();
    response = await ctx.write('PUT', url, { json: ctx.document });
  }
  if (isSuccess(response.status)) ctx.resourceUrl = ctx.noteCreated(response, url) ?? url;
  evidence.push(line(response, 'location', 'etag'), `sent ${brief(ctx.document)}`);
  if (response.status === 201) {
    ctx.record('createPut', 'pass', '201 Created for a PUT to a new id.', evidence, [response]);
  } else if (isSuccess(response.status)) {
    ctx.record('createPut', 'fail', `${response.status} for a PUT that created a new resource: RFC 9110 §9.3.4 requires 201 Created.`, evidence, [response]);
  } else {
    const hint = response.status === 404 || response.status === 405 ? ' If the server assigns ids here, run without --client-ids.' : '';
    ctx.record('createPut', 'fail', `PUT to a new id answered ${response.status}; nothing was created.${hint}`, [...evidence, `body ${brief(response.json ?? response.text)}`], [response]);
  }
}

async function checkReadBack(ctx: ProbeContext): Promise<void> {
  if (ctx.skipWithoutResource('locationResolves')) return;
  const read: Exchange = await ctx.read();
  const differing = differingFields(ctx.document, read.json);
  const evidence = [line(read, 'etag', 'content-type'), `got ${brief(read.json ?? read.text)}`];
  if (read.status !== 200) {
    ctx.record('locationResolves', 'fail', `GET ${ctx.resourceUrl} answered ${read.status}, not 200.`, evidence, [read]);
  } else if (differing.length > 0) {
    ctx.record('locationResolves', 'fail', `The resource read back differs from what was sent in: ${differing.join(', ')}.`, evidence, [read]);
  } else {
    ctx.record('locationResolves', 'pass', `GET ${ctx.resourceUrl} is 200 with every field that was sent.`, evidence, [read]);
  }
}
