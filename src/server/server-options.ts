/** Options of the HTTP server around the engine. The CLI fills them from flags and env. */
export interface ServerOptions {
  /** Largest accepted request body in bytes (413 above). Default 1 MiB. */
  bodyLimit: number;
  /** pino logger options, or false for none. */
  logger: boolean | Record<string, unknown>;
  /** The host the server will bind to: open access is refused on anything but loopback. */
  host: string;
  /** Idempotency-Key retention in ms, published in OpenAPI and problems. */
  idempotencyTtlMs: number;
  /** API keys as `name:secret:role[,…]` (SPEC §7); empty means the server runs open. */
  apiKeys?: string | undefined;
  /** Path of a keys file, one `name:secret:role` per line. */
  keysFile?: string | undefined;
  /** Allow running open on a non-loopback address. */
  insecureOpen?: boolean | undefined;
  /** Origins allowed by CORS; empty means CORS is off. */
  corsOrigins?: string[] | undefined;
  /** Requests per principal per minute; 0 turns rate limiting off. */
  rateLimitPerMinute?: number | undefined;
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024;
export const DEFAULT_IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Log paths pino replaces with "[Redacted]": API keys must never reach a log (SPEC §7).
 * Fastify's default request serializer logs no headers, but a custom serializer or a
 * `request.log.info({ req })` would.
 */
export const REDACTED_LOG_PATHS = ['req.headers.authorization', 'req.headers["proxy-authorization"]', 'headers.authorization', 'headers["proxy-authorization"]'];

/**
 * The `logger` option to hand to Fastify: the caller's pino options with the Authorization
 * header redacted, or false for no logs.
 */
export function loggerWithRedaction(logger: ServerOptions['logger']): boolean | Record<string, unknown> {
  if (logger === false) return false;
  const base: Record<string, unknown> = logger === true ? {} : { ...logger };
  const redact = base['redact'];
  if (Array.isArray(redact)) base['redact'] = [...new Set([...(redact as string[]), ...REDACTED_LOG_PATHS])];
  else if (redact !== null && typeof redact === 'object') {
    const paths = (redact as { paths?: string[] }).paths ?? [];
    base['redact'] = { ...redact, paths: [...new Set([...paths, ...REDACTED_LOG_PATHS])] };
  } else base['redact'] = REDACTED_LOG_PATHS;
  return base;
}
