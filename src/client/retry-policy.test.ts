import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_RETRY, failureMayRetry, methodMayRetry, parseRetryAfter } from './retry-policy.js';
import type { Failure } from './types.js';

const failure = (status: number | undefined, extra: Partial<Failure> = {}): Failure =>
  ({ ok: false, kind: status === undefined ? 'network' : 'server', ...(status === undefined ? {} : { status }), attempts: 1, ...extra }) as Failure;

describe('which requests may be retried', () => {
  it('GET, HEAD, PUT, DELETE and OPTIONS are retried; POST and PATCH only with an Idempotency-Key', () => {
    for (const m of ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']) expect(methodMayRetry(m, false)).toBe(true);
    for (const m of ['POST', 'PATCH']) {
      expect(methodMayRetry(m, false)).toBe(false);
      expect(methodMayRetry(m, true)).toBe(true);
    }
  });

  it('network errors, timeouts, 408, 429, 502, 503 and 504 are retried', () => {
    expect(failureMayRetry(failure(undefined))).toBe(true);
    expect(failureMayRetry({ ok: false, kind: 'timeout', attempts: 1 })).toBe(true);
    for (const s of [408, 429, 502, 503, 504]) expect(failureMayRetry(failure(s))).toBe(true);
  });

  it('422, 500 and other 4xx are never retried, nor an abort', () => {
    for (const s of [400, 401, 403, 404, 412, 415, 422, 428, 500]) expect(failureMayRetry(failure(s))).toBe(false);
    expect(failureMayRetry({ ok: false, kind: 'aborted', attempts: 1 })).toBe(false);
  });

  it('a 409 is retried only when the key is in flight (problem type or Retry-After)', () => {
    expect(failureMayRetry(failure(409, { problem: { type: 'https://idem.dev/problems/idempotency-in-flight' } }))).toBe(true);
    expect(failureMayRetry(failure(409, { headers: new Headers({ 'retry-after': '1' }) }))).toBe(true);
    expect(failureMayRetry(failure(409, { problem: { type: 'https://idem.dev/problems/version-conflict' } }))).toBe(false);
  });
});

describe('backoff', () => {
  it('is full jitter: from 0 up to (not including) min(maxDelay, base·2^n)', () => {
    expect(backoffDelay(0, DEFAULT_RETRY, () => 0)).toBe(0);
    expect(backoffDelay(0, DEFAULT_RETRY, () => 0.9999)).toBe(199);
    expect(backoffDelay(3, DEFAULT_RETRY, () => 0.5)).toBe(800);
    expect(backoffDelay(20, DEFAULT_RETRY, () => 0.9999)).toBe(9999);
  });
});

describe('Retry-After (RFC 9110 §10.2.3)', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(' 0 ')).toBe(0);
  });

  it('reads an HTTP-date relative to now, and a past date as 0', () => {
    const now = Date.parse('Sun, 06 Nov 1994 08:49:30 GMT');
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:37 GMT', now)).toBe(7000);
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:00 GMT', now)).toBe(0);
  });

  it('ignores what is neither form', () => {
    expect(parseRetryAfter('-1')).toBeUndefined();
    expect(parseRetryAfter('1.5')).toBeUndefined();
    expect(parseRetryAfter('soon-ish?')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
