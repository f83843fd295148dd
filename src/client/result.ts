import { parseProblem, problemTypeIs } from './problem.js';
import { parseRetryAfter } from './retry-policy.js';
import type { Failure, FailureKind, Result } from './types.js';

/** What `toResult` needs to know about the request that got this response. */
export interface AttemptInfo {
  attempt: number;
  idempotencyKey: string | undefined;
}

/** `application/json` and every `+json` type (RFC 6839 §3.1), problem+json included. */
export function isJsonMediaType(contentType: string | null): boolean {
  if (contentType === null) return false;
  const essence = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  return essence === 'application/json' || essence.endsWith('+json');
}

/**
 * Turn a response and its body text into a Result. 2xx and 304 are successes; everything
 * else is a failure whose `kind` says what to do about it. An empty or non-JSON error body
 * is still a failure, just without a `problem`.
 */
export function toResult<T>(response: Response, text: string, info: AttemptInfo): Result<T> {
  const { status, headers } = response;
  const common = { status, headers, attempts: info.attempt, ...keyOf(info) };
  let parsed: unknown;
  let parseError: unknown;
  const json = isJsonMediaType(headers.get('content-type'));
  if (json && text.length > 0) {
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      parseError = error;
    }
  }
  if ((status >= 200 && status < 300) || status === 304) {
    if (parseError !== undefined) {
      return { ok: false, kind: 'server', ...common, error: new Error(`The ${status} response body is not valid JSON`, { cause: parseError }) };
    }
    const data = (json ? parsed : text.length > 0 ? text : undefined) as T;
    return {
      ok: true,
      status,
      data,
      etag: headers.get('etag') ?? undefined,
      location: headers.get('location') ?? undefined,
      // draft-ietf-httpapi-idempotency-key-header: a replayed response is marked so.
      replayed: headers.get('idempotent-replayed')?.trim().toLowerCase() === 'true',
      headers,
      attempts: info.attempt,
      ...keyOf(info),
    };
  }
  const problem = parseProblem(parsed);
  const withProblem = problem === undefined ? common : { ...common, problem };
  return classify(status, withProblem, info);
}

/** Map an error status (plus its problem) to a failure kind. */
function classify(status: number, base: Omit<Failure, 'ok' | 'kind'>, info: AttemptInfo): Failure {
  const problem = base.problem;
  switch (status) {
    case 400:
      return { ok: false, kind: 'validation', ...base, errors: problem?.errors ?? [] };
    case 409:
    case 412: {
      const currentEtag = problem?.currentEtag;
      const currentVersion = problem?.currentVersion;
      return {
        ok: false,
        kind: 'conflict',
        ...base,
        ...(currentEtag !== undefined ? { currentEtag } : {}),
        ...(currentVersion !== undefined ? { currentVersion } : {}),
      };
    }
    case 422:
      // With a key, 422 means the key was reused for a different request (idempotency draft §2.7);
      // without one it is the common "unprocessable document" and carries field errors.
      if (info.idempotencyKey !== undefined || problemTypeIs(problem, 'idempotency-key-reused')) {
        return { ok: false, kind: 'idempotency-mismatch', ...base };
      }
      return { ok: false, kind: 'validation', ...base, errors: problem?.errors ?? [] };
    case 429: {
      const retryAfter = parseRetryAfter(base.headers?.get('retry-after'));
      return { ok: false, kind: 'rate-limited', ...base, ...(retryAfter !== undefined ? { retryAfter } : {}) };
    }
    default:
      return { ok: false, kind: simpleKind(status), ...base } as Failure;
  }
}

/** Kinds that need no extra members. */
function simpleKind(status: number): Exclude<FailureKind, 'conflict' | 'validation' | 'rate-limited'> {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404 || status === 410) return 'not-found';
  if (status === 408) return 'timeout';
  if (status === 428) return 'precondition-required';
  if (status >= 400 && status < 500) return 'client-error';
  return 'server';
}

/** `{ idempotencyKey }` when the request had one, else nothing (exactOptionalPropertyTypes). */
export function keyOf(info: { idempotencyKey: string | undefined }): { idempotencyKey?: string } {
  return info.idempotencyKey === undefined ? {} : { idempotencyKey: info.idempotencyKey };
}
