import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { ProblemError } from '../http/problem.js';
import { FinishedKeys } from '../idempotency/finished-cache.js';
import { parseReturnPreference, type ReturnPreference } from '../http/prefer.js';
import type { Store } from '../store/store.js';
import type { EngineCore, RequestContext } from './context.js';
import { headerValue } from './context.js';
import { dispatch } from './dispatch.js';
import { OUTCOME } from './idempotent.js';
import { EffectDispatcher, type DispatcherOptions } from './effects-dispatcher.js';
import { parsePreconditions, type Preconditions } from './preconditions.js';
import { problemResponse } from './respond.js';
import { matchRoute, type Route } from './routes.js';
import type { EngineRequest, EngineResponse, Principal, ResourceDeclaration } from './types.js';
import { compileValidators } from './validation.js';

export interface EngineOptions {
  resources: ResourceDeclaration[];
  store: Store;
  /** Idempotency-Key retention (SPEC §4). Default 24 h. */
  idempotencyTtlMs?: number;
  /** Keep only the newest N versions per resource. Default: keep all. */
  historyLimit?: number;
  /** Largest request body in bytes (413 above). Default 1 MiB. */
  bodyLimit?: number;
  effects?: DispatcherOptions;
  /** The clock; tests may pin it. */
  now?: () => Date;
}

/** The framework-free resource engine: plain request in, plain response out. */
export interface Engine {
  handle(request: EngineRequest): Promise<EngineResponse>;
  readonly resources: readonly ResourceDeclaration[];
  readonly store: Store;
  /** 'idempotency' {outcome}, 'transaction' {ms}, 'failure' {error, requestId}. */
  readonly events: EventEmitter;
  readonly idempotencyTtlMs: number;
  /** Start delivering effects; relative effect URLs resolve against `baseUrl` (the server's own address). */
  startEffects(baseUrl: string): void;
  /** Delete expired idempotency records now. */
  pruneIdempotency(): Promise<number>;
  /** Stop background work (effects, pruning). Does not close the store. */
  stop(): Promise<void>;
}

export const ANONYMOUS: Principal = { id: 'anonymous', roles: { '*': 'admin' } };

const DAY_MS = 24 * 60 * 60 * 1000;

/** Build an engine over declared resource types and a store. */
export function createEngine(options: EngineOptions): Engine {
  const resources = new Map(options.resources.map((r) => [r.name, r]));
  let dispatcher: EffectDispatcher | undefined;
  const clock = options.now;
  const core: EngineCore = {
    store: options.store,
    resources,
    validators: compileValidators(options.resources),
    events: new EventEmitter(),
    idempotencyTtlMs: options.idempotencyTtlMs ?? DAY_MS,
    historyLimit: options.historyLimit,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    now: clock ?? (() => new Date()),
    nowMs: clock ? () => clock().getTime() : Date.now,
    inFlight: new Set(),
    finishedKeys: new FinishedKeys(),
    onEffectsEnqueued: () => dispatcher?.kick(),
  };
  // Expired keys are pruned in the background; a key reused after expiry runs afresh anyway.
  const pruneEvery = Math.max(1000, Math.min(core.idempotencyTtlMs / 4, 10 * 60 * 1000));
  const pruner = setInterval(() => void options.store.pruneIdempotency(core.nowMs()).catch(() => undefined), pruneEvery);
  pruner.unref();

  return {
    resources: options.resources,
    store: options.store,
    events: core.events,
    idempotencyTtlMs: core.idempotencyTtlMs,
    handle: (request) => handle(core, request),
    startEffects(baseUrl) {
      dispatcher ??= new EffectDispatcher(options.store, baseUrl, options.effects);
      dispatcher.start();
    },
    pruneIdempotency: () => options.store.pruneIdempotency(core.nowMs()),
    async stop() {
      clearInterval(pruner);
      await dispatcher?.stop();
    },
  };
}

/** A request's context; the clock is read when a write first asks for the time (a GET never does). */
class Context implements RequestContext {
  readonly resource: ResourceDeclaration;
  readonly principal: Principal;
  idempotencyKey: string | undefined = undefined;
  parsedBody?: unknown;
  enqueuedEffects = false;
  #at: string | undefined;

  constructor(
    readonly core: EngineCore,
    readonly req: EngineRequest,
    readonly route: Route,
    readonly requestId: string,
    readonly preconditions: Preconditions,
    readonly returnPreference: ReturnPreference | undefined,
  ) {
    this.resource = route.resource;
    this.principal = req.principal ?? ANONYMOUS;
  }

  get at(): string {
    this.#at ??= this.core.now().toISOString();
    return this.#at;
  }
}

async function handle(core: EngineCore, req: EngineRequest): Promise<EngineResponse> {
  const requestId = req.requestId ?? randomUUID();
  const method = req.method.toUpperCase();
  try {
    if (req.body !== undefined && req.body.length > core.bodyLimit) {
      throw new ProblemError('payload-too-large', `The body is ${req.body.length} bytes; the limit is ${core.bodyLimit}. Send a smaller document.`);
    }
    const route = matchRoute(req.path, core.resources);
    const ctx = new Context(core, req, route, requestId, parsePreconditions(req), parseReturnPreference(headerValue(req, 'prefer')));
    const response = await dispatch(ctx, method);
    if (ctx.enqueuedEffects) core.onEffectsEnqueued();
    return method === 'HEAD' ? headResponse(response) : response;
  } catch (error) {
    const response = errorResponse(core, error, req.path, requestId);
    return method === 'HEAD' ? headResponse(response) : response;
  }
}

function errorResponse(core: EngineCore, error: unknown, path: string, requestId: string): EngineResponse {
  if (error instanceof ProblemError) {
    if (error.kind === 'idempotency-in-flight') core.events.emit('idempotency', OUTCOME.inFlight);
    return problemResponse(error, path, requestId);
  }
  core.events.emit('failure', { error, requestId });
  // SPEC §8: a 500 never leaks a stack trace; the request id correlates it with the log.
  const internal = new ProblemError('internal', `The server failed to process the request; nothing was changed. Retry later, quoting request id ${requestId}.`);
  return problemResponse(internal, path, requestId);
}

/** HEAD is GET without the body (RFC 9110 §9.3.2); Content-Length still describes the GET body. */
function headResponse(response: EngineResponse): EngineResponse {
  if (response.body === undefined) return response;
  return { status: response.status, headers: { ...response.headers, 'content-length': String(Buffer.byteLength(response.body)) } };
}
