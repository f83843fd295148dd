import { isWeakEtag } from './build-call.js';
import { generateIdempotencyKey } from './idempotency-key.js';
import { threeWayMerge, jsonEqual, type JsonObject } from './merge.js';
import { problemTypeIs } from './problem.js';
import { backoffDelay, DEFAULT_RETRY } from './retry-policy.js';
import { sleep } from './sleep.js';
import type { Failure, MergeConflict, RequestOptions, Result } from './types.js';

/** Fields the server manages (SPEC §1): never a conflict, always taken from the current document. */
export const SERVER_FIELDS: readonly string[] = ['id', 'version', 'createdAt', 'updatedAt'];

/** Options of `update()`. The precondition and the Idempotency-Key are the client's job here. */
export interface UpdateOptions extends Omit<RequestOptions, 'body' | 'ifMatch' | 'ifNoneMatch' | 'idempotencyKey' | 'query'> {
  /** How many times to re-read and re-apply after someone else's write. Default 5. */
  maxMerges?: number;
  /** Server-managed fields. Default `id`, `version`, `createdAt`, `updatedAt`. */
  serverFields?: readonly string[];
}

/** Changes a copy of the document, in place or by returning a new one. */
export type Mutator<T> = (draft: T) => T | void | Promise<T | void>;

/** What `update()` resolves to: the PUT's result, or a merge conflict with all three documents. */
export type UpdateResult<T> = Result<T> | MergeConflict<T>;

/** The one request primitive `update()` needs. */
export type RequestFn = <T>(method: string, path: string, options: RequestOptions) => Promise<Result<T>>;

/**
 * Read–modify–write without lost updates (RFC 9110 §13.1.1, SPEC §3): GET, apply `mutate`
 * to a copy, PUT it back with `If-Match: <the ETag read>`. On 412 (or a 409 version
 * conflict) someone else wrote first: re-read and three-way merge the top-level fields
 * (base = first read, mine = base + change, theirs = current). Disjoint changes are
 * re-applied on theirs — with theirs' `version` — and PUT again, a bounded number of times
 * with backoff; overlapping ones return `kind: 'conflict'` with base, mine, theirs, fields.
 */
export async function update<T extends object>(request: RequestFn, path: string, mutate: Mutator<T>, options: UpdateOptions = {}): Promise<UpdateResult<T>> {
  const { maxMerges = 5, serverFields = SERVER_FIELDS, ...callOptions } = options;
  const retry = { ...DEFAULT_RETRY, ...(callOptions.retry || {}) };
  let read = await request<T>('GET', path, callOptions);
  if (!read.ok) return read;
  const base = read.data as JsonObject;
  const draft = structuredClone(base) as T;
  const mine = ((await mutate(draft)) ?? draft) as JsonObject;
  let next = mine;
  for (let round = 0; ; round++) {
    if (jsonEqual(next, read.data)) return read;
    const guard = preconditionFor(read.etag, next);
    if (guard === undefined) return unguarded(read.attempts);
    // A fresh key per round: a lost response is replayed on retry instead of turning into a 412.
    const put = await request<T>('PUT', path, { ...callOptions, ...guard, body: next, idempotencyKey: generateIdempotencyKey() });
    if (put.ok || !isStale(put) || round >= maxMerges) return put;
    if (!(await sleep(backoffDelay(round, retry), callOptions.signal))) {
      return { ok: false, kind: 'aborted', error: callOptions.signal?.reason, attempts: 0 };
    }
    read = await request<T>('GET', path, callOptions);
    if (!read.ok) return read;
    const theirs = read.data as JsonObject;
    const outcome = threeWayMerge(base, mine, theirs, serverFields);
    if ('conflict' in outcome) {
      return { ...put, kind: 'conflict', base: base as T, mine: mine as T, theirs: theirs as T, fields: outcome.conflict } as MergeConflict<T>;
    }
    next = outcome.merged;
  }
}

/**
 * If-Match with the strong ETag that was read; failing that, the body's `version` is the
 * guard (SPEC §3: a stale version is 409). Weak ETags never go into If-Match (§13.1.1).
 */
function preconditionFor(etag: string | undefined, doc: JsonObject): { ifMatch?: string } | undefined {
  if (etag !== undefined && !isWeakEtag(etag)) return { ifMatch: etag };
  if (typeof doc['version'] === 'number') return {};
  return undefined;
}

/** 412, or a 409 that says the body's version was stale: the document moved on under us. */
function isStale(failure: Failure): boolean {
  return failure.status === 412 || (failure.status === 409 && problemTypeIs(failure.problem, 'version-conflict'));
}

function unguarded(attempts: number): Failure {
  return {
    ok: false,
    kind: 'precondition-required',
    attempts,
    error: new Error('update() needs a strong ETag or a numeric version to guard the PUT against lost updates; the server sent neither'),
  };
}
