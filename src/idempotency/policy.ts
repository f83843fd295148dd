import type { StoredResponse } from '../store/store.js';

/**
 * What is remembered under an Idempotency-Key and what is not (SPEC §4).
 *
 * A request that was processed — it succeeded, or it failed because of the state it met
 * (404, 409, 412) — has an outcome worth replaying: a retry must see the same answer, not run
 * again against a changed state. A request rejected before it ran (400, 401, 403, 413, 415,
 * 428) or one that failed on the server's side (5xx, rolled back) has no outcome: nothing is
 * stored, and a retry runs afresh.
 */
export function isProcessedOutcome(status: number): boolean {
  return (status >= 200 && status < 300) || status === 404 || status === 409 || status === 412;
}

/** The response headers a replay repeats; everything else (Date, Set-Cookie, rate limits) is fresh. */
export const REPLAYED_HEADERS = ['content-type', 'location', 'etag', 'preference-applied', 'last-modified'] as const;

/** Keep only the headers that are replayed. */
export function replayableHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = headers[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** The header that marks a replayed response (draft-ietf-httpapi-idempotency-key-header §2.6 practice). */
export const REPLAYED_HEADER = 'idempotent-replayed';

/** A stored response as it is sent again, marked as a replay. */
export interface ReplayedResponse {
  status: number;
  headers: Record<string, string>;
  body: string | undefined;
}

/** A stored response as sent again. */
export function replay(stored: StoredResponse): ReplayedResponse {
  return { status: stored.status, headers: { ...stored.headers, [REPLAYED_HEADER]: 'true' }, body: stored.body === '' ? undefined : stored.body };
}

/**
 * The shortest retention a server or proxy may be configured with. A key kept for less time
 * than a client takes to retry is no key at all, and says why when a shorter one is refused.
 */
export const MIN_RETENTION_MS = 1000;
export const SHORT_RETENTION_BREAKS = 'a retry after the key is gone runs the request again';
