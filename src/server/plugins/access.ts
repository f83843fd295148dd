import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from '../../engine/types.js';
import { ProblemError } from '../../http/problem.js';
import type { ApiKey } from '../auth/api-keys.js';
import { createAuthenticator, type Authentication } from '../auth/authenticate.js';
import { ANONYMOUS, roleAllows, roleFor, roleNeeded } from '../auth/authorize.js';
import { isPublicRoute } from './public-routes.js';
import { registerRateLimit, type RateLimitCheck } from './rate-limit.js';
import { sendProblem } from './send-problem.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling; set by the access hook before any route runs (SPEC §7). */
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /**
     * Who may use a non-resource route: `any-principal` (any authenticated key, e.g.
     * /openapi.json, /metrics) or `admin` (the `*` role must be admin, e.g. /_idem/…).
     * Routes without it are resource routes: the role on the first path segment decides.
     */
    idemAccess?: 'any-principal' | 'admin';
  }
}

export interface AccessOptions {
  keys: readonly ApiKey[];
  /** Requests per principal per minute; 0 or undefined: no limit. */
  rateLimitPerMinute?: number | undefined;
}

/** RFC 6750 §3: the challenge sent with every 401. */
const CHALLENGE = 'Bearer realm="idem"';

/**
 * Authentication, rate limiting and authorization, in one onRequest hook so they run in
 * that order before any body is read or any route runs:
 *
 * 1. public routes (/healthz, static page shells) pass untouched;
 * 2. no keys configured: every caller is the anonymous admin (the CLI only allows that on
 *    loopback, see auth/open-access.ts);
 * 3. otherwise `Authorization: Bearer <secret>` must name a key: 401 with
 *    `WWW-Authenticate: Bearer` (RFC 9110 §11.6.1, RFC 6750 §3) when absent or unknown;
 * 4. the rate limit is charged to the principal (or the IP when unauthenticated): 429;
 * 5. the principal's role must allow the method on the target: 403 (RFC 9110 §15.5.4).
 *
 * The principal is then on `request.principal`; createServer passes it to the engine, which
 * scopes Idempotency-Keys and records history by its id.
 */
export async function registerAccess(app: FastifyInstance, options: AccessOptions): Promise<void> {
  const authenticate = createAuthenticator(options.keys);
  const open = options.keys.length === 0;
  const perMinute = options.rateLimitPerMinute ?? 0;
  const limit: RateLimitCheck | undefined = perMinute > 0 ? await registerRateLimit(app, perMinute) : undefined;

  app.decorateRequest('principal', undefined);
  // Open and unlimited: every caller is the anonymous admin, which is what the engine assumes
  // when no principal is given, so there is nothing to check per request.
  if (open && limit === undefined) return;
  app.addHook('onRequest', async (request, reply) => {
    if (isPublicRoute(request)) return;
    const auth: Authentication = open ? { ok: true, principal: ANONYMOUS } : authenticate(request.headers.authorization);
    if (auth.ok) request.principal = auth.principal;

    if (limit !== undefined) {
      const verdict = await limit(request);
      reply.headers(verdict.headers);
      if (verdict.problem) return sendProblem(request, reply, verdict.problem);
    }
    if (!auth.ok) {
      request.log.info({ reason: auth.reason }, 'request without valid credentials');
      return sendProblem(request, reply, unauthorized(auth.reason));
    }
    const denied = forbidden(request, auth.principal);
    if (denied) {
      request.log.info({ principal: auth.principal.id }, 'request denied by role');
      return sendProblem(request, reply, denied);
    }
    return undefined;
  });
}

function unauthorized(reason: 'missing' | 'malformed' | 'unknown'): ProblemError {
  const detail =
    reason === 'missing'
      ? 'This server requires an API key: send it as "Authorization: Bearer <secret>".'
      : reason === 'malformed'
        ? 'The Authorization header is not "Bearer <secret>"; send exactly one Authorization header in that form.'
        : 'The API key in the Authorization header is not known to this server; check the secret or ask the operator for a key.';
  const challenge = reason === 'missing' ? CHALLENGE : `${CHALLENGE}, error="invalid_token"`;
  return new ProblemError('unauthorized', detail, {}, { 'www-authenticate': challenge });
}

/** The 403 to send, or undefined when the principal's role allows the request. */
function forbidden(request: FastifyRequest, principal: Principal): ProblemError | undefined {
  const method = request.method.toUpperCase();
  const access = request.routeOptions.config.idemAccess;
  if (access === 'any-principal') return undefined;
  if (access === 'admin') {
    if (roleFor(principal, '*') === 'admin') return undefined;
    return new ProblemError('forbidden', `Key "${principal.id}" is not an admin; the console's admin data needs a key with the admin role.`, { principal: principal.id });
  }
  const type = resourceTypeOf(request.url);
  const role = roleFor(principal, type);
  if (roleAllows(role, method)) return undefined;
  const has = role === undefined ? `has no role on ${type}` : `has the ${role} role on ${type}`;
  return new ProblemError(
    'forbidden',
    `Key "${principal.id}" ${has}; ${method} needs the ${roleNeeded(method)} role. Use a key with that role or ask the operator to grant it.`,
    { principal: principal.id, ...(role === undefined ? {} : { role }), requiredRole: roleNeeded(method) },
  );
}

/** The resource type a path targets: its first segment, percent-decoded. */
export function resourceTypeOf(url: string): string {
  const first = (url.split('?')[0] ?? '').split('/')[1] ?? '';
  try {
    return decodeURIComponent(first);
  } catch {
    return first;
  }
}

