import { generateIdempotencyKey, isValidIdempotencyKey, parseIdempotencyKeyHeader, serializeIdempotencyKey } from './idempotency-key.js';
import { DEFAULT_RETRY } from './retry-policy.js';
import type { Call } from './transport.js';
import type { ClientOptions, RequestOptions, RetryOptions } from './types.js';
import { resolveUrl } from './url.js';

/** Per-attempt timeout when none is given. */
export const DEFAULT_TIMEOUT = 10_000;
/** Whole-call deadline when none is given. */
export const DEFAULT_DEADLINE = 60_000;

/** Methods that get a generated Idempotency-Key by default: the non-idempotent ones (RFC 9110 §9.2.2). */
const KEYED_BY_DEFAULT = new Set(['POST', 'PATCH']);

/** True for a weak entity-tag (RFC 9110 §8.8.3: `W/"…"`). */
export function isWeakEtag(etag: string): boolean {
  return etag.trimStart().startsWith('W/');
}

/**
 * Resolve one call from the client's options and the call's own: URL, headers, JSON body,
 * preconditions, Prefer, and the Idempotency-Key — one per logical call, reused by every
 * retry of it. Throws TypeError only for programming errors (a bad key, a weak If-Match).
 */
export function buildCall(client: ClientOptions, method: string, path: string, options: RequestOptions): Call {
  const headers = new Headers(client.headers);
  for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value);
  if (!headers.has('accept')) headers.set('accept', 'application/json, application/problem+json;q=0.9');

  let body: string | undefined;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers.set('content-type', options.contentType ?? 'application/json');
  }
  if (options.ifMatch !== undefined) {
    // If-Match uses the strong comparison (RFC 9110 §13.1.1): a weak tag can never match, so sending one is a bug.
    if (options.ifMatch.split(',').some(isWeakEtag)) throw new TypeError(`If-Match cannot carry a weak ETag (${options.ifMatch}); RFC 9110 §13.1.1 compares strongly`);
    headers.set('if-match', options.ifMatch);
  }
  if (options.ifNoneMatch !== undefined) headers.set('if-none-match', options.ifNoneMatch);
  if (options.prefer !== undefined) headers.set('prefer', `return=${options.prefer}`);

  const idempotencyKey = chooseKey(client, method, headers, options);
  if (idempotencyKey !== undefined) headers.set('idempotency-key', serializeIdempotencyKey(idempotencyKey));

  return {
    method,
    url: resolveUrl(client.baseUrl, path, options.query),
    headers,
    body,
    idempotencyKey,
    token: client.token,
    fetch: client.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    hooks: client.hooks ?? {},
    timeout: options.timeout ?? client.timeout ?? DEFAULT_TIMEOUT,
    deadline: options.deadline ?? client.deadline ?? DEFAULT_DEADLINE,
    retry: retrySettings(options.retry ?? client.retry),
    signal: options.signal,
  };
}

/** The raw key for this call, or undefined for none. */
function chooseKey(client: ClientOptions, method: string, headers: Headers, options: RequestOptions): string | undefined {
  if (options.idempotencyKey === false) {
    headers.delete('idempotency-key');
    return undefined;
  }
  if (typeof options.idempotencyKey === 'string') {
    if (!isValidIdempotencyKey(options.idempotencyKey)) {
      throw new TypeError('An Idempotency-Key must be 1–255 visible ASCII characters');
    }
    return options.idempotencyKey;
  }
  const fromHeader = headers.get('idempotency-key');
  if (fromHeader !== null) return parseIdempotencyKeyHeader(fromHeader);
  if (KEYED_BY_DEFAULT.has(method) && client.idempotencyKey !== false) return generateIdempotencyKey();
  return undefined;
}

function retrySettings(retry: RetryOptions | false | undefined): Required<RetryOptions> | false {
  if (retry === false) return false;
  return { ...DEFAULT_RETRY, ...stripUndefined(retry ?? {}) };
}

function stripUndefined(options: RetryOptions): RetryOptions {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as RetryOptions;
}
