import { brief } from '../compare.js';
import type { ProbeContext } from '../context.js';
import { isSuccess, line, type Exchange, type SendOptions } from '../http.js';

/**
 * Bad input must be a client error, not a server error and not silently accepted: malformed
 * JSON is 400 (RFC 9110 §15.5.1) and a body in a format the resource does not take is 415
 * (§15.5.16). Both are sent where a resource would be created, so anything wrongly
 * accepted is recorded for clean-up.
 */
export async function probeMedia(ctx: ProbeContext): Promise<void> {
  const malformed = await sendCreate(ctx, { body: '{"idem-check": "malformed', contentType: 'application/json' });
  const evidence = [`${line(malformed, 'content-type')} with a truncated JSON body`, `body ${brief(malformed.json ?? malformed.text)}`];
  if (malformed.status >= 400 && malformed.status < 500) {
    ctx.record('badJson', 'pass', `Malformed JSON is refused with ${malformed.status}.`, evidence, [malformed]);
  } else if (malformed.status >= 500) {
    ctx.record('badJson', 'fail', `Malformed JSON caused a ${malformed.status} server error.`, evidence, [malformed]);
  } else {
    ctx.record('badJson', 'fail', `Malformed JSON was answered ${malformed.status}: the server accepted what it could not parse.`, evidence, [malformed]);
  }

  const wrong = await sendCreate(ctx, { body: JSON.stringify(ctx.freshDocument()), contentType: 'text/plain' });
  const wrongEvidence = [`${line(wrong, 'content-type', 'location')} with the sample as text/plain`, `body ${brief(wrong.json ?? wrong.text)}`];
  if (wrong.status === 415) {
    ctx.record('wrongContentType', 'pass', 'A text/plain body is refused with 415 Unsupported Media Type.', wrongEvidence, [wrong]);
  } else if (wrong.status >= 400 && wrong.status < 500) {
    ctx.record('wrongContentType', 'fail', `A text/plain body is refused, but with ${wrong.status}; 415 tells the client the format is the problem.`, wrongEvidence, [wrong]);
  } else if (isSuccess(wrong.status)) {
    ctx.record('wrongContentType', 'fail', `A text/plain body was accepted with ${wrong.status}: the server processed content in a format it does not declare.`, wrongEvidence, [wrong]);
  } else {
    ctx.record('wrongContentType', 'fail', `A text/plain body caused ${wrong.status}.`, wrongEvidence, [wrong]);
  }
}

/** POST to the collection, or PUT to a fresh id when clients choose ids. */
async function sendCreate(ctx: ProbeContext, options: SendOptions): Promise<Exchange> {
  if (ctx.target.clientIds) {
    const url = ctx.itemUrl(ctx.newId());
    const response = await ctx.write('PUT', url, options);
    ctx.noteCreated(response, url);
    return response;
  }
  const response = await ctx.write('POST', ctx.target.url, { ...options, headers: { 'Idempotency-Key': ctx.newKey() } });
  ctx.noteCreated(response);
  return response;
}
