import type { ProbeContext } from '../context.js';
import { line, mediaType } from '../http.js';

/**
 * Reads: a strong ETag (RFC 9110 §8.8.3; strong because If-Match compares strongly,
 * §8.8.3.2, so a weak tag can never protect a write), 304 on a matching If-None-Match
 * (§13.1.2), and HEAD identical to GET without content (§9.3.2).
 */
export async function probeRead(ctx: ProbeContext): Promise<void> {
  if (ctx.skipWithoutResource('strongEtag', 'ifNoneMatch304', 'headMatchesGet')) return;
  const get = await ctx.read();
  const etag = get.headers.get('etag');

  if (etag === null) {
    ctx.record('strongEtag', 'fail', 'GET sends no ETag: clients cannot make conditional writes (If-Match).', [line(get, 'etag')], [get]);
  } else if (etag.startsWith('W/')) {
    ctx.record('strongEtag', 'fail', `The ETag ${etag} is weak: If-Match uses strong comparison (RFC 9110 §8.8.3.2), so it cannot guard writes.`, [line(get, 'etag')], [get]);
  } else {
    ctx.record('strongEtag', 'pass', `Strong ETag ${etag}.`, [line(get, 'etag')], [get]);
  }

  if (etag === null) {
    ctx.record('ifNoneMatch304', 'n/a', 'No ETag to send in If-None-Match.');
  } else {
    const conditional = await ctx.http.send('GET', ctx.mustResource(), { headers: { 'If-None-Match': etag } });
    const evidence = [line(conditional, 'etag')];
    if (conditional.status === 304) ctx.record('ifNoneMatch304', 'pass', '304 Not Modified for the current ETag.', evidence, [conditional]);
    else ctx.record('ifNoneMatch304', 'fail', `${conditional.status} instead of 304 for If-None-Match with the current ETag.`, evidence, [conditional]);
  }

  const head = await ctx.http.send('HEAD', ctx.mustResource());
  const differences: string[] = [];
  if (head.status !== get.status) differences.push(`status ${head.status} vs GET ${get.status}`);
  if (head.headers.get('etag') !== etag) differences.push(`ETag ${head.headers.get('etag') ?? '(none)'} vs GET ${etag ?? '(none)'}`);
  if (mediaType(head) !== mediaType(get)) differences.push(`Content-Type ${mediaType(head) ?? '(none)'} vs GET ${mediaType(get) ?? '(none)'}`);
  if (head.text !== '') differences.push('HEAD response has content');
  const evidence = [line(get, 'etag', 'content-type'), line(head, 'etag', 'content-type')];
  if (differences.length === 0) ctx.record('headMatchesGet', 'pass', 'HEAD has the same status, ETag and Content-Type as GET, and no content.', evidence, [head]);
  else ctx.record('headMatchesGet', 'fail', `HEAD differs from GET: ${differences.join('; ')}.`, evidence, [head, get]);
}
