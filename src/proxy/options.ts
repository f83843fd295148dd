import type { Store } from '../store/store.js';
import { isPort } from '../cli/units.js';
import { MIN_RETENTION_MS, SHORT_RETENTION_BREAKS } from '../idempotency/policy.js';
import { DEFAULT_GUARD_RULES, parseRouteRule, type RouteRule } from './route-rules.js';

/** What `startProxy` accepts. Durations are milliseconds, sizes bytes. */
export interface ProxyOptions {
  /** Base URL of the upstream API, e.g. `http://127.0.0.1:8080`. */
  target: string;
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** An open Store (the caller closes it), or a store URL (`sqlite:PATH`, `postgres://…`) the proxy opens and closes. */
  store?: Store;
  db?: string;
  /** Guarded routes, `METHOD /pattern`; default `POST /**`, `PATCH /**`. */
  guard?: string[];
  /** Routes where a request without Idempotency-Key is 400 (they are guarded too). */
  requireKey?: string[];
  /** How long the proxy waits for the whole upstream answer after sending (default 30 s). */
  timeoutMs?: number;
  /** How long a claim stays `running` before it counts as abandoned (default timeout + 30 s; must exceed the timeout). */
  leaseMs?: number;
  /** How long keys are kept (default 24 h, SPEC §4). */
  retentionMs?: number;
  /** Largest request body of a guarded request with a key (default 1 MiB); larger is 413. */
  bodyLimit?: number;
  /** Largest response body stored for replay (default 1 MiB); larger ones pass through unstored. */
  storeCap?: number;
  /** Release an `unknown` key automatically this long after its request was sent; default never (an operator resolves it). */
  releaseUnknownAfterMs?: number | undefined;
  /** Where the proxy reports what it does (start-up, unknown outcomes); default silent. */
  log?: (line: string) => void;
}

/** Options with defaults applied and rules parsed. */
export interface ResolvedProxyOptions {
  target: URL;
  port: number;
  host: string;
  guard: RouteRule[];
  requireKey: RouteRule[];
  timeoutMs: number;
  leaseMs: number;
  retentionMs: number;
  bodyLimit: number;
  storeCap: number;
  releaseUnknownAfterMs: number | undefined;
  log: (line: string) => void;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_RETENTION_MS = 24 * 3_600_000;
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** Apply defaults and check the options; throws an Error that says which option is wrong and how to fix it. */
export function resolveProxyOptions(options: ProxyOptions): ResolvedProxyOptions {
  let target: URL;
  try {
    target = new URL(options.target);
  } catch {
    throw new Error(`--target ${JSON.stringify(options.target)} is not a URL: write e.g. http://127.0.0.1:8080.`);
  }
  if (target.protocol !== 'http:') throw new Error(`--target must be an http:// URL (got ${target.protocol}); put TLS in front of the proxy, not behind it.`);
  const timeoutMs = positive(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, '--timeout');
  const leaseMs = positive(options.leaseMs ?? timeoutMs + 30_000, '--lease');
  // A claim must outlive the longest forward it protects: if the lease could lapse while the
  // request is still upstream, a retry would be treated as abandoned work (docs/PROXY.md, "Leases").
  if (leaseMs <= timeoutMs) throw new Error(`--lease (${leaseMs} ms) must be longer than --timeout (${timeoutMs} ms), so a claim cannot lapse while its request is still upstream.`);
  const requireKey = (options.requireKey ?? []).map(parseRouteRule);
  const port = options.port ?? 0;
  if (!isPort(port)) throw new Error(`--port must be a whole number from 0 to 65535 (got ${options.port}).`);
  return {
    target,
    port,
    host: options.host ?? '127.0.0.1',
    guard: [...(options.guard && options.guard.length > 0 ? options.guard : DEFAULT_GUARD_RULES).map(parseRouteRule), ...requireKey],
    requireKey,
    timeoutMs,
    leaseMs,
    retentionMs: longEnoughRetention(options.retentionMs ?? DEFAULT_RETENTION_MS, '--retention'),
    bodyLimit: positive(options.bodyLimit ?? DEFAULT_BODY_LIMIT, '--body-limit'),
    storeCap: nonNegative(options.storeCap ?? DEFAULT_BODY_LIMIT, '--store-cap'),
    releaseUnknownAfterMs: options.releaseUnknownAfterMs === undefined ? undefined : nonNegative(options.releaseUnknownAfterMs, '--release-unknown-after'),
    log: options.log ?? (() => {}),
  };
}

function positive(n: number, name: string): number {
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number (got ${n}).`);
  return n;
}

/** A retention of at least MIN_RETENTION_MS (idempotency/policy.ts says why). */
function longEnoughRetention(ms: number, name: string): number {
  if (!Number.isFinite(ms) || ms < MIN_RETENTION_MS) throw new Error(`${name} must be at least ${MIN_RETENTION_MS / 1000}s (got ${ms} ms): ${SHORT_RETENTION_BREAKS}.`);
  return ms;
}

function nonNegative(n: number, name: string): number {
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be zero or more (got ${n}).`);
  return n;
}
