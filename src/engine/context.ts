import type { EventEmitter } from 'node:events';
import type { ReturnPreference } from '../http/prefer.js';
import type { FinishedKeys } from '../idempotency/finished-cache.js';
import type { Store } from '../store/store.js';
import type { Preconditions } from './preconditions.js';
import type { Route } from './routes.js';
import type { EngineRequest, Principal, ResourceDeclaration } from './types.js';
import type { DocumentValidator } from './validation.js';

/** Engine-wide settings and shared parts, built once by createEngine. */
export interface EngineCore {
  store: Store;
  resources: ReadonlyMap<string, ResourceDeclaration>;
  validators: ReadonlyMap<string, DocumentValidator>;
  events: EventEmitter;
  idempotencyTtlMs: number;
  /** Keep only the newest N versions per resource; undefined keeps all. */
  historyLimit: number | undefined;
  bodyLimit: number;
  now: () => Date;
  /** `now()` in epoch milliseconds, without a Date when the clock is the real one. */
  nowMs: () => number;
  /** Idempotency keys being processed by this process: answers 409 at once instead of queueing. */
  inFlight: Set<string>;
  /** Recently finished idempotency records, replayed without touching the store. */
  finishedKeys: FinishedKeys;
  /** Called after a transaction that enqueued effects commits. */
  onEffectsEnqueued: () => void;
}

/** Everything one request's handlers need. */
export interface RequestContext {
  core: EngineCore;
  req: EngineRequest;
  route: Route;
  resource: ResourceDeclaration;
  principal: Principal;
  requestId: string;
  /** The request's clock reading, RFC 3339, taken at first use: one value for every timestamp the request writes. */
  at: string;
  preconditions: Preconditions;
  /** The `Prefer: return=` the client asked for; representation is the default. */
  returnPreference: ReturnPreference | undefined;
  /** Set when the request carries a valid Idempotency-Key. */
  idempotencyKey: string | undefined;
  /** The JSON body once parsed, kept for the idempotency fingerprint. */
  parsedBody?: unknown;
  /** Set by a write when it enqueued effects, so the dispatcher is woken after commit. */
  enqueuedEffects: boolean;
}

/** A single-valued header; repeated fields are joined as RFC 9110 §5.3 allows for list fields. */
export function headerValue(req: EngineRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}
