/**
 * The plain request and response the engine speaks. Fastify, the proxy and tests are thin
 * adapters that turn their own objects into these and back.
 */

/** Who is calling. `anonymous` when the server runs open. */
export interface Principal {
  id: string;
  /** Role per resource type name, and `*` for the default. */
  roles: Record<string, Role>;
}

export type Role = 'read' | 'write' | 'admin';

export interface EngineRequest {
  method: string;
  /** The request target's path, still percent-encoded, without the query. */
  path: string;
  /** The raw query string without `?`, or empty. */
  query: string;
  /** Lower-case header names. A header sent twice is an array (or a joined string). */
  headers: Record<string, string | string[] | undefined>;
  body?: Uint8Array | undefined;
  principal?: Principal | undefined;
  /** Correlates logs, history rows and problems. Generated when absent. */
  requestId?: string | undefined;
}

export interface EngineResponse {
  status: number;
  headers: Record<string, string>;
  /** JSON or problem+json text; absent for 204, 304 and HEAD. */
  body?: string | undefined;
}

/** JSON Schema (draft 2020-12) object, as written by the user. */
export type JsonSchema = Record<string, unknown>;

/** Who may assign ids (SPEC §1). */
export type IdPolicy = 'server' | 'client' | 'both';

/**
 * A side effect a resource type triggers (SPEC §5), delivered through the transactional outbox
 * by HTTP POST to `url` with a derived Idempotency-Key.
 */
export interface EffectDeclaration {
  /** Becomes the suffix of the derived idempotency key: `<request key or change id>:<name>`. */
  name: string;
  /** Which changes trigger it. Default: create. */
  on?: Array<'create' | 'replace' | 'patch' | 'delete'>;
  /** Only when this top-level field of the new document equals this value. */
  when?: { field: string; equals: unknown };
  /** Absolute URL, or a path resolved against the server's own address. */
  url: string;
}

/** A resource type, declared once (SPEC §1). */
export interface ResourceDeclaration {
  /** The collection path segment: `/users`. */
  name: string;
  /** JSON Schema of the client's fields; `additionalProperties: false` is recommended. */
  schema: JsonSchema;
  idPolicy?: IdPolicy;
  /** PUT, PATCH and DELETE without If-Match are 428 (RFC 6585 §3). */
  requirePreconditions?: boolean;
  /** POST without Idempotency-Key is 400. */
  requireIdempotencyKey?: boolean;
  /** Top-level fields whose values must be unique in the collection (409 on a duplicate). */
  unique?: string[];
  effects?: EffectDeclaration[];
  /** One line for OpenAPI and the docs page. */
  description?: string;
}

/** What `idem serve --config FILE` loads. */
export interface IdemConfig {
  resources: ResourceDeclaration[];
  /** Mount the demo payment service at /demo-payments (the example API's charge target). */
  demoPayments?: boolean;
}
