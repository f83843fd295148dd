/**
 * What an upstream answer means for the idempotency key that guards it. This is the heart of
 * the proxy (docs/PROXY.md, "Outcomes"):
 *
 * - `provisional`: the answer says the request was not processed, so nothing is stored, the key
 *   is released and a retry runs afresh. 408 Request Timeout (RFC 9110 §15.5.9: the server gave
 *   up before it had the whole request), 425 Too Early (RFC 8470 §5.2: "unwilling to risk
 *   processing a request that might be replayed"), 429 Too Many Requests (RFC 6585 §4: rejected
 *   before processing), and 502/503/504 (§15.6.3-5: a gateway could not reach, or an overloaded
 *   server would not take, the request).
 * - `definitive`: everything else is the upstream's own answer to a request it looked at —
 *   2xx did it, 3xx handled it, 4xx refused it, and a 500 failed somewhere *inside* its
 *   processing, possibly after a write. It is stored and replayed, so the request never runs
 *   twice; an operator who knows a 500 changed nothing frees the key with
 *   `idem proxy resolve KEY --release`. (Stripe stores 500s for the same reason.)
 */
export type UpstreamOutcome = 'definitive' | 'provisional';

/** Statuses that mean "not processed, try again later". */
const PROVISIONAL = new Set([408, 425, 429, 502, 503, 504]);

/** Classify an upstream response status (see the module comment for why). */
export function classifyUpstreamStatus(status: number): UpstreamOutcome {
  return PROVISIONAL.has(status) ? 'provisional' : 'definitive';
}
