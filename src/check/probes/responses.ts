import { asObject } from '../compare.js';
import type { ProbeContext } from '../context.js';
import { line, mediaType, type Exchange } from '../http.js';

const PROBLEM_JSON = 'application/problem+json';
/** How many offending responses are listed as evidence. */
const SHOWN = 5;

/**
 * Judgements over every response of the run for one collection: errors are problem
 * details (RFC 9457 §3) whose `status` member matches the response (§3.1.2), and nothing
 * the checker sent, however wrong, caused a 5xx (RFC 9110 §15.6: 5xx means the server erred).
 */
export function judgeResponses(ctx: ProbeContext, exchanges: Exchange[]): void {
  // HEAD responses never have content (RFC 9110 §9.3.2), so they cannot carry a problem.
  const errors = exchanges.filter((e) => e.status >= 400 && e.request.method !== 'HEAD');
  const offenders = errors.map((e) => ({ exchange: e, why: problemDefect(e) })).filter((o): o is { exchange: Exchange; why: string } => o.why !== undefined);
  if (errors.length === 0) {
    ctx.record('problemJson', 'n/a', 'No error response was seen.');
  } else if (offenders.length > 0) {
    const evidence = offenders.slice(0, SHOWN).map((o) => `${line(o.exchange, 'content-type')}: ${o.why}`);
    if (offenders.length > SHOWN) evidence.push(`… and ${offenders.length - SHOWN} more`);
    ctx.record('problemJson', 'fail', `${offenders.length} of ${errors.length} error responses are not problem+json (first: ${offenders[0]?.why ?? ''}).`, evidence, [offenders[0]!.exchange]);
  } else {
    ctx.record('problemJson', 'pass', `All ${errors.length} error responses are problem+json.`, errors.slice(0, SHOWN).map((e) => line(e, 'content-type')), errors.slice(0, 1));
  }

  const failures = exchanges.filter((e) => e.status >= 500);
  if (failures.length > 0) {
    ctx.record('noServerErrors', 'fail', `${failures.length} of ${exchanges.length} requests got a 5xx.`, failures.slice(0, SHOWN).map((e) => line(e)), failures.slice(0, 1));
  } else {
    ctx.record('noServerErrors', 'pass', `None of ${exchanges.length} requests got a 5xx.`);
  }
}

/** Why an error response is not a proper problem details document, or undefined if it is. */
export function problemDefect(exchange: Exchange): string | undefined {
  const type = mediaType(exchange);
  if (type !== PROBLEM_JSON) return `Content-Type is ${type ?? 'missing'}`;
  const body = asObject(exchange.json);
  if (body === undefined) return 'the body is not a JSON object';
  if (body['status'] !== undefined && body['status'] !== exchange.status) return `"status" member ${String(body['status'])} differs from the response status`;
  if (typeof body['title'] !== 'string' && typeof body['type'] !== 'string') return 'neither "type" nor "title" is present';
  return undefined;
}
