import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ProblemError } from '../../http/problem.js';
import { ANONYMOUS } from '../auth/authorize.js';

/** One minute, the window of `rateLimitPerMinute`. */
const WINDOW_MS = 60_000;

/** Checks one request against its principal's budget: undefined when allowed, else the 429 to send. */
export type RateLimitCheck = (request: FastifyRequest) => Promise<{ headers: Record<string, string>; problem?: ProblemError }>;

/**
 * Per-principal rate limit (SPEC §7) with @fastify/rate-limit's store. The bucket is the
 * principal id when the caller authenticated, else the client IP (an open server's callers all
 * share the anonymous principal, and unauthenticated attempts must not share one bucket).
 *
 * The plugin is registered with `global: false` and driven through `createRateLimit()` from
 * the access hook, after authentication, so the key is known and the 429 is sent as
 * application/problem+json (RFC 6585 §4) with `Retry-After` (RFC 9110 §10.2.3) by us rather
 * than by whatever error handler the app has.
 */
export async function registerRateLimit(app: FastifyInstance, perMinute: number): Promise<RateLimitCheck> {
  await app.register(rateLimit, { global: false, max: perMinute, timeWindow: WINDOW_MS });
  const limiter = app.createRateLimit({ keyGenerator: bucketOf });
  return async (request) => {
    const result = await limiter(request);
    if (result.isAllowed) return { headers: {} };
    const headers: Record<string, string> = {
      'x-ratelimit-limit': String(result.max),
      'x-ratelimit-remaining': String(result.remaining),
      'x-ratelimit-reset': String(result.ttlInSeconds),
    };
    if (!result.isExceeded) return { headers };
    const retryAfter = String(Math.max(1, result.ttlInSeconds));
    const problem = new ProblemError(
      'rate-limited',
      `This principal may send ${result.max} requests per minute; wait ${retryAfter} s (Retry-After) and send the request again.`,
      { limit: result.max, retryAfterSeconds: Number(retryAfter) },
      { ...headers, 'retry-after': retryAfter },
    );
    return { headers, problem };
  };
}

function bucketOf(request: FastifyRequest): string {
  const principal = request.principal;
  return principal !== undefined && principal.id !== ANONYMOUS.id ? `principal:${principal.id}` : `ip:${request.ip}`;
}
