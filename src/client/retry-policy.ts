import { problemTypeIs } from './problem.js';
import type { Failure, RetryOptions } from './types.js';

/** Retry defaults: 3 retries, 200 ms base, 10 s cap per delay, Retry-After up to 60 s. */
export const DEFAULT_RETRY: Required<RetryOptions> = { limit: 3, baseDelay: 200, maxDelay: 10_000, maxRetryAfter: 60_000 };

/**
 * Methods that may be repeated without changing the outcome (RFC 9110 §9.2.2): GET, HEAD,
 * PUT, DELETE, OPTIONS. POST and PATCH are not idempotent, so they are retried only when
 * they carry an Idempotency-Key (draft-ietf-httpapi-idempotency-key-header §1), which makes
 * the server replay instead of running them again.
 */
export function methodMayRetry(method: string, hasIdempotencyKey: boolean): boolean {
  switch (method.toUpperCase()) {
    case 'GET':
    case 'HEAD':
    case 'PUT':
    case 'DELETE':
    case 'OPTIONS':
      return true;
    default:
      return hasIdempotencyKey;
  }
}

/**
 * Whether a failed attempt is worth repeating: no answer (network, timeout), or an answer
 * that says "not now": 408, 429, 502, 503, 504, and a 409 saying the same key is still in
 * flight (its problem type ends with `/idempotency-in-flight`, or it carries Retry-After).
 * Never 422 (the key was reused with a different request: repeating cannot help) nor any
 * other 4xx, and not 500 (the server did not say a retry is safe or useful).
 */
export function failureMayRetry(failure: Failure): boolean {
  if (failure.kind === 'aborted') return false;
  if (failure.status === undefined) return failure.kind === 'network' || failure.kind === 'timeout';
  switch (failure.status) {
    case 408:
    case 429:
    case 502:
    case 503:
    case 504:
      return true;
    case 409:
      return problemTypeIs(failure.problem, 'idempotency-in-flight') || failure.headers?.has('retry-after') === true;
    default:
      return false;
  }
}

/**
 * "Full jitter" exponential backoff: a delay drawn uniformly from
 * [0, min(maxDelay, baseDelay · 2^retry)). Spreading retries over the whole window keeps
 * many clients that failed together from retrying together.
 */
export function backoffDelay(retry: number, options: Required<RetryOptions>, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxDelay, options.baseDelay * 2 ** retry);
  return Math.floor(random() * ceiling);
}

/**
 * Parse Retry-After (RFC 9110 §10.2.3): `HTTP-date / delay-seconds`. Returns milliseconds
 * to wait (0 for a date in the past), or undefined when the value is neither form.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // HTTP-date is IMF-fixdate (or an obsolete form); Date.parse reads all three (§5.6.7).
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
