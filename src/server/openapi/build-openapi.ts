import type { ResourceDeclaration } from '../../engine/types.js';
import { fieldErrorSchema, headers, jsonPatchSchema, parameters, problemSchema, ref, responses, type OpenApiObject } from './components.js';
import { resourcePaths, type Retention } from './resource-paths.js';
import { resourceSchemas } from './resource-schemas.js';

/** Options of the generated document. */
export interface OpenApiOptions {
  /** How long Idempotency-Keys are kept (SPEC §4); published in the Idempotency-Key parameter. */
  idempotencyTtlMs: number;
  /** Whether every route but /healthz needs an API key. Default true. */
  authRequired?: boolean | undefined;
  title?: string | undefined;
  version?: string | undefined;
}

/** Retention as seconds and as words: `86400` → `24 hours`. */
export function describeRetention(ms: number): Retention {
  const seconds = Math.round(ms / 1000);
  const [unit, size] = seconds % 86400 === 0 && seconds >= 172800 ? ['days', 86400] : seconds % 3600 === 0 ? ['hours', 3600] : seconds % 60 === 0 ? ['minutes', 60] : ['seconds', 1];
  const count = seconds / (size as number);
  return { seconds, text: `${count} ${count === 1 ? (unit as string).slice(0, -1) : unit}` };
}

/**
 * The OpenAPI 3.1 document of an idem server (SPEC §9), generated from the resource
 * declarations: every path and method of SPEC §2, every status code it can answer, the headers
 * of §3 and §4, the problem schema of §8, the collection page and the version history of §6.
 * The Idempotency-Key retention is in the parameter's description and in the
 * `x-idempotency-retention-seconds` extension (at the root and on the parameter).
 */
export function buildOpenApi(resources: readonly ResourceDeclaration[], options: OpenApiOptions): OpenApiObject {
  const retention = describeRetention(options.idempotencyTtlMs);
  const authRequired = options.authRequired ?? true;
  const paths: OpenApiObject = {};
  const schemas: OpenApiObject = {
    Problem: problemSchema,
    FieldError: fieldErrorSchema,
    JsonPatch: jsonPatchSchema,
    Effect: effectSchema,
    EffectList: effectListSchema,
  };
  for (const resource of resources) {
    Object.assign(paths, resourcePaths(resource, retention));
    Object.assign(schemas, resourceSchemas(resource));
  }
  Object.assign(paths, operationalPaths());

  return {
    openapi: '3.1.0',
    info: {
      title: options.title ?? 'idem API',
      version: options.version ?? '1',
      description: [
        'Writes are safe to retry and never silently lose data.',
        '',
        '- **Lost updates**: every representation has a strong ETag; send it in `If-Match` on PUT, PATCH and DELETE. A stale one is 412 and changes nothing.',
        `- **Retries**: send an \`Idempotency-Key\` on POST, PUT, PATCH and DELETE. A retry gets the stored response with \`Idempotent-Replayed: true\`. Keys are kept for ${retention.text}.`,
        '- **Errors** are `application/problem+json` (RFC 9457) with a `detail` that says what to do.',
        authRequired ? '- **Access**: send `Authorization: Bearer <secret>`. Roles: read (GET, HEAD, OPTIONS), write (also POST, PUT, PATCH, DELETE), admin.' : '- **Access**: this server runs open (no API keys configured).',
      ].join('\n'),
    },
    'x-idempotency-retention-seconds': retention.seconds,
    tags: [
      ...resources.map((r) => ({ name: r.name, description: r.description ?? `The ${r.name} resources.` })),
      { name: 'operations', description: 'Health, API description and metrics.' },
    ],
    security: authRequired ? [{ bearerAuth: [] }] : [{}],
    paths,
    components: {
      schemas,
      parameters: parameters(retention),
      headers,
      responses,
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API key: `Authorization: Bearer <secret>`.' } },
    },
  };
}

const effectSchema: OpenApiObject = {
  type: 'object',
  description: 'One side effect and its delivery state.',
  properties: {
    effect: { type: 'string' },
    idempotencyKey: { type: 'string', description: '`<request key or change id>:<effect name>`: the receiver deduplicates on it.' },
    state: { type: 'string', enum: ['pending', 'delivered', 'failed'] },
    attempts: { type: 'integer', minimum: 0 },
    lastError: { type: ['string', 'null'] },
    createdAt: { type: 'string', format: 'date-time' },
    deliveredAt: { type: ['string', 'null'], format: 'date-time' },
  },
};

const effectListSchema: OpenApiObject = {
  type: 'object',
  description: 'Side effects recorded in the transactional outbox (SPEC §5), delivered at least once with a derived Idempotency-Key.',
  properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Effect' } } },
};

function operationalPaths(): OpenApiObject {
  const tags = ['operations'];
  return {
    '/healthz': {
      get: {
        tags,
        operationId: 'health',
        summary: 'Liveness and readiness; needs no API key',
        security: [],
        responses: { '200': { description: 'The server and its store are up.' }, '503': { description: 'The store is unreachable.' } },
      },
    },
    '/openapi.json': {
      get: {
        tags,
        operationId: 'openapi',
        summary: 'This document',
        responses: { '200': { description: 'The OpenAPI 3.1 document.', content: { 'application/json': { schema: { type: 'object' } } } }, '401': ref('responses', 'Unauthorized') },
      },
    },
    '/metrics': {
      get: {
        tags,
        operationId: 'metrics',
        summary: 'Prometheus metrics',
        responses: { '200': { description: 'Prometheus text exposition format.', content: { 'text/plain': { schema: { type: 'string' } } } }, '401': ref('responses', 'Unauthorized') },
      },
    },
  };
}
