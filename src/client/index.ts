/**
 * `idem/client`: a dependency-free TypeScript client for HTTP JSON APIs — best with one that
 * follows idem's SPEC — with safe retries, Idempotency-Keys, If-Match updates and
 * three-way merge after a 412. Runs in Node 20+ and browsers.
 */
export { createClient, type Client } from './client.js';
export { TimeoutError, RetryRefusedError } from './errors.js';
export { threeWayMerge, changedFields, jsonEqual, type JsonObject, type MergeOutcome } from './merge.js';
export { parseProblem } from './problem.js';
export { parseRetryAfter, backoffDelay } from './retry-policy.js';
export { generateIdempotencyKey, serializeIdempotencyKey } from './idempotency-key.js';
export type { ResourceClient, Doc, Page, MergePatch, ServerFields, CallOptions } from './resource.js';
export type { UpdateOptions, UpdateResult, Mutator } from './update.js';
export type * from './types.js';
