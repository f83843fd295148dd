/**
 * The public types of `idem/client`. Results are values, never exceptions: every HTTP
 * outcome — including 4xx and 5xx — comes back as `{ ok: true, … }` or `{ ok: false, kind, … }`.
 */

/** A field-level error from a problem's `errors` member, pointing into the request document (RFC 6901). */
export interface FieldError {
  pointer: string;
  message: string;
}

/**
 * An RFC 9457 problem details object, as parsed from an `application/problem+json` body.
 * Members with the wrong JSON type are dropped rather than trusted (RFC 9457 §3.1: "consumers
 * ... MUST ignore" members they do not understand).
 */
export interface Problem {
  /** A URI naming the problem kind; `about:blank` when the server sent none (RFC 9457 §3.1.1). */
  type: string;
  title?: string;
  status?: number;
  detail?: string;
  instance?: string;
  /** Field errors of a 400 (idem extension). */
  errors?: FieldError[];
  /** Required fields a PUT left out (idem extension). */
  missing?: string[];
  /** The current strong ETag, on every 409/412 (SPEC §3). */
  currentEtag?: string;
  /** The current version, on every 409/412 (SPEC §3). */
  currentVersion?: number;
  /** Every other member, untouched. */
  [extension: string]: unknown;
}

/** Why a call did not succeed. */
export type FailureKind =
  | 'not-found'
  | 'conflict'
  | 'precondition-required'
  | 'validation'
  | 'unauthorized'
  | 'forbidden'
  | 'rate-limited'
  | 'idempotency-mismatch'
  | 'client-error'
  | 'timeout'
  | 'aborted'
  | 'network'
  | 'server';

/** A call that got a 2xx (or 304) answer. */
export interface Success<T> {
  ok: true;
  status: number;
  /** The parsed JSON body; `undefined` for 204, 304, HEAD and empty bodies. */
  data: T;
  etag: string | undefined;
  location: string | undefined;
  /** True when the server replayed a stored response (`Idempotent-Replayed: true`). */
  replayed: boolean;
  headers: Headers;
  /** The Idempotency-Key this call sent (raw, unquoted), to reuse on a later call. */
  idempotencyKey?: string;
  /** How many HTTP attempts the call made, 1 when it was not retried. */
  attempts: number;
}

/** Members every failure has. */
export interface FailureBase {
  ok: false;
  kind: FailureKind;
  /** The HTTP status, absent when no response arrived (timeout, network, aborted). */
  status?: number;
  problem?: Problem;
  /** The underlying error for timeout, network, aborted and unreadable responses. */
  error?: unknown;
  headers?: Headers;
  idempotencyKey?: string;
  attempts: number;
}

/** 409 or 412: someone else changed the resource first (SPEC §3). */
export interface ConflictFailure extends FailureBase {
  kind: 'conflict';
  currentEtag?: string;
  currentVersion?: number;
}

/** 400 with field errors (SPEC §8). */
export interface ValidationFailure extends FailureBase {
  kind: 'validation';
  errors: FieldError[];
}

/** 429: the server asked us to slow down; `retryAfter` is in milliseconds when it said how long. */
export interface RateLimitedFailure extends FailureBase {
  kind: 'rate-limited';
  retryAfter?: number;
}

/** Any other failure kind. */
export interface OtherFailure extends FailureBase {
  kind: Exclude<FailureKind, 'conflict' | 'validation' | 'rate-limited'>;
}

/** A call that did not succeed. Narrow on `kind`. */
export type Failure = ConflictFailure | ValidationFailure | RateLimitedFailure | OtherFailure;

/** What every call resolves to. */
export type Result<T> = Success<T> | Failure;

/**
 * The outcome of `update()` when both sides changed the same top-level fields: nothing was
 * written, and the caller decides with all three documents in hand.
 */
export interface MergeConflict<T> extends ConflictFailure {
  /** What `update()` first read. */
  base: T;
  /** `base` with the caller's change applied. */
  mine: T;
  /** The current document on the server. */
  theirs: T;
  /** The top-level fields both sides changed differently. */
  fields: string[];
}

/** Retry behaviour. Backoff is exponential with full jitter: a delay uniformly in [0, min(maxDelay, baseDelay·2^n)). */
export interface RetryOptions {
  /** Retries after the first attempt. Default 3. */
  limit?: number;
  /** Default 200 ms. */
  baseDelay?: number;
  /** Cap of one backoff delay. Default 10 s. */
  maxDelay?: number;
  /** A Retry-After longer than this is not waited for: the failure is returned. Default 60 s. */
  maxRetryAfter?: number;
}

/** What a `beforeRequest` hook sees and may change (headers, body) before an attempt is sent. */
export interface RequestContext {
  method: string;
  url: string;
  headers: Headers;
  body: string | undefined;
  /** 1 for the first attempt. */
  attempt: number;
}

/** What an `afterResponse` hook sees after each attempt that got a response. */
export interface ResponseContext {
  request: RequestContext;
  /** The response; its body has already been read into `body`. */
  response: Response;
  body: string;
}

/** What a `beforeRetry` hook sees before the client waits and tries again. */
export interface RetryContext {
  request: RequestContext;
  /** The attempt that is about to be made. */
  attempt: number;
  /** How long the client will wait first, in milliseconds. */
  delay: number;
  /** The failure being retried. */
  failure: Failure;
}

/** Hooks run in order; a hook may be async. */
export interface Hooks {
  beforeRequest?: Array<(ctx: RequestContext) => void | Promise<void>>;
  afterResponse?: Array<(ctx: ResponseContext) => void | Promise<void>>;
  beforeRetry?: Array<(ctx: RetryContext) => void | Promise<void>>;
}

/** The fetch the client calls; the global one by default. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** Options of `createClient()`. */
export interface ClientOptions {
  /** Absolute base URL; paths are resolved against it. */
  baseUrl: string;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** Sent as `Authorization: Bearer <token>`; a function is called before every attempt. */
  token?: string | (() => string | Promise<string>);
  fetch?: FetchLike;
  /** Per-attempt timeout in milliseconds. Default 10 s. */
  timeout?: number;
  /** Total time budget of one call, retries and waits included, in milliseconds. Default 60 s. */
  deadline?: number;
  /** `false` turns retries off. */
  retry?: RetryOptions | false;
  /** Whether POST and PATCH get a generated Idempotency-Key. Default true. */
  idempotencyKey?: boolean;
  hooks?: Hooks;
}

/** Query parameters; `undefined` values are left out. */
export type Query = Record<string, string | number | boolean | undefined> | URLSearchParams;

/** Options of one call. They override the client's. */
export interface RequestOptions {
  headers?: Record<string, string>;
  query?: Query;
  /** A JSON value, sent as `application/json` unless `contentType` says otherwise. */
  body?: unknown;
  contentType?: string;
  /**
   * A string: this key (raw; the client quotes it as an sf-string). `false`: no key, and a
   * POST or PATCH is then never retried. Absent: a generated key on POST and PATCH.
   */
  idempotencyKey?: string | false;
  /** Sent as If-Match. Weak ETags are refused (RFC 9110 §13.1.1 uses strong comparison). */
  ifMatch?: string;
  ifNoneMatch?: string;
  /** `minimal` or `representation` (RFC 7240). */
  prefer?: 'minimal' | 'representation';
  signal?: AbortSignal;
  timeout?: number;
  deadline?: number;
  retry?: RetryOptions | false;
}
