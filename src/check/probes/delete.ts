import type { ProbeContext } from '../context.js';
import { isSuccess, line } from '../http.js';

const GONE = new Set([404, 410]);

/**
 * DELETE (RFC 9110 §9.3.5) removes the resource, so a GET afterwards finds nothing; it is
 * idempotent (§9.2.2), so a second DELETE leaves the same state (its status may differ:
 * 404 is usual) and is never a server error.
 */
export async function probeDelete(ctx: ProbeContext): Promise<void> {
  if (ctx.skipWithoutResource('deleteThenGet', 'deleteRepeat')) return;
  const url = ctx.mustResource();
  const first = await ctx.write('DELETE', url);
  if (first.status === 405) {
    ctx.record('deleteThenGet', 'n/a', 'DELETE is not supported on this resource (405).', [line(first, 'allow')], [first]);
    ctx.record('deleteRepeat', 'n/a', 'DELETE is not supported on this resource (405).');
    return;
  }
  const afterFirst = await ctx.http.send('GET', url);
  const evidence = [line(first), line(afterFirst)];
  if (!isSuccess(first.status)) {
    ctx.record('deleteThenGet', 'fail', `DELETE of the resource answered ${first.status}.`, evidence, [first]);
    ctx.record('deleteRepeat', 'n/a', 'The first DELETE did not succeed.');
    return;
  }
  ctx.created.markDeleted(url);
  if (GONE.has(afterFirst.status)) {
    ctx.record('deleteThenGet', 'pass', `DELETE answered ${first.status}, then GET answered ${afterFirst.status}.`, evidence, [first, afterFirst]);
  } else {
    ctx.record('deleteThenGet', 'fail', `DELETE answered ${first.status}, but GET still answers ${afterFirst.status}.`, evidence, [first, afterFirst]);
  }

  const second = await ctx.http.send('DELETE', url);
  const afterSecond = await ctx.http.send('GET', url);
  const repeatEvidence = [line(second), line(afterSecond)];
  if (second.status >= 500) {
    ctx.record('deleteRepeat', 'fail', `The second DELETE caused a ${second.status} server error.`, repeatEvidence, [second]);
  } else if (afterSecond.status !== afterFirst.status) {
    ctx.record('deleteRepeat', 'fail', `After the second DELETE, GET answers ${afterSecond.status} instead of ${afterFirst.status}.`, repeatEvidence, [second, afterSecond]);
  } else {
    ctx.record('deleteRepeat', 'pass', `The second DELETE answered ${second.status} and GET still answers ${afterSecond.status}.`, repeatEvidence, [second]);
  }
}
