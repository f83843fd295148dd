/**
 * What an upstream answer means for the idempotency key that guards it. This is the heart of
 * the proxy (docs/PROXY.md, "Outcomes"), and the same policy SPEC §4 gives the server:
 *
 * - `definitive`: the upstream processed the request and this is its answer. It is stored and
 *   every retry with the same key gets it again, so the request never runs twice.
 *   2xx (RFC 9110 §15.3), 3xx (the request was handled and the client is sent elsewhere,
 *   e.g. 303 after a POST, §15.4) and 4xx (§15.5: the upstream looked at the request and
 *   refused it — repeating the same request gets the same refusal).
 * - `provisional`: the upstream says the request was not (or need not be considered) done, so
 *   nothing is stored, the key is released and a retry runs afresh.
 *   408 Request Timeout (§15.5.9: the server gave up before it had the whole request),
 *   425 Too Early (RFC 8470 §5.2: "the server is unwilling to risk processing a request that
 *   might be replayed"), 429 Too Many Requests (RFC 6585 §4: rejected before processing,
 *   retry later), and every 5xx (§15.6: "the server ... is incapable of performing the
 *   request"; SPEC §4: a failed transaction stores nothing and a retry runs afresh).
 *   502/503/504 come from gateways and overloaded servers that did not process the request.
 */
export type UpstreamOutcome = 'definitive' | 'provisional';

/** 4xx statuses that mean "not processed, try again later" rather than "processed, refused". */
const RETRYABLE_4XX = new Set([408, 425, 429]);

/** Classify an upstream response status (see the module comment for why). */
export function classifyUpstreamStatus(status: number): UpstreamOutcome {
  if (status >= 500) return 'provisional';
  if (RETRYABLE_4XX.has(status)) return 'provisional';
  return 'definitive';
}
