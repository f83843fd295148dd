import type { FastifyRequest } from 'fastify';

/**
 * Routes served without credentials even when API keys are configured (SPEC §7 says every
 * route but `/healthz` needs them). The only other exceptions are the static shells of the
 * docs and console pages: a browser cannot attach `Authorization: Bearer` to a page
 * navigation, and these files hold no data — the page then sends the key on every fetch of
 * data (`/openapi.json`, `/_idem/…`, the API itself).
 */
declare module 'fastify' {
  interface FastifyContextConfig {
    /** Serve this route without credentials and outside the rate limit. */
    idemPublic?: boolean;
  }
}

/** The health check path served by createServer; always open so probes need no secret. */
export const HEALTH_PATH = '/healthz';

/** Whether the request's route is open to everyone. */
export function isPublicRoute(request: FastifyRequest): boolean {
  if (request.routeOptions.config.idemPublic === true) return true;
  const safe = request.method === 'GET' || request.method === 'HEAD';
  return safe && (request.routeOptions.url === HEALTH_PATH || request.url.split('?')[0] === HEALTH_PATH);
}
