import cors from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Request headers a browser client of idem sends, so the preflight must allow them
 * (Fetch standard, CORS protocol: Access-Control-Allow-Headers).
 */
export const CORS_ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'If-Match', 'If-None-Match', 'Idempotency-Key', 'Prefer'];

/**
 * Response headers a browser client must be able to read. Without
 * Access-Control-Expose-Headers a script sees only the CORS-safelisted response headers, so it
 * could never read the ETag it needs for If-Match, or the Location of what it created.
 */
export const CORS_EXPOSED_HEADERS = ['ETag', 'Location', 'Idempotent-Replayed', 'Retry-After', 'Preference-Applied', 'Link', 'Allow', 'Accept-Patch', 'Last-Modified'];

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * CORS for browser clients on other origins (`--cors ORIGIN…`, off by default), with
 * @fastify/cors. Registered before the access hook, so a preflight — which never carries
 * credentials — is answered before authentication.
 *
 * Two adjustments to the plugin's defaults:
 * - the options are chosen per request (delegator): requests from origins not on the list get
 *   no CORS headers, and only a real preflight (OPTIONS with Access-Control-Request-Method) is
 *   answered by the plugin; a plain `OPTIONS /users` still reaches the engine, which answers
 *   with Allow and Accept-Patch (SPEC §2);
 * - the plugin declares an `OPTIONS *` route only so that Fastify accepts preflights at all.
 *   idem's catch-all route already accepts OPTIONS on every path, and the two would clash
 *   ("Method 'OPTIONS' already declared for route '*'"), so that route is moved to a path of its
 *   own while the plugin registers.
 */
export async function registerCors(app: FastifyInstance, origins: readonly string[]): Promise<void> {
  const any = origins.includes('*');
  let registering = true;
  app.addHook('onRoute', (route) => {
    if (registering && route.method === 'OPTIONS' && (route.url === '*' || route.url === '/*')) {
      route.url = '/_idem/cors-preflight';
      route.path = route.url;
    }
  });
  await app.register(cors, {
    hook: 'onRequest',
    delegator: (request: FastifyRequest, callback) => {
      const origin = request.headers.origin;
      const allowed = origin !== undefined && (any || origins.includes(origin));
      callback(null, {
        origin: allowed ? (any ? '*' : origin) : false,
        methods: METHODS,
        allowedHeaders: CORS_ALLOWED_HEADERS,
        exposedHeaders: CORS_EXPOSED_HEADERS,
        maxAge: 600,
        preflight: request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined,
        strictPreflight: false,
      });
    },
  });
  registering = false;
}

/**
 * Parse `--cors` values: origins separated by commas or spaces; `*` allows every origin.
 * An origin is `scheme://host[:port]` (RFC 6454 §6.2) — a browser never sends a path — so
 * anything else is refused at start-up rather than silently never matching.
 */
export function parseCorsOrigins(values: string | readonly string[] | undefined): string[] {
  if (values === undefined) return [];
  const list = typeof values === 'string' ? [values] : values;
  const origins = list
    .flatMap((v) => v.split(/[\s,]+/))
    .map((v) => v.trim().replace(/\/+$/, ''))
    .filter((v) => v.length > 0);
  for (const origin of origins) {
    if (origin !== '*' && !/^https?:\/\/[^/\s?#]+$/i.test(origin)) {
      throw new Error(`--cors: "${origin}" is not an origin; write it as scheme://host[:port], for example http://localhost:5173, or * for every origin.`);
    }
  }
  return origins;
}
